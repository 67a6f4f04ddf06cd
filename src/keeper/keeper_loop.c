/*
 * keeper_loop.c - the keeper's cycle: observe, supervise, report, read
 * the goal, transition, carry the role's duties, fence when cut off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/exitcode.h"
#include "common/log.h"
#include "common/reaper.h"
#include "common/sdnotify.h"
#include "common/signals.h"
#include "common/timeutil.h"
#include "keeper/keeper.h"
#include "keeper/keeper_api.h"
#include "pg/pgnode_supervise.h"

bool keeper_init(Keeper *k, const Config *cfg, char *err, size_t errlen)
{
	procwatch_open(&k->watch); /* without: every cycle at the interval */
	config_copy(&k->cfg, cfg);
	if (!nodepaths_init(&k->paths, config_get(cfg, S_PGDATA), err, errlen) ||
	    !statefile_load(k->paths.state, &k->st, err, errlen) ||
	    !pgnode_from_config(cfg, &k->node, err, errlen))
		return false;
	snprintf(k->node.name, sizeof(k->node.name), "%s", k->st.name);
	k->reached = k->st.current;
	k->interval_ms = config_get_ms(cfg, S_KEEPER_INTERVAL);
	k->fence_ms = config_get_ms(cfg, S_FENCE_TIMEOUT);
	k->store_timeout_ms = config_get_ms(cfg, S_STORE_TIMEOUT);
	if (!config_timeouts_ordered(cfg, err, errlen))
		return false;
	supervisor_init(&k->sup, (int)config_get_int(cfg, S_RESTART_RETRIES));
	if (*config_get(cfg, S_REPL_PASSWORD))
		log_warn("replication.password is not used by the keeper: "
			 "every node uses the formation's replication password, "
			 "which the store generates");
	keeper_hooks_configure(k, true);
	keeper_pgbouncer_configure(k);
	k->formation = calloc(1, sizeof(StoreFormation));
	k->started_ms = time_monotonic_ms();
	k->last_store_ok_ms = -k->fence_ms; /* no contact yet */
	return k->formation != NULL;
}

void keeper_free(Keeper *k)
{
	keeper_api_stop(k->api);
	k->api = NULL;
	keeper_hooks_stop(k);
	keeper_local_close(k);
	pgbouncer_close(&k->pgb);
	config_free(&k->cfg);
	store_close(k->store);
	procwatch_close(&k->watch);
	free(k->formation);
	k->formation = NULL;
}

static bool connect_store(Keeper *k)
{
	char err[1024];

	if (k->store)
		return true;
	k->store = keeper_store_open(&k->cfg, err, sizeof(err));
	if (!k->store)
		log_warn("%s", err);
	return k->store != NULL;
}

static void observe(Keeper *k)
{
	if (keeper_observation_current(k, time_monotonic_ms()))
		return;
	k->obs_ms = time_monotonic_ms();
	k->obs_ok = pgnode_is_running(&k->node) && keeper_observe(k);
	if (!k->obs_ok)
		memset(&k->obs, 0, sizeof(k->obs));
}

/*
 * Postgres should run when our current state runs it, and, for a primary,
 * only while the store confirms we still are one: reached within
 * fence_timeout, with this state as our goal (a primary that lost the
 * store, or that the monitor demoted while its Postgres was down, must
 * not restart itself into a split brain). The state is the one reached,
 * recorded or not.
 */
static bool should_run(const Keeper *k, int64_t now_ms)
{
	const StateInfo *info = state_info(k->reached);
	if (!info->runs_postgres || k->fenced)
		return false;
	if (!state_is_primary(k->reached))
		return true;
	const StoreNode *me = keeper_me(k);
	return now_ms - k->last_store_ok_ms < k->fence_ms && me &&
	       me->goal == k->reached;
}

static void supervise(Keeper *k, int64_t now_ms)
{
	char err[1024];
	SuperviseAction a = pgnode_supervise(&k->node, &k->sup,
					     should_run(k, now_ms), now_ms,
					     err, sizeof(err));
	if (a == SUPERVISE_GAVE_UP && !k->pg_failed)
		log_error("Postgres does not stay up; reporting it failed");
	k->pg_failed = a == SUPERVISE_GAVE_UP;
	k->hurry = a == SUPERVISE_CLEARING;
}

static void fill_report(const Keeper *k, NodeReport *r)
{
	memset(r, 0, sizeof(*r));
	r->current = k->st.current;
	r->pg_running = k->obs_ok;
	r->pg_failed = k->pg_failed;
	r->fenced = k->fenced;
	r->restarted = k->st.restarted;
	r->http_port = k->api ? (int)config_get_int(&k->cfg, S_HTTP_PORT) : 0;
	r->fence_ms = (int)k->fence_ms;
	r->promote_vetoed = keeper_vetoed(k);
	if (!k->obs_ok) {
		r->lsn = k->drained_lsn; /* what a stopped primary handed over */
		return;
	}
	r->in_recovery = k->obs.in_recovery;
	r->lsn = k->obs.current_lsn;
	r->timeline = k->obs.timeline;
	r->receiver_streaming = k->obs.receiver_streaming;
	snprintf(r->upstream_host, sizeof(r->upstream_host), "%s",
		 k->obs.upstream_host);
	r->upstream_port = k->obs.upstream_port;
	r->pending_restart = k->obs.pending_restart;
}

/* Reports and reads the formation; false when the store is unreachable. */
static bool talk_to_store(Keeper *k, int64_t now_ms)
{
	NodeReport r;
	bool was_ok = k->store_ok;

	k->store_ok = false;
	if (!connect_store(k))
		return false;
	store_set_deadline(k->store, keeper_fence_deadline(k));
	fill_report(k, &r);
	const char *formation = config_get(&k->cfg, S_FORMATION);
	bool ok = store_report_read(k->store, k->st.node_id, &r, formation,
				    k->formation);
	/* a dropped node's row may be gone already: reading still tells */
	if (!ok && k->st.current == NS_DROPPED)
		ok = store_get_formation(k->store, formation, k->formation);
	if (!ok) {
		log_warn("%s", k->store->error);
		return false;
	}
	if (!was_ok) /* the first time, or again after a failure */
		log_info("state store reached");
	k->last_store_ok_ms = now_ms;
	k->store_ok = true;
	k->report_same = memcmp(&r, &k->last_report, sizeof(r)) == 0;
	k->last_report = r;
	return keeper_me(k) != NULL;
}

/*
 * The state reached counts once keeper.state holds it: until then the
 * keeper reports its old state and tries again each cycle, without
 * carrying the transition out again. A keeper never claims a state that
 * it would not find again on restart; meanwhile it supervises and fences
 * by the state reached.
 */
static bool record_state(Keeper *k, NodeState goal, char *err,
			 size_t errlen)
{
	KeeperState next = k->st;
	next.current = goal;
	if (!statefile_save(k->paths.state, &next)) {
		snprintf(err, errlen, "cannot record state %s in %s: still "
			 "reporting %s, trying again next cycle",
			 state_name(goal), k->paths.state,
			 state_name(k->st.current));
		return false;
	}
	k->st = next;
	return true;
}

static void transition(Keeper *k, NodeState goal, int64_t now_ms)
{
	char err[2048] = "";

	if (now_ms < k->next_transition_ms)
		return;
	if (goal == NS_WAIT_PRIMARY && k->reached == NS_PREPARE_PROMOTION &&
	    keeper_vetoed(k))
		return; /* the monitor hands the promotion to another node */
	keeper_local_close(k); /* transitions stop and start the server */
	keeper_apply_role(k, goal);
	keeper_track_promotion(k, goal, false, now_ms);
	if (goal == NS_PREPARE_PROMOTION)
		keeper_note_promotion(k);
	keeper_publish(k, now_ms, true);
	NodeState old = k->st.current;
	if (k->reached != goal &&
	    keeper_transition(k, k->reached, goal, err, sizeof(err)))
		k->reached = goal;
	if (k->reached == goal && record_state(k, goal, err, sizeof(err))) {
		log_info("reached state %s", state_name(goal));
		keeper_track_promotion(k, goal, true, time_monotonic_ms());
		keeper_hooks_reached(k, old, goal);
		k->fenced = false;
		k->transition_failures = 0;
		k->next_transition_ms = 0;
		supervisor_reset(&k->sup);
		k->pg_failed = false;
		return;
	}
	if (k->reached == goal) { /* only the record is left: next cycle */
		log_error("state %s reached: %s", state_name(goal), err);
		return;
	}
	if (keeper_vetoed(k) && goal == NS_WAIT_PRIMARY) {
		log_warn("%s", err);
		return;
	}
	int64_t delay = 250LL << (k->transition_failures < 7
					  ? k->transition_failures
					  : 7);
	k->transition_failures++;
	k->next_transition_ms = now_ms + delay;
	log_error("transition to %s failed (retrying in %lld ms): %s",
		  state_name(goal), (long long)delay, err);
}

static void fence_if_cut_off(Keeper *k, int64_t now_ms)
{
	char err[512];

	if (!keeper_should_fence(k, now_ms) || keeper_standbys_answer(k))
		return;
	log_error("cannot reach the state store for %lld ms and no standby "
		  "streaming from this primary answers: fencing it",
		  (long long)(now_ms - k->last_store_ok_ms));
	if (pgnode_fence(&k->node, true, err, sizeof(err))) {
		k->fenced = true;
		keeper_fire_hook(k, "fenced", k->st.current, k->st.current);
	} else
		log_error("%s", err);
}

/* While the formation is paused, the keeper only observes and reports:
 * no restarts, transitions, duties or fencing, so operators can work. */
static bool paused(Keeper *k)
{
	bool now = k->formation->nnodes > 0 && k->formation->paused;
	if (now != k->paused)
		log_info(now ? "formation paused: leaving Postgres alone"
			     : "formation resumed");
	k->paused = now;
	return now;
}

/* A fencing due now happens now: checked between the steps of a cycle
 * that may take time, with the clock read again (docs/guarantees.md). */
static void fence_if_due(Keeper *k)
{
	if (!k->paused)
		fence_if_cut_off(k, time_monotonic_ms());
}

/*
 * The store first, then Postgres: a restart of a primary's Postgres
 * starts right after the store confirmed it is one, and, should the
 * start take long, the fencing deadline is checked again once it is
 * launched.
 */
static void cycle(Keeper *k, int64_t now_ms)
{
	observe(k);
	bool reached = talk_to_store(k, now_ms);
	if (paused(k))
		return;
	fence_if_due(k);
	supervise(k, time_monotonic_ms());
	fence_if_due(k);
	if (!reached)
		return;
	keeper_veto_expire(k, now_ms);
	const StoreNode *me = keeper_me(k);
	log_debug("state %s, goal %s, postgres %s", state_name(k->st.current),
		  state_name(me->goal), k->obs_ok ? "up" : "down");
	if (k->fenced && me->goal == k->st.current) {
		log_info("the store confirms this node is still %s: unfencing",
			 state_name(me->goal));
		k->fenced = false;
		supervisor_reset(&k->sup);
		keeper_fire_hook(k, "unfenced", k->st.current, k->st.current);
	}
	/* before any transition rewrites its configuration as a primary's */
	if (!k->fenced && !keeper_standby_promote(k))
		return;
	if (me->goal != k->st.current) {
		transition(k, me->goal, now_ms);
		observe(k);
		/* tell the monitor at once */
		talk_to_store(k, time_monotonic_ms());
	} else if (!k->fenced) {
		if (k->st.current == NS_MAINTENANCE)
			keeper_reinit_if_requested(k, now_ms);
		keeper_duties(k, now_ms);
		if (state_is_primary(k->st.current))
			keeper_pgbouncer_own(k);
	}
}

void keeper_cycle(Keeper *k, int64_t now_ms)
{
	keeper_hooks_poll(k, now_ms); /* before the reaper takes them */
	reaper_reap();
	keeper_api_open(k, now_ms);
	cycle(k, now_ms);
	keeper_publish(k, time_monotonic_ms(), false);
}

/* SIGHUP, for the HTTP API: its server starts again with the [http]
 * settings and the certificate read again (keeper_api_open starts it in
 * this cycle when this fails or when it was off). */
static void reload_api(Keeper *k)
{
	char err[512];

	k->api_retry_ms = 0;
	if (!k->api || keeper_api_restart(k->api, &k->cfg, err, sizeof(err)))
		return;
	log_error("HTTP API: %s", err);
	keeper_api_stop(k->api);
	k->api = NULL;
}

/* A new pgkeel.monitor (`pgkeel store switch`): the store in use is
 * closed, and this cycle opens the one named now. Postgres runs on; a
 * primary's fencing still counts from its last contact with a store. */
static void follow_store(Keeper *k, const char *was)
{
	const char *now = config_get(&k->cfg, S_MONITOR);

	if (!was || !now || strcmp(was, now) == 0)
		return;
	log_info("pgkeel.monitor changed: this node now reports to %s", now);
	store_close(k->store);
	k->store = NULL;
}

/* SIGHUP: Postgres is reloaded (it reads its certificate files again:
 * this is how a renewed certificate is put in use) and the configuration
 * file is read again; timeouts, the hooks and the log level take effect
 * at once, new [ssl] file paths with the next configuration write, the
 * HTTP API restarts, a new store URI is used from this cycle. */
static void reload(Keeper *k)
{
	const char *uri = config_get(&k->cfg, S_MONITOR);
	char *was = uri ? strdup(uri) : NULL;

	pgnode_reload_on_sighup(&k->node);
	bool ok = config_reload(&k->cfg);
	if (ok)
		follow_store(k, was);
	free(was);
	if (!ok)
		return;
	sslspec_from_config(&k->cfg, &k->node.ssl);
	k->interval_ms = config_get_ms(&k->cfg, S_KEEPER_INTERVAL);
	k->fence_ms = config_get_ms(&k->cfg, S_FENCE_TIMEOUT);
	k->store_timeout_ms = config_get_ms(&k->cfg, S_STORE_TIMEOUT);
	k->duties_ms = 0; /* the configuration is written again */
	keeper_hooks_configure(k, false);
	keeper_pgbouncer_configure(k);
	reload_api(k);
}

static bool stable(NodeState s)
{
	return s == NS_SINGLE || s == NS_WAIT_PRIMARY || s == NS_PRIMARY ||
	       s == NS_SECONDARY;
}

/* Once dropped, the node's row leaves the store: the keeper's work is
 * done. */
static bool dropped(const Keeper *k)
{
	return k->st.current == NS_DROPPED && k->formation &&
	       store_formation_node(k->formation, k->st.node_id) == NULL &&
	       k->last_store_ok_ms > k->started_ms;
}

/* The loop of keeper_run; a return ends the service. */
static int run_loop(Keeper *k, bool stop_when_stable, int timeout_ms)
{
	int64_t start = time_monotonic_ms();

	while (signals_stop_requested() == SIGNAL_STOP_NONE) {
		int64_t now = time_monotonic_ms();
		if (signals_take_reload())
			reload(k);
		keeper_cycle(k, now);
		if (stop_when_stable && stable(k->st.current))
			return EXIT_OK;
		if (dropped(k)) {
			log_info("node %s was dropped from its formation: "
				 "stopping; its data directory is kept",
				 k->st.name);
			return EXIT_OK;
		}
		if (timeout_ms > 0 && now - start > timeout_ms)
			return EXIT_TIMEOUT;
		/* a restart waiting for the old server's processes looks
		 * again in a moment rather than a whole interval later */
		sdnotify_watchdog(); /* a cycle completed: not hung */
		int64_t pause = keeper_pause(k, time_monotonic_ms());
		keeper_watch(k);
		if (!k->store || !store_wait(k->store, (int)pause))
			keeper_sleep(k, pause);
	}
	return EXIT_OK;
}

int keeper_run(Keeper *k, bool stop_when_stable, int timeout_ms)
{
	signals_install();
	reaper_adopt_orphans();
	log_info("keeper for node %d (%s) in %s, state %s", k->st.node_id,
		 k->st.name, k->node.pgdata, state_name(k->st.current));
	sdnotify_ready("keeper running");
	int rc = run_loop(k, stop_when_stable, timeout_ms);
	sdnotify_stopping();
	return rc;
}
