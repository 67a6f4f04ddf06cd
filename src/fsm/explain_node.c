/*
 * explain_node.c - one node's part of an explanation (explain.h): its
 * goal and report, its keeper and checks, the primary's failure signals
 * or a standby's standing as a failover candidate, the operator's
 * requests it still waits on, and the first rule that fires for it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"
#include "fsm/explain.h"

void fsm_say(FsmLines *l, const char *fmt, ...)
{
	va_list ap;

	if (l->n >= FSM_EXPLAIN_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(l->text[l->n++], FSM_EXPLAIN_LINE, fmt, ap);
	va_end(ap);
}

static double secs(int64_t ms)
{
	return (double)ms / 1000.0;
}

static const char *name_of(const FsmFormation *f, int id)
{
	const FsmNode *n = fsm_node(f, id);
	return n ? n->name : "an unknown node";
}

const FsmRule *fsm_rule_to(NodeState to, unsigned from)
{
	for (size_t i = 0; i < fsm_nrules; i++) {
		if (fsm_rules[i].to == to && (fsm_rules[i].from & from))
			return &fsm_rules[i];
	}
	return NULL;
}

/* The goal states r starts from, as "a, b or c". */
static void from_states(const FsmRule *r, char *buf, size_t len)
{
	size_t off = 0, count = 0, total = 0;

	for (int s = 0; s < NS_COUNT; s++)
		total += (r->from & FROM(s)) != 0;
	buf[0] = '\0';
	for (int s = 0; s < NS_COUNT && off < len; s++) {
		if (!(r->from & FROM(s)))
			continue;
		count++;
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					count == 1	 ? ""
					: count == total ? " or "
							 : ", ",
					state_name((NodeState)s));
	}
}

void fsm_say_rule(FsmLines *l, const FsmFormation *f, const FsmNode *n,
		  const FsmRule *r, const char *what)
{
	char why[256], from[256];
	int up;

	if (!r)
		return;
	switch (fsm_rule_status(f, n, r, &up, why, sizeof(why))) {
	case FR_FIRES:
		fsm_say(l, "%s: due now (%s).", what, why);
		break;
	case FR_NOT_FROM:
		from_states(r, from, sizeof(from));
		fsm_say(l, "%s: waits, since \"%s\" starts from %s and its goal "
			   "is %s.",
			what, r->comment, from, state_name(n->goal));
		break;
	case FR_WAITS_REACHED:
		fsm_say(l, "%s: waits for its keeper to reach %s (it reports "
			   "%s).",
			what, state_name(n->goal), state_name(n->reported));
		break;
	case FR_NOT_NOW:
		fsm_say(l, "%s: waits, since the rule's condition does not hold "
			   "yet (%s).",
			what, r->comment);
		break;
	}
}

static void say_basics(const FsmFormation *f, FsmNodeExplanation *e)
{
	const FsmNode *n = e->node;
	int64_t age = f->now_ms - n->last_report_ms;

	fsm_say(&e->lines, "Assigned %s, reports %s%s.", state_name(n->goal),
		state_name(n->reported),
		n->goal == n->reported ? ""
				       : ": its keeper has not reached its goal");
	if (fsm_is_fresh(f, n))
		fsm_say(&e->lines, "Its keeper reported %.1f s ago.", secs(age));
	else
		fsm_say(&e->lines, "Its keeper is silent: no report for %.1f s, "
				   "over node_down_timeout (%.1f s).",
			secs(age), secs(f->settings.node_down_ms));
	if (n->health_ok)
		fsm_say(&e->lines, "The monitor's checks reach its Postgres.");
	else if (n->health_fail_since_ms >= 0)
		fsm_say(&e->lines, "The monitor's checks fail, for %s%.1f s%s.",
			f->since_at_least ? "at least " : "",
			secs(f->now_ms - n->health_fail_since_ms),
			n->port_closed ? " (connections refused)" : "");
	if (n->pg_failed)
		fsm_say(&e->lines, "Its keeper gave up restarting Postgres.");
	else if (!n->pg_running)
		fsm_say(&e->lines, "Its keeper reports Postgres stopped.");
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* The failure detector's two ways to find the primary down (formation.c),
 * each with its signals. */
static void say_down_signals(const FsmFormation *f, FsmNodeExplanation *e)
{
	const FsmDownSignals *s = &e->down;
	char holder[160] = "none";

	if (s->streaming_standby)
		snprintf(holder, sizeof(holder), "%s streams from it",
			 name_of(f, s->streaming_standby));
	else if (s->holding_standby && s->holding_stopped_ms < 0)
		snprintf(holder, sizeof(holder), "%s follows it",
			 name_of(f, s->holding_standby));
	else if (s->holding_standby)
		snprintf(holder, sizeof(holder),
			 "%s stopped streaming %s%.1f s ago, under %.2f s",
			 name_of(f, s->holding_standby),
			 f->since_at_least ? "at least " : "",
			 secs(s->holding_stopped_ms),
			 secs(STANDBY_LET_GO_MS));
	fsm_say(&e->lines,
		"Down by every signal needs: checks failing for "
		"node_down_timeout (%s), its keeper or its Postgres lost (%s), "
		"no standby holding it (%s: %s).",
		yes_no(s->health_lost), yes_no(s->keeper_lost || s->postgres_lost),
		yes_no(s->standbys_let_go && !s->streaming_standby), holder);
	if (s->fence_ms > 0)
		fsm_say(&e->lines,
			"Down at once needs: its port refusing connections (%s), "
			"its keeper silent past its fencing time, %.2f s (%s), "
			"every standby reporting and let go of it (%s).",
			yes_no(s->port_refused),
			secs(s->fence_ms + FENCE_MARGIN_MS), yes_no(s->fence_passed),
			yes_no(s->standbys_let_go && !s->silent_standby &&
			       s->reporting_standbys > 0));
	else
		fsm_say(&e->lines, "Down at once: not possible, its keeper "
				   "reported no fencing time.");
	fsm_say(&e->lines, "Verdict: %s.",
		s->down ? (s->refused ? "down, on definitive evidence"
				      : "down, by every signal")
			: "not down");
}

static void say_flaws(FsmNodeExplanation *e)
{
	char text[FSM_EXPLAIN_LINE] = "";
	size_t off = 0;

	for (int i = 0; i < FC_COUNT; i++) {
		unsigned bit = 1u << i;
		if ((e->flaws & bit) && off < sizeof(text))
			off += (size_t)snprintf(text + off, sizeof(text) - off,
						"%s%s", off ? "; " : "",
						fsm_flaw_text(bit));
	}
	if (e->flaws)
		fsm_say(&e->lines, "Not a failover candidate: %s.", text);
	else if (e->candidate)
		fsm_say(&e->lines, "Failover candidate: a failover now would "
				   "promote it.");
	else
		fsm_say(&e->lines, "Failover candidate, but a failover now would "
				   "promote another standby first (higher "
				   "priority, then more WAL, then lower id).");
}

/* node.replicate_from and node.apply_delay, when set */
static void say_cascade(const FsmFormation *f, FsmNodeExplanation *e)
{
	const FsmNode *n = e->node;
	char delay[32];

	if (n->replicate_from &&
	    fsm_wanted_upstream(f, n) == n->replicate_from)
		fsm_say(&e->lines, "Replicates from the standby %s "
				   "(node.replicate_from).",
			name_of(f, n->replicate_from));
	else if (n->replicate_from)
		fsm_say(&e->lines, "node.replicate_from names %s, not a healthy "
				   "standby of the primary now: follows the "
				   "primary.",
			name_of(f, n->replicate_from));
	if (n->apply_delay_ms > 0)
		fsm_say(&e->lines, "Replays WAL %s late (node.apply_delay): "
				   "never promoted, never synchronous.",
			duration_format(n->apply_delay_ms, delay,
					sizeof(delay)));
}

static void say_standby(const FsmFormation *f, const FsmNode *p,
			FsmNodeExplanation *e)
{
	const FsmNode *n = e->node;

	if (n->receiver_streaming)
		fsm_say(&e->lines, "Streams WAL from %s.",
			n->streaming_from ? name_of(f, n->streaming_from)
					  : "a node outside the formation");
	else if (n->not_streaming_since_ms >= 0)
		fsm_say(&e->lines, "Does not stream WAL, for %s%.1f s.",
			f->since_at_least ? "at least " : "",
			secs(f->now_ms - n->not_streaming_since_ms));
	else
		fsm_say(&e->lines, "Does not stream WAL.");
	say_cascade(f, e);
	if (p && p != n)
		fsm_say(&e->lines, "%llu bytes behind the primary's LSN (in sync "
				   "within %llu).",
			(unsigned long long)e->lag_bytes,
			(unsigned long long)f->settings.catchup_bytes);
	if (!n->quorum)
		fsm_say(&e->lines, "Not in the replication quorum: commits never "
				   "wait for it.");
	else
		fsm_say(&e->lines, "%s",
			e->sync_member ? "In the synchronous set: commits may "
					 "wait for it."
				       : "Not in the synchronous set now.");
	say_flaws(e);
	if (e->ahead_id)
		fsm_say(&e->lines, "%s received %llu bytes more WAL: promoting "
				   "this node would first fetch them from there.",
			name_of(f, e->ahead_id),
			(unsigned long long)e->behind_bytes);
}

static void say_requests(const FsmFormation *f, FsmNodeExplanation *e)
{
	const FsmNode *n = e->node;

	if (e->drop_pending)
		fsm_say_rule(&e->lines, f, n, fsm_rule_to(NS_DROPPED, ~0u),
			     "Drop requested");
	if (e->maintenance_pending && n->maintenance)
		fsm_say_rule(&e->lines, f, n, fsm_rule_to(NS_MAINTENANCE, ~0u),
			     "Maintenance requested");
	else if (e->maintenance_pending)
		fsm_say_rule(&e->lines, f, n,
			     fsm_rule_to(NS_CATCHINGUP, FROM(NS_MAINTENANCE)),
			     "End of maintenance requested");
	if (e->restart_pending)
		fsm_say(&e->lines, "Restart of Postgres requested: %s.",
			fsm_is_fresh(f, n) ? "its keeper carries it out at its "
					     "next step"
					   : "waits for its silent keeper");
}

static void node_facts(const FsmFormation *f, const FsmExplanation *x,
		       FsmNodeExplanation *e)
{
	const FsmNode *n = e->node;
	const FsmNode *p = fsm_primary(f);
	const FsmNode *max = fsm_most_advanced(f);

	e->primary = p == n;
	if (e->primary)
		fsm_down_signals(f, n, &e->down);
	e->flaws = fsm_candidate_flaws(f, n);
	e->candidate = x->candidate_id == n->id;
	e->sync_member = p && p != n && fsm_sync_member(f, p, n);
	e->lag_bytes = p && p != n ? lsn_ahead_by(p->lsn, n->lsn) : 0;
	if (max && max != n && max->lsn > n->lsn &&
	    state_is_standby(n->goal)) {
		e->ahead_id = max->id;
		e->behind_bytes = lsn_ahead_by(max->lsn, n->lsn);
	}
	e->maintenance_pending = n->maintenance != (n->goal == NS_MAINTENANCE);
	e->drop_pending = n->drop && n->goal != NS_DROPPED;
	e->restart_pending = n->restart_pending;
	const FsmRule *r = f->settings.paused
				   ? NULL
				   : fsm_next_rule(f, n, &e->next.upstream_id,
						   e->next.why,
						   sizeof(e->next.why));
	if (r) {
		e->has_next = true;
		e->next.node_id = n->id;
		e->next.from = n->goal;
		e->next.to = r->to;
	}
}

void fsm_explain_node(const FsmFormation *f, const FsmExplanation *x,
		      FsmNodeExplanation *e)
{
	const FsmNode *n = e->node;
	const FsmNode *p = fsm_primary(f);

	node_facts(f, x, e);
	say_basics(f, e);
	if (e->primary)
		say_down_signals(f, e);
	else if (n->goal != NS_DROPPED)
		say_standby(f, p, e);
	say_requests(f, e);
	if (f->settings.paused)
		fsm_say(&e->lines, "Paused: no decision for it.");
	else if (e->has_next)
		fsm_say(&e->lines, "Next decision: %s -> %s (%s).",
			state_name(e->next.from), state_name(e->next.to),
			e->next.why);
	else
		fsm_say(&e->lines, "No rule fires: it keeps its goal, %s.",
			state_name(n->goal));
}
