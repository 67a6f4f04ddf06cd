/*
 * keeper_publish.c - what the keeper tells the outside besides the
 * store: the snapshot behind its HTTP API, and how long its promotions
 * took (keeper_hooks.c runs its hooks).
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/nodetags.h"
#include "keeper/keeper.h"
#include "keeper/keeper_api.h"

static bool named_in(const char *sync_names, const char *name)
{
	char quoted[80];
	snprintf(quoted, sizeof(quoted), "\"%s\"", name);
	return strstr(sync_names, quoted) != NULL;
}

static void fill_from_store(const Keeper *k, KeeperStatus *st)
{
	const StoreNode *me = keeper_me(k);
	const StoreNode *p = k->formation ? store_formation_primary(k->formation)
					  : NULL;
	st->known = me != NULL;
	st->goal = me ? me->goal : k->st.current;
	st->maintenance = me && me->maintenance;
	st->noloadbalance = me && (me->tags & NODE_TAG_NOLOADBALANCE);
	if (p && p != me) {
		st->primary_lsn = p->report.lsn;
		st->in_sync_set = named_in(p->sync_names, k->st.name);
	}
}

static void fill(const Keeper *k, int64_t now_ms, bool busy,
		 KeeperStatus *st)
{
	memset(st, 0, sizeof(*st));
	st->published_ms = now_ms;
	st->busy = busy;
	st->interval_ms = k->interval_ms;
	snprintf(st->formation, sizeof(st->formation), "%s",
		 config_get(&k->cfg, S_FORMATION));
	snprintf(st->name, sizeof(st->name), "%s", k->st.name);
	snprintf(st->host, sizeof(st->host), "%s",
		 config_get(&k->cfg, S_HOSTNAME));
	st->port = k->node.port;
	st->node_id = k->st.node_id;
	st->current = k->st.current;
	st->fenced = k->fenced;
	st->paused = k->paused;
	st->store_ok = k->store_ok;
	st->pg_running = k->obs_ok;
	st->in_recovery = k->obs.in_recovery;
	st->streaming = k->obs.receiver_streaming;
	st->pending_restart = k->obs.pending_restart;
	st->lsn = k->obs.in_recovery ? k->obs.replay_lsn : k->obs.current_lsn;
	st->timeline = k->obs.timeline;
	st->replay_lag_s = k->obs.replay_lag_s;
	st->contact_ms = k->contact_ms;
	st->replayed_ms = k->replayed_ms;
	st->promotions = k->promotions;
	st->last_promotion_s = k->last_promotion_s;
	fill_from_store(k, st);
}

void keeper_publish(Keeper *k, int64_t now_ms, bool busy)
{
	KeeperStatus st;
	if (!k->api)
		return;
	fill(k, now_ms, busy, &st);
	keeper_api_publish(k->api, &st);
}

void keeper_api_open(Keeper *k, int64_t now_ms)
{
	char err[512];

	if (k->api || config_get_int(&k->cfg, S_HTTP_PORT) == 0 ||
	    now_ms < k->api_retry_ms)
		return;
	k->api = keeper_api_start(&k->cfg, err, sizeof(err));
	if (!k->api && err[0]) {
		log_error("HTTP API: %s (trying again in 5 s)", err);
		k->api_retry_ms = now_ms + 5000;
	}
}

void keeper_track_promotion(Keeper *k, NodeState goal, bool reached,
			    int64_t now_ms)
{
	if (goal == NS_PREPARE_PROMOTION && k->promotion_start_ms == 0)
		k->promotion_start_ms = now_ms;
	if (reached && state_is_primary(goal) && k->promotion_start_ms > 0) {
		k->promotions++;
		k->last_promotion_s =
			(double)(now_ms - k->promotion_start_ms) / 1000;
		k->promotion_start_ms = 0;
	}
}
