/*
 * candidate.c - choosing the standby to promote (DESIGN invariant 3):
 * it must be in sync (secondary), fresh, willing (priority > 0), and at
 * least as advanced as every standby that still reports. Among those,
 * the highest candidate priority wins, then the lowest node id.
 */
#include <stdio.h>

#include "fsm/fsm.h"

static bool reporting_standby(const FsmFormation *f, const FsmNode *n)
{
	return state_is_standby(n->goal) && fsm_is_fresh(f, n) &&
	       n->pg_running;
}

static Lsn most_advanced(const FsmFormation *f)
{
	Lsn max = LSN_INVALID;
	for (size_t i = 0; i < f->nnodes; i++) {
		const FsmNode *n = &f->nodes[i];
		if (reporting_standby(f, n) && n->lsn > max)
			max = n->lsn;
	}
	return max;
}

static bool eligible(const FsmFormation *f, const FsmNode *n, Lsn max)
{
	return reporting_standby(f, n) && n->goal == NS_SECONDARY &&
	       n->reported == NS_SECONDARY && n->priority > 0 && n->lsn >= max;
}

static bool better(const FsmNode *a, const FsmNode *b)
{
	if (!b)
		return true;
	if (a->priority != b->priority)
		return a->priority > b->priority;
	return a->id < b->id;
}

FsmNode *fsm_choose_candidate(const FsmFormation *f, char *why, size_t len)
{
	Lsn max = most_advanced(f);
	FsmNode *best = NULL;
	char lsn[LSN_TEXT_LEN];

	for (size_t i = 0; i < f->nnodes; i++) {
		FsmNode *n = &f->nodes[i];
		if (eligible(f, n, max) && better(n, best))
			best = n;
	}
	if (best)
		snprintf(why, len,
			 "primary down: promoting %s (priority %d, LSN %s, the "
			 "most advanced)",
			 best->name, best->priority,
			 lsn_format(best->lsn, lsn, sizeof(lsn)));
	return best;
}
