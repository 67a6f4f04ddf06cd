/*
 * formation.c - what the rules, the candidate choice and the formation's
 * health ask of a formation snapshot: its default settings, a node by
 * id, the primary, whether a node still reports, and whether the primary
 * is down (docs/guarantees.md, "When the primary is declared down").
 */
#include "fsm/formation.h"

#include <string.h>

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

const FsmNode *fsm_settled_primary(const FsmFormation *f)
{
	const FsmNode *p = fsm_primary(f);
	if (!p || p->reported != p->goal || p->goal == NS_SINGLE)
		return NULL;
	return p;
}

bool fsm_is_fresh(const FsmFormation *f, const FsmNode *n)
{
	return f->now_ms - n->last_report_ms <= f->settings.node_down_ms;
}

bool fsm_primary_healthy(const FsmFormation *f, const FsmNode *p)
{
	return p && p->health_ok && fsm_is_fresh(f, p) && p->pg_running;
}

/*
 * A keeper that still reports, with Postgres down and not given up, is
 * restarting it in place: that Postgres is lost only once the checks
 * have failed for node_down_ms and restart_allowance_ms on top.
 */
static void postgres_signals(const FsmFormation *f, const FsmNode *p,
			     FsmDownSignals *s)
{
	const FsmSettings *set = &f->settings;
	int64_t failing = p->health_fail_since_ms >= 0
				  ? f->now_ms - p->health_fail_since_ms
				  : -1;

	s->keeper_silent_ms = f->now_ms - p->last_report_ms;
	s->keeper_lost = !fsm_is_fresh(f, p);
	s->health_failing_ms = p->health_ok ? -1 : failing;
	s->health_lost = !p->health_ok && failing >= set->node_down_ms;
	s->pg_failed = p->pg_failed;
	s->pg_stopped = !p->pg_running;
	s->restart_overdue =
		failing >= set->node_down_ms + set->restart_allowance_ms;
	s->postgres_lost = p->pg_failed || (!p->pg_running && s->restart_overdue);
}

/*
 * What the standbys say of p. One holds it while it streams from p, or
 * stopped less than the window ago in which p's keeper, cut off from the
 * store, still counts its replies and keeps p open (formation.h). Only
 * reporting standbys are known; dropped ones do not count.
 */
static void standby_signals(const FsmFormation *f, const FsmNode *p,
			    FsmDownSignals *s)
{
	s->holding_stopped_ms = -1;
	for (size_t i = 0; i < f->nnodes; i++) {
		const FsmNode *o = &f->nodes[i];
		bool fresh = fsm_is_fresh(f, o);
		if (o == p)
			continue;
		if (!s->streaming_standby && fresh && o->receiver_streaming &&
		    o->streaming_from == p->id)
			s->streaming_standby = o->id;
		if (o->goal == NS_DROPPED)
			continue;
		if (!fresh) {
			s->silent_standby = s->silent_standby ? s->silent_standby
							      : o->id;
			continue;
		}
		s->reporting_standbys++;
		bool holds = o->not_streaming_since_ms < 0
				     ? o->streaming_from == p->id
				     : f->now_ms - o->not_streaming_since_ms <
					       STANDBY_LET_GO_MS;
		if (holds && !s->holding_standby) {
			s->holding_standby = o->id;
			if (o->not_streaming_since_ms >= 0)
				s->holding_stopped_ms =
					f->now_ms - o->not_streaming_since_ms;
		}
	}
	s->standbys_let_go = !s->holding_standby;
}

/*
 * Definitive evidence, no need to wait out node_down_ms: the host
 * refuses connections to the primary's port (a refusal, not a timeout),
 * and the primary's keeper, silent, must have fenced it by now had it
 * been alive but cut off (its reported fence_ms, a margin, and the
 * standbys' reply window: every standby reports and let go of it).
 * Otherwise down only when every signal agrees; never while a standby
 * streams from it.
 */
void fsm_down_signals(const FsmFormation *f, const FsmNode *p,
		      FsmDownSignals *s)
{
	memset(s, 0, sizeof(*s));
	postgres_signals(f, p, s);
	standby_signals(f, p, s);
	s->port_refused = !p->health_ok && p->port_closed;
	s->fence_ms = p->fence_ms;
	s->fence_passed = p->fence_ms > 0 &&
			  s->keeper_silent_ms >= p->fence_ms + FENCE_MARGIN_MS;
	s->refused = s->port_refused &&
		     s->fence_passed && s->standbys_let_go &&
		     !s->silent_standby && s->reporting_standbys > 0;
	s->down = !s->streaming_standby &&
		  ((s->health_lost && (s->keeper_lost || s->postgres_lost) &&
		    s->standbys_let_go) ||
		   s->refused);
}

bool fsm_primary_refused(const FsmFormation *f, const FsmNode *p)
{
	FsmDownSignals s;
	fsm_down_signals(f, p, &s);
	return s.refused;
}

bool fsm_primary_down(const FsmFormation *f, const FsmNode *p)
{
	FsmDownSignals s;
	fsm_down_signals(f, p, &s);
	return s.down;
}
