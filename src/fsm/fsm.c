/*
 * fsm.c - the engine that applies the rule table (rules.c) to a
 * formation until no rule fires.
 */
#include "fsm/fsm.h"

#include <stdio.h>
#include <string.h>

#include "fsm/rules.h"

#define MAX_PASSES 4

FsmRuleStatus fsm_rule_status(const FsmFormation *f, const FsmNode *n,
			      const FsmRule *r, int *upstream, char *why,
			      size_t len)
{
	*upstream = 0;
	why[0] = '\0';
	if (!(r->from & FROM(n->goal)))
		return FR_NOT_FROM;
	if (r->needs_reached && n->reported != n->goal)
		return FR_WAITS_REACHED;
	if (!r->cond(f, n, upstream, why, len)) {
		*upstream = 0;
		why[0] = '\0';
		return FR_NOT_NOW;
	}
	if (!why[0])
		snprintf(why, len, "%s", r->comment);
	return FR_FIRES;
}

const FsmRule *fsm_next_rule(const FsmFormation *f, const FsmNode *n,
			     int *upstream, char *why, size_t len)
{
	for (size_t i = 0; i < fsm_nrules; i++) {
		if (fsm_rule_status(f, n, &fsm_rules[i], upstream, why, len) ==
		    FR_FIRES)
			return &fsm_rules[i];
	}
	*upstream = 0;
	why[0] = '\0';
	return NULL;
}

static size_t one_pass(FsmFormation *f, FsmDecision *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < f->nnodes && n < max; i++) {
		FsmNode *node = &f->nodes[i];
		FsmDecision *d = &out[n];
		const FsmRule *r = fsm_next_rule(f, node, &d->upstream_id,
						 d->why, sizeof(d->why));
		if (!r)
			continue;
		d->node_id = node->id;
		d->from = node->goal;
		d->to = r->to;
		node->goal = r->to;
		if (d->upstream_id)
			node->upstream_id = d->upstream_id;
		n++;
	}
	return n;
}

size_t fsm_step(FsmFormation *f, FsmDecision *out, size_t max)
{
	size_t total = 0;

	if (f->settings.paused)
		return 0;
	for (int pass = 0; pass < MAX_PASSES && total < max; pass++) {
		size_t n = one_pass(f, out + total, max - total);
		if (n == 0)
			break;
		total += n;
	}
	return total;
}
