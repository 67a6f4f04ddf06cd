/*
 * explain.c - a formation's explanation (explain.h): its health, whether
 * it is paused, its primary and the failure detector's verdict on it,
 * whom a failover would promote, the operator's pending switchover or
 * failover, and the decisions the monitor would make now, found by
 * running fsm_step on a copy of the snapshot. Each node's part comes
 * from explain_node.c.
 */
#include "fsm/explain.h"

#include <stdio.h>
#include <string.h>

static double secs(int64_t ms)
{
	return (double)ms / 1000.0;
}

/* What fsm_step would decide now; the snapshot is left as it was. */
static void next_decisions(const FsmFormation *f, FsmExplanation *x)
{
	FsmNode copy[FSM_EXPLAIN_NODES];
	FsmFormation g = *f;

	if (f->nnodes > FSM_EXPLAIN_NODES)
		return;
	memcpy(copy, f->nodes, f->nnodes * sizeof(FsmNode));
	g.nodes = copy;
	x->nnext = fsm_step(&g, x->next, FSM_EXPLAIN_DECISIONS);
}

/* The main reason the failure detector does not find p down. */
static void say_not_down(const FsmFormation *f, FsmExplanation *x,
			 const FsmDownSignals *s)
{
	const FsmNode *h = fsm_node(f, s->streaming_standby
					       ? s->streaming_standby
					       : s->holding_standby);
	if (s->streaming_standby)
		fsm_say(&x->lines, "No failover: %s still streams WAL from the "
				   "primary, so it is not down.",
			h->name);
	else if (!s->health_lost && s->health_failing_ms < 0)
		fsm_say(&x->lines, "No failover: the monitor's checks reach the "
				   "primary.");
	else if (!s->health_lost)
		fsm_say(&x->lines, "No failover yet: the monitor's checks have "
				   "failed for %s%.1f s of node_down_timeout "
				   "(%.1f s).",
			f->since_at_least ? "at least " : "",
			secs(s->health_failing_ms),
			secs(f->settings.node_down_ms));
	else if (!s->keeper_lost && !s->postgres_lost)
		fsm_say(&x->lines, "No failover: the primary's keeper still "
				   "reports and its Postgres is not lost.");
	else if (h && s->holding_stopped_ms >= 0)
		fsm_say(&x->lines, "No failover yet: %s stopped streaming from "
				   "the primary %s%.1f s ago, under %.2f s (it "
				   "may still keep the primary open).",
			h->name, f->since_at_least ? "at least " : "",
			secs(s->holding_stopped_ms),
			secs(STANDBY_LET_GO_MS));
	else if (h)
		fsm_say(&x->lines, "No failover: %s follows the primary.",
			h->name);
}

static bool promoting(const FsmFormation *f)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		if (f->nodes[i].goal == NS_PREPARE_PROMOTION)
			return true;
	}
	return false;
}

static void say_failover(const FsmFormation *f, FsmExplanation *x,
			 const FsmNode *p)
{
	FsmDownSignals s;

	fsm_down_signals(f, p, &s);
	x->primary_down = s.down;
	if (!s.down)
		say_not_down(f, x, &s);
	if (!s.down && !x->failover_pending)
		return;
	if (s.down)
		fsm_say(&x->lines, "The primary is down (%s).",
			s.refused ? "definitive evidence: its port refuses "
				    "connections and its keeper is past its "
				    "fencing time"
				  : "every signal lost it");
	else
		fsm_say(&x->lines, "A failover was forced by an operator.");
	if (promoting(f))
		fsm_say(&x->lines, "A promotion is under way.");
	else if (x->candidate_id)
		fsm_say(&x->lines, "Failover: %s.",
			x->candidate_why);
	else
		fsm_say(&x->lines, "No standby can be promoted: each standby "
				   "below says why.");
}

/* The switchover's rule for the primary, and what its condition
 * (rules.c, switchover_requested) lacks when it does not hold. */
static void say_switchover(const FsmFormation *f, FsmExplanation *x,
			   const FsmNode *p)
{
	int to = f->settings.switchover_to, up;
	const FsmNode *target = to > 0 ? fsm_node(f, to) : NULL;
	const FsmRule *r = fsm_rule_to(NS_DRAINING, ~0u);
	char what[160], why[256];

	snprintf(what, sizeof(what), "A switchover to %s is pending",
		 target ? target->name : "the best standby");
	if (!p) {
		fsm_say(&x->lines, "%s: waits, since no node is the primary.",
			what);
		return;
	}
	fsm_say_rule(&x->lines, f, p, r, what);
	if (fsm_rule_status(f, p, r, &up, why, sizeof(why)) == FR_FIRES)
		return;
	if (!fsm_switchover_candidate(f) && target && target != p)
		fsm_say(&x->lines, "%s cannot take over now: its section says "
				   "why.",
			target->name);
	else if (!fsm_switchover_candidate(f))
		fsm_say(&x->lines, "No standby can take over now: %s.",
			target ? "the target is the primary itself"
			       : "none is an eligible candidate");
	if (!fsm_primary_healthy(f, p))
		fsm_say(&x->lines, "The primary is not healthy: a switchover "
				   "starts only while its keeper reports, its "
				   "Postgres runs and the monitor's checks reach "
				   "it.");
	if (promoting(f))
		fsm_say(&x->lines, "A promotion is under way: the switchover "
				   "waits for it.");
}

static void say_next(FsmExplanation *x, const FsmFormation *f)
{
	if (f->settings.paused) {
		fsm_say(&x->lines, "The formation is paused: the monitor makes "
				   "no decision until it is resumed.");
		return;
	}
	if (x->nnext == 0)
		fsm_say(&x->lines, "If nothing changes, the monitor decides "
				   "nothing: every node keeps its goal.");
	for (size_t i = 0; i < x->nnext; i++) {
		const FsmDecision *d = &x->next[i];
		fsm_say(&x->lines, "Next decision: %s %s -> %s (%s).",
			fsm_node(f, d->node_id)->name, state_name(d->from),
			state_name(d->to), d->why);
	}
}

/* Without a primary, the standbys whose pre_promote hook said no. */
static void say_vetoes(const FsmFormation *f, FsmExplanation *x)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		if (f->nodes[i].promote_vetoed)
			fsm_say(&x->lines, "No writable primary: the pre_promote "
					   "hook of %s vetoed its promotion.",
				f->nodes[i].name);
	}
}

/* A standby formation (formation.standby_of): nothing is writable. */
static void say_standby_formation(const FsmFormation *f, FsmExplanation *x,
				  const FsmNode *p)
{
	(void)f;
	fsm_say(&x->lines, "This is a standby formation: it takes no writes "
			   "and promotes nobody; its leader streams from the "
			   "source formation and its standbys from the "
			   "leader.");
	if (p)
		fsm_say(&x->lines, "%s is the standby leader (assigned %s); "
				   "should it fail, the most advanced standby "
				   "is pointed at the source instead.",
			p->name, state_name(p->goal));
	fsm_say(&x->lines, "`pgkeel perform promotion --formation NAME` "
			   "makes it a formation of its own, writable (the "
			   "disaster-recovery switch).");
}

static void formation_lines(const FsmFormation *f, FsmExplanation *x)
{
	const FsmNode *p = fsm_node(f, x->primary_id);

	fsm_say(&x->lines, "Health: %s.", fsm_health_name(x->health));
	if (f->settings.standby_of)
		say_standby_formation(f, x, p);
	else if (p)
		fsm_say(&x->lines, "%s is the primary (assigned %s).", p->name,
			state_name(p->goal));
	else
		fsm_say(&x->lines, "No node is assigned a primary state.");
	if (!p)
		say_vetoes(f, x);
	if (p)
		say_failover(f, x, p);
	if (x->switchover_pending)
		say_switchover(f, x, p);
	say_next(x, f);
}

void fsm_explain(const FsmFormation *f, FsmExplanation *x)
{
	const FsmNode *p = fsm_primary(f);
	const FsmNode *c;

	memset(x, 0, sizeof(*x));
	x->health = fsm_health(f);
	x->paused = f->settings.paused;
	x->primary_id = p ? p->id : 0;
	c = fsm_choose_candidate(f, x->candidate_why, sizeof(x->candidate_why));
	x->candidate_id = c ? c->id : 0;
	if (!c)
		x->candidate_why[0] = '\0';
	x->switchover_pending = f->settings.switchover_to >= 0;
	x->failover_pending = f->settings.failover_requested;
	next_decisions(f, x);
	formation_lines(f, x);
	x->nnodes = f->nnodes < FSM_EXPLAIN_NODES ? f->nnodes
						  : FSM_EXPLAIN_NODES;
	for (size_t i = 0; i < x->nnodes; i++) {
		x->nodes[i].node = &f->nodes[i];
		fsm_explain_node(f, x, &x->nodes[i]);
	}
}
