/*
 * candidate.c - choosing the standby to promote (docs/state-machine.md).
 *
 * The candidate must be in sync (secondary), fresh and willing (priority
 * above 0, not tagged nofailover, not delayed by node.apply_delay, and,
 * streaming from a standby, caught up); among those the highest priority wins, then the most
 * advanced, then the lowest node id. It is promoted only once it is at
 * least as advanced as every standby that still reports: when another
 * standby (say one of priority 0) received more WAL, the candidate first
 * streams the difference from it ("fast forward").
 */
#include <stdio.h>

#include "fsm/fsm.h"

static bool reporting_standby(const FsmFormation *f, const FsmNode *n)
{
	return state_is_standby(n->goal) && fsm_is_fresh(f, n) &&
	       n->pg_running;
}

FsmNode *fsm_most_advanced(const FsmFormation *f)
{
	FsmNode *max = NULL;
	for (size_t i = 0; i < f->nnodes; i++) {
		FsmNode *n = &f->nodes[i];
		if (reporting_standby(f, n) &&
		    (!max || n->lsn > max->lsn ||
		     (n->lsn == max->lsn && n->goal == NS_PREPARE_PROMOTION)))
			max = n;
	}
	return max;
}

/* The flaws, in FC_ bit order. */
static const struct {
	const char *name, *text;
} flaws_table[FC_COUNT] = {
	{"not_standby", "not a standby"},
	{"silent", "its keeper does not report"},
	{"postgres_stopped", "its Postgres is not running"},
	{"not_in_sync", "not in sync (its goal is not secondary)"},
	{"not_reached", "it does not report secondary yet"},
	{"priority_zero", "candidate priority 0"},
	{"maintenance", "in maintenance (asked)"},
	{"vetoed", "its pre_promote hook vetoed its promotion"},
	{"nofailover", "tagged nofailover"},
	{"delayed", "it applies WAL late (node.apply_delay)"},
	{"cascade_behind", "it streams from a standby and is not caught up "
			   "(its received LSN is more than catchup_bytes "
			   "behind the most advanced standby's)"},
};

static int flaw_index(unsigned bit)
{
	for (int i = 0; i < FC_COUNT; i++) {
		if (bit == 1u << i)
			return i;
	}
	return -1;
}

const char *fsm_flaw_name(unsigned bit)
{
	int i = flaw_index(bit);
	return i < 0 ? "" : flaws_table[i].name;
}

const char *fsm_flaw_text(unsigned bit)
{
	int i = flaw_index(bit);
	return i < 0 ? "" : flaws_table[i].text;
}

/* A cascaded standby is a candidate only once it received about as much
 * WAL as the most advanced standby (the fast forward fetches the rest). */
static bool cascade_behind(const FsmFormation *f, const FsmNode *n)
{
	const FsmNode *max = fsm_most_advanced(f);
	return fsm_is_cascaded(f, n) && max &&
	       lsn_ahead_by(max->lsn, n->lsn) > f->settings.catchup_bytes;
}

unsigned fsm_candidate_flaws(const FsmFormation *f, const FsmNode *n)
{
	unsigned flaws = 0;

	if (!state_is_standby(n->goal))
		flaws |= FC_NOT_STANDBY;
	if (!fsm_is_fresh(f, n))
		flaws |= FC_SILENT;
	if (!n->pg_running)
		flaws |= FC_PG_STOPPED;
	if (n->goal != NS_SECONDARY)
		flaws |= FC_NOT_IN_SYNC;
	if (n->reported != NS_SECONDARY)
		flaws |= FC_NOT_REACHED;
	if (n->priority <= 0)
		flaws |= FC_PRIORITY_ZERO;
	if (n->maintenance)
		flaws |= FC_MAINTENANCE;
	if (n->promote_vetoed)
		flaws |= FC_VETOED;
	if (n->nofailover)
		flaws |= FC_NOFAILOVER;
	if (n->apply_delay_ms > 0)
		flaws |= FC_DELAYED;
	if (cascade_behind(f, n))
		flaws |= FC_CASCADE_BEHIND;
	return flaws;
}

static bool eligible(const FsmFormation *f, const FsmNode *n)
{
	return fsm_candidate_flaws(f, n) == 0;
}

static bool better(const FsmNode *a, const FsmNode *b)
{
	if (!b)
		return true;
	if (a->priority != b->priority)
		return a->priority > b->priority;
	if (a->lsn != b->lsn)
		return a->lsn > b->lsn;
	return a->id < b->id;
}

FsmNode *fsm_choose_candidate(const FsmFormation *f, char *why, size_t len)
{
	FsmNode *best = NULL;
	FsmNode *max = fsm_most_advanced(f);
	char lsn[LSN_TEXT_LEN];

	for (size_t i = 0; i < f->nnodes; i++) {
		FsmNode *n = &f->nodes[i];
		if (eligible(f, n) && better(n, best))
			best = n;
	}
	if (!best)
		return NULL;
	if (max && max->lsn > best->lsn)
		snprintf(why, len,
			 "promoting %s (priority %d) after it fetches the WAL "
			 "it misses from %s (LSN %s)",
			 best->name, best->priority, max->name,
			 lsn_format(max->lsn, lsn, sizeof(lsn)));
	else
		snprintf(why, len,
			 "promoting %s (priority %d, LSN %s, the most "
			 "advanced)",
			 best->name, best->priority,
			 lsn_format(best->lsn, lsn, sizeof(lsn)));
	return best;
}

FsmNode *fsm_switchover_candidate(const FsmFormation *f)
{
	char why[256];
	int target = f->settings.switchover_to;

	if (target < 0)
		return NULL;
	if (target == 0)
		return fsm_choose_candidate(f, why, sizeof(why));
	FsmNode *n = fsm_node(f, target);
	/* an operator may name a node of priority 0; it must be in sync */
	if (!n || (fsm_candidate_flaws(f, n) & ~FC_PRIORITY_ZERO))
		return NULL;
	return n;
}
