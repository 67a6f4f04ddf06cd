/*
 * fsm.c - the engine that applies the rule table (rules.c) to a
 * formation until no rule fires.
 */
#include "fsm/fsm.h"

#include <stdio.h>
#include <string.h>

#include "fsm/rules.h"

#define MAX_PASSES 4

static bool rule_applies(const FsmRule *r, const FsmNode *n)
{
	if (!(r->from & FROM(n->goal)))
		return false;
	return !r->needs_reached || n->reported == n->goal;
}

/* First matching rule for n, or NULL. */
static const FsmRule *match(const FsmFormation *f, const FsmNode *n,
			    int *upstream, char *why, size_t len)
{
	for (size_t i = 0; i < fsm_nrules; i++) {
		const FsmRule *r = &fsm_rules[i];
		*upstream = 0;
		why[0] = '\0';
		if (rule_applies(r, n) && r->cond(f, n, upstream, why, len))
			return r;
	}
	return NULL;
}

static size_t one_pass(FsmFormation *f, FsmDecision *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < f->nnodes && n < max; i++) {
		FsmNode *node = &f->nodes[i];
		FsmDecision *d = &out[n];
		const FsmRule *r = match(f, node, &d->upstream_id, d->why,
					 sizeof(d->why));
		if (!r)
			continue;
		d->node_id = node->id;
		d->from = node->goal;
		d->to = r->to;
		if (!d->why[0])
			snprintf(d->why, sizeof(d->why), "%s", r->comment);
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
