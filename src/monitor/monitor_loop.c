/*
 * monitor_loop.c - the monitor's cycle: hold the lease, health-check the
 * nodes, run the state machine on each formation, write its decisions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/exitcode.h"
#include "common/log.h"
#include "common/reaper.h"
#include "common/sdnotify.h"
#include "common/signals.h"
#include "common/sslconn.h"
#include "common/timeutil.h"
#include "fsm/fsm.h"
#include "pg/pgnode_supervise.h"
#include "monitor/healththread.h"
#include "monitor/monitor.h"
#include "monitor/monitor_api.h"
#include "monitor/monitor_quiet.h"
#include "monitor/nodememory.h"

#define MAX_FORMATIONS 256

bool monitor_init(Monitor *m, const Config *cfg, char *err, size_t errlen)
{
	char host[64] = "";

	memset(m, 0, sizeof(*m));
	config_copy(&m->cfg, cfg);
	m->own_store = !monitor_shared_store(cfg);
	if (!nodepaths_init(&m->paths, config_get(cfg, S_PGDATA), err,
			    errlen) ||
	    (m->own_store && !pgnode_from_config(cfg, &m->node, err, errlen)))
		return false;
	if (!m->own_store) {
		snprintf(m->node.pgdata, sizeof(m->node.pgdata), "%s",
			 config_get(cfg, S_PGDATA));
		sslspec_from_config(cfg, &m->node.ssl);
	}
	supervisor_init(&m->sup, (int)config_get_int(cfg, S_RESTART_RETRIES));
	m->interval_ms = config_get_ms(cfg, S_MONITOR_INTERVAL);
	m->node_down_ms = config_get_ms(cfg, S_NODE_DOWN_TIMEOUT);
	m->restart_allowance_ms = config_get_ms(cfg, S_RESTART_ALLOWANCE);
	m->sync_timeout_ms = config_get_ms(cfg, S_SYNC_TIMEOUT);
	if (!config_timeouts_ordered(cfg, err, errlen))
		return false;
	gethostname(host, sizeof(host) - 1);
	snprintf(m->holder, sizeof(m->holder), "%s:%d", host, (int)getpid());
	m->formation = calloc(1, sizeof(StoreFormation));
	return m->formation != NULL;
}

void monitor_free(Monitor *m)
{
	monitor_api_stop(m->api);
	m->api = NULL;
	config_free(&m->cfg);
	store_close(m->store);
	free(m->formation);
	m->formation = NULL;
}

static void to_fsm_node(const StoreFormation *sf, const StoreNode *n,
			const NodeMemory *nm, FsmNode *f)
{
	monitor_fsm_node(sf, n, f);
	f->last_report_ms = nm->last_report_ms;
	f->health_ok = nm->health_fail_since_ms < 0;
	f->health_fail_since_ms = nm->health_fail_since_ms;
	f->not_streaming_since_ms = nm->not_streaming_since_ms;
	f->port_closed = nm->port_closed;
}

/*
 * The connection tests' latest results, from the health thread; the
 * nodes are handed to it for its next rounds. A node not tested yet
 * counts as healthy: like a monitor that just started, the monitor never
 * fails a node over on a result it does not have.
 */
static void check_health(Monitor *m, StoreFormation *sf, NodeMemory **mem)
{
	for (size_t i = 0; i < sf->nnodes; i++) {
		const StoreNode *n = &sf->nodes[i];
		bool ok = true, closed = false;
		int64_t since = 0;
		healththread_collect(m->health, n->id, n->host, n->port,
				     sf->health_password);
		healththread_result(m->health, n->id, &ok, &closed, &since);
		mem[i]->health_ok = ok;
		mem[i]->port_closed = closed;
		mem[i]->health_down_since_ms = since;
	}
}

/* Views (reachable, sync names) that changed since last written. */
static size_t changed_views(Monitor *m, FsmFormation *f, NodeMemory **mem,
			    StoreNodeView *views)
{
	size_t nv = 0;
	for (size_t i = 0; i < f->nnodes; i++) {
		FsmNode *n = &f->nodes[i];
		char names[512] = "";
		NodeMemory *nm = mem[i];
		bool fits = !state_is_primary(n->goal) ||
			    fsm_sync_names(f, n, names, sizeof(names));
		if (!fits && !nm->sync_too_long)
			log_error("synchronous_standby_names for %s would be "
				  "longer than %zu bytes: kept as it was; use "
				  "shorter node names",
				  n->name, sizeof(names) - 1);
		nm->sync_too_long = !fits;
		if (!fits) /* never drop to asynchronous for a long list */
			snprintf(names, sizeof(names), "%s", nm->sync_names);
		if (nm->written && nm->reachable == n->health_ok &&
		    strcmp(nm->sync_names, names) == 0)
			continue;
		views[nv].node_id = n->id;
		views[nv].reachable = n->health_ok;
		snprintf(views[nv].sync_names, sizeof(views[nv].sync_names),
			 "%s", names);
		nm->reachable = n->health_ok;
		snprintf(nm->sync_names, sizeof(nm->sync_names), "%s", names);
		nm->written = true;
		nv++;
	}
	(void)m;
	return nv;
}

static void log_decisions(const char *formation, const FsmDecision *d,
			  size_t nd, const FsmFormation *f)
{
	for (size_t i = 0; i < nd; i++) {
		const FsmNode *n = fsm_node(f, d[i].node_id);
		log_info("%s/%s: %s -> %s: %s", formation, n ? n->name : "?",
			 state_name(d[i].from), state_name(d[i].to), d[i].why);
	}
}

/* A switchover starts with a draining primary, a forced failover with a
 * demoted one: then the operator's request has been carried out. */
static bool request_done(const FsmDecision *d, size_t nd)
{
	for (size_t i = 0; i < nd; i++) {
		if (d[i].to == NS_DRAINING || d[i].to == NS_DEMOTED)
			return true;
	}
	return false;
}

/* A settled formation needs no write: no decision, no view changed, the
 * same health, no request waiting to expire and no node to delete. */
static bool nothing_to_write(const StoreFormation *sf, size_t nd, size_t nv,
			     const char *health)
{
	if (nd > 0 || nv > 0 || strcmp(sf->health, health) != 0 ||
	    sf->switchover_to >= 0 || sf->failover_requested ||
	    sf->retired_roles > 0)
		return false;
	for (size_t i = 0; i < sf->nnodes; i++) {
		if (sf->nodes[i].goal == NS_DROPPED)
			return false;
	}
	return true;
}

/* Runs the state machine on sf and writes its decisions (d, *nd); false
 * when the formation is not managed or the write failed. *wrote: a
 * write was tried (sf is not what the store holds now). */
static bool decide(Monitor *m, StoreFormation *sf, int64_t now_ms,
		   FsmDecision *d, size_t *nd_out, bool *wrote)
{
	FsmNode nodes[STORE_MAX_NODES];
	NodeMemory *mem[STORE_MAX_NODES];
	StoreDecision sd[STORE_MAX_NODES * 2];
	StoreNodeView views[STORE_MAX_NODES];
	FsmFormation f = {.nodes = nodes, .nnodes = 0, .now_ms = now_ms};

	monitor_fsm_settings(sf, m->node_down_ms, m->restart_allowance_ms,
			     m->sync_timeout_ms, &f.settings);
	for (size_t i = 0; i < sf->nnodes; i++) {
		mem[i] = nodememory_get(m, sf->nodes[i].id, now_ms);
		if (!mem[i]) { /* more nodes than the monitor tracks */
			if (!m->said_memory_full)
				log_error("formation %s is not managed: the "
					  "monitor tracks %d nodes at most; "
					  "restart it to forget dropped ones",
					  sf->name, MONITOR_MAX_TRACKED);
			m->said_memory_full = true;
			monitor_quiet_end(m);
			return false;
		}
	}
	check_health(m, sf, mem);
	for (size_t i = 0; i < sf->nnodes; i++) {
		nodememory_observe(mem[i], &sf->nodes[i], mem[i]->health_ok,
				   now_ms);
		if (sf->paused) /* a pause freezes the failure detector */
			nodememory_forgive(mem[i], now_ms);
		to_fsm_node(sf, &sf->nodes[i], mem[i], &nodes[i]);
	}
	f.nnodes = sf->nnodes;
	size_t nd = fsm_step(&f, d, STORE_MAX_NODES * 2);
	for (size_t i = 0; i < nd; i++) {
		sd[i].node_id = d[i].node_id;
		sd[i].goal = d[i].to;
		sd[i].old = d[i].from;
		sd[i].upstream_id = d[i].upstream_id;
		snprintf(sd[i].why, sizeof(sd[i].why), "%s", d[i].why);
	}
	size_t nv = changed_views(m, &f, mem, views);
	const char *health = fsm_health_name(fsm_health(&f));
	*wrote = !nothing_to_write(sf, nd, nv, health);
	if (*wrote) {
		if (!store_apply(m->store, m->term, sf->name, sd, nd, views,
				 nv, health, request_done(d, nd))) {
			log_error("cannot write decisions: %s",
				  m->store->error);
			/* another monitor took over: stand by at once */
			if (m->store->failure == STORE_FENCED)
				m->active = false;
			for (size_t i = 0; i < f.nnodes; i++)
				mem[i]->written = false;
			monitor_quiet_end(m);
			return false;
		}
		log_decisions(sf->name, d, nd, &f);
	}
	monitor_quiet_formation(m, &f, mem, nd > 0 || *wrote);
	*nd_out = nd;
	return true;
}

/* One formation: read, decide, write, and count the promotions ordered;
 * then into the view v (when one is built), read again if written. */
static void manage(Monitor *m, const char *name, int64_t now_ms,
		   MonitorView *v)
{
	FsmDecision d[STORE_MAX_NODES * 2];
	size_t nd = 0;
	bool wrote = false;

	if (!store_get_formation(m->store, name, m->formation)) {
		log_warn("%s", m->store->error);
		monitor_quiet_end(m);
		return;
	}
	if (decide(m, m->formation, now_ms, d, &nd, &wrote))
		monitor_count_promotions(m, m->formation, d, nd, now_ms);
	if (m->formation->scheduled != 0) { /* not when there are none */
		monitor_run_scheduled(m, m->formation, time_wall_ms());
		monitor_quiet_end(m);
		wrote = true;
	}
	if (!v)
		return;
	if (wrote && !store_get_formation(m->store, name, m->formation))
		log_warn("HTTP API view: %s", m->store->error);
	else
		monitor_view_add(m, v, m->formation);
}

void monitor_cycle(Monitor *m, int64_t now_ms)
{
	char names[MAX_FORMATIONS][STORE_NAME_LEN];
	size_t n = 0;
	int64_t start = time_monotonic_us();

	monitor_quiet_begin(m, now_ms);
	if (!store_list_formations(m->store, names, MAX_FORMATIONS, &n)) {
		log_warn("%s", m->store->error);
		monitor_quiet_end(m);
		return;
	}
	if (n == MAX_FORMATIONS && !m->said_formations_cut)
		log_error("the store may hold more than %d formations: only "
			  "the first %d (by name) are managed",
			  MAX_FORMATIONS, MAX_FORMATIONS);
	m->said_formations_cut = n == MAX_FORMATIONS;
	MonitorView *v = monitor_view_due(m, now_ms) ? monitor_view_begin()
						     : NULL;
	for (size_t i = 0; i < n; i++)
		manage(m, names[i], now_ms, v);
	healththread_commit(m->health);
	/* the view's time is not the decisions' */
	m->last_cycle_us = time_monotonic_us() - start -
			   (v ? monitor_view_spent_us(v) : 0);
	if (v)
		monitor_view_end(m, v, now_ms);
}

/* How long the loop waits for news: the quiet cadence's wait, or less
 * to decide as soon as a failing node's signal crosses its threshold. */
static int64_t monitor_wait(const Monitor *m, int64_t now_ms)
{
	int64_t wait = monitor_quiet_wait(m, now_ms);
	int64_t next = nodememory_next_deadline(m, m->node_down_ms, now_ms);

	if (next >= 0 && next + 1 - now_ms < wait)
		wait = next + 1 - now_ms;
	return wait;
}

/* Holds (or waits for) the lease; true while this monitor is active. */
static bool hold_lease(Monitor *m)
{
	int64_t term = 0;
	bool ok = store_acquire(m->store, m->holder, m->api_addr, &term);

	/* standing by: the active monitor may be dead, not silent */
	if (ok && term == 0 && !m->own_store &&
	    monitor_peer_check(m->store, &m->peer, time_monotonic_ms()))
		ok = store_acquire(m->store, m->holder, m->api_addr, &term);
	if (!ok) {
		log_warn("%s", m->store->error);
		m->active = false;
		return false;
	}
	if (term > 0 && (!m->active || term != m->term)) {
		log_info("monitor active (lease term %lld)", (long long)term);
		m->nmem = 0; /* a new term starts with fresh memories */
		monitor_quiet_end(m);
	}
	if (term == 0 && (m->active || m->term >= 0))
		log_warn("another monitor holds the lease: standing by");
	m->active = term > 0;
	m->term = term > 0 ? term : -1;
	return m->active;
}

static bool open_store(Monitor *m)
{
	char err[1024];
	if (m->store)
		return true;
	m->store = monitor_open_store(&m->cfg, true, err, sizeof(err));
	if (!m->store) {
		log_warn("%s", err);
		return false;
	}
	/* a changed health check wakes the decisions, as a report does */
	store_set_wake_fd(m->store, healththread_changed_fd(m->health));
	return true;
}

/* SIGHUP, for the HTTP API: its server starts again with the [http]
 * settings and the certificate read again. */
static void reload_api(Monitor *m)
{
	char err[512] = "";

	if (m->api && !monitor_api_restart(m->api, &m->cfg, err, sizeof(err))) {
		monitor_api_stop(m->api);
		m->api = NULL;
	} else if (!m->api) {
		m->api = monitor_api_start(&m->cfg, err, sizeof(err));
	}
	if (!m->api && err[0])
		log_error("HTTP API: %s", err);
	if (!m->own_store) /* listed where the API answers now */
		monitor_peer_address(&m->cfg, m->api != NULL, m->api_addr,
				     sizeof(m->api_addr));
}

/* SIGHUP: intervals, timeouts and the log level from the file again,
 * a reload of Postgres, which reads its certificate files again, and a
 * restart of the HTTP API. */
static void reload(Monitor *m)
{
	if (m->own_store)
		pgnode_reload_on_sighup(&m->node);
	if (!config_reload(&m->cfg))
		return;
	m->interval_ms = config_get_ms(&m->cfg, S_MONITOR_INTERVAL);
	m->node_down_ms = config_get_ms(&m->cfg, S_NODE_DOWN_TIMEOUT);
	m->restart_allowance_ms = config_get_ms(&m->cfg, S_RESTART_ALLOWANCE);
	m->sync_timeout_ms = config_get_ms(&m->cfg, S_SYNC_TIMEOUT);
	reload_api(m);
}

/*
 * The health checks' sslmode. Postgres connections do not carry TLS in
 * every deployment yet: "prefer" encrypts when the node offers it and
 * never fails a check for the lack of it. With TLS on every node this
 * becomes ssl.mode (and its CA and CRL files), set in healthcheck.c's
 * login().
 */
static const char *health_sslmode(const Monitor *m)
{
	(void)m;
	return "prefer";
}

int monitor_run(Monitor *m)
{
	char err[1024];

	signals_install();
	reaper_adopt_orphans();
	if (m->own_store)
		log_info("monitor in %s on port %d", m->node.pgdata,
			 m->node.port);
	else
		log_info("monitor %s of a shared store", m->holder);
	m->health = healththread_start(
		m->interval_ms,
		(int)(m->interval_ms * 4 > 2000 ? 2000 : m->interval_ms * 4),
		health_sslmode(m), &m->node.ssl);
	if (!m->health) {
		log_error("cannot start the connection-test thread");
		return EXIT_FAILED;
	}
	m->api = monitor_api_start(&m->cfg, err, sizeof(err));
	if (!m->api && err[0])
		log_error("HTTP API: %s", err);
	if (!m->own_store)
		monitor_peer_address(&m->cfg, m->api != NULL, m->api_addr,
				     sizeof(m->api_addr));
	sdnotify_ready("monitor running");
	while (signals_stop_requested() == SIGNAL_STOP_NONE) {
		int64_t now = time_monotonic_ms();
		if (signals_take_reload())
			reload(m);
		reaper_reap();
		if (m->own_store)
			pgnode_supervise(&m->node, &m->sup, true, now, err,
					 sizeof(err));
		/* not while its Postgres is still starting (recovering) */
		/* its news is read now */
		bool news = healththread_drain(m->health);
		bool decided = !m->sup.launching && open_store(m) &&
			       hold_lease(m);
		if (decided && !monitor_quiet_skip(m, now, news))
			monitor_cycle(m, now);
		MonitorView *v = !decided && monitor_view_due(m, now)
					 ? monitor_view_begin()
					 : NULL;
		if (v) /* a monitor standing by shows no formation */
			monitor_view_end(m, v, now);
		sdnotify_watchdog(); /* a cycle completed: not hung */
		healththread_set_quiet(m->health, m->quiet, m->node_down_ms);
		int64_t wait = monitor_wait(m, time_monotonic_ms());
		if (!m->store || !store_wait(m->store, (int)wait)) {
			monitor_quiet_end(m);
			time_sleep_ms(m->interval_ms);
		}
	}
	log_info("stopping the monitor");
	sdnotify_stopping();
	healththread_stop(m->health);
	m->health = NULL;
	store_close(m->store);
	m->store = NULL;
	if (m->own_store)
		pgnode_stop(&m->node, STOP_FAST, err, sizeof(err));
	return EXIT_OK;
}
