/*
 * formation.c - what the rules, the candidate choice and the formation's
 * health ask of a formation snapshot: its default settings, a node by
 * id, the primary, whether a node still reports, and whether the primary
 * is down (docs/guarantees.md, "When the primary is declared down").
 */
#include "fsm/formation.h"

void fsm_settings_default(FsmSettings *s)
{
	s->number_sync_standbys = 1;
	s->strict_sync = false;
	s->paused = false;
	s->switchover_to = -1;
	s->failover_requested = false;
	s->node_down_ms = 3000;
	s->restart_allowance_ms = 5000;
	s->sync_timeout_ms = 5000;
	s->catchup_bytes = 16 * 1024 * 1024;
}

FsmNode *fsm_node(const FsmFormation *f, int id)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		if (f->nodes[i].id == id)
			return &f->nodes[i];
	}
	return NULL;
}

FsmNode *fsm_primary(const FsmFormation *f)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		if (state_is_primary(f->nodes[i].goal))
			return &f->nodes[i];
	}
	return NULL;
}

bool fsm_is_fresh(const FsmFormation *f, const FsmNode *n)
{
	return f->now_ms - n->last_report_ms <= f->settings.node_down_ms;
}

static bool health_lost(const FsmFormation *f, const FsmNode *p)
{
	return !p->health_ok && p->health_fail_since_ms >= 0 &&
	       f->now_ms - p->health_fail_since_ms >= f->settings.node_down_ms;
}

static bool a_standby_streams_from(const FsmFormation *f, const FsmNode *p)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		const FsmNode *s = &f->nodes[i];
		if (s != p && fsm_is_fresh(f, s) && s->receiver_streaming &&
		    s->streaming_from == p->id)
			return true;
	}
	return false;
}

/*
 * A keeper that still reports, with Postgres down and not given up, is
 * restarting it in place: that Postgres is lost only once the checks
 * have failed for node_down_ms and restart_allowance_ms on top.
 */
static bool restart_overdue(const FsmFormation *f, const FsmNode *p)
{
	return p->health_fail_since_ms >= 0 &&
	       f->now_ms - p->health_fail_since_ms >=
		       f->settings.node_down_ms +
			       f->settings.restart_allowance_ms;
}

/*
 * No standby streamed from p within the window in which p's keeper, cut
 * off from the store, still counts its replies and keeps p open
 * (fsm.h). Only reporting standbys are known; with every_one, all must
 * report, and there must be one.
 */
static bool standbys_let_go(const FsmFormation *f, const FsmNode *p,
			    bool every_one)
{
	size_t known = 0;
	for (size_t i = 0; i < f->nnodes; i++) {
		const FsmNode *s = &f->nodes[i];
		if (s == p || s->goal == NS_DROPPED)
			continue;
		if (!fsm_is_fresh(f, s)) {
			if (every_one)
				return false;
			continue;
		}
		known++;
		if (s->not_streaming_since_ms < 0 ? s->streaming_from == p->id
		    : f->now_ms - s->not_streaming_since_ms <
			      STANDBY_REPLY_FRESH_MS + FENCE_MARGIN_MS)
			return false;
	}
	return !every_one || known > 0;
}

/*
 * Definitive evidence, no need to wait out node_down_ms: the host
 * refuses connections to the primary's port (a refusal, not a timeout),
 * and the primary's keeper, silent, must have fenced it by now had it
 * been alive but cut off (its reported fence_ms, a margin, and the
 * standbys' reply window).
 */
bool fsm_primary_refused(const FsmFormation *f, const FsmNode *p)
{
	return !p->health_ok && p->port_closed && p->fence_ms > 0 &&
	       f->now_ms - p->last_report_ms >= p->fence_ms + FENCE_MARGIN_MS &&
	       standbys_let_go(f, p, true);
}

bool fsm_primary_down(const FsmFormation *f, const FsmNode *p)
{
	bool keeper_lost = !fsm_is_fresh(f, p);
	bool postgres_lost =
		p->pg_failed || (!p->pg_running && restart_overdue(f, p));

	if (a_standby_streams_from(f, p))
		return false;
	return (health_lost(f, p) && (keeper_lost || postgres_lost) &&
		standbys_let_go(f, p, false)) ||
	       fsm_primary_refused(f, p);
}
