/*
 * storepolicy_sched.c - the rules of scheduled operations
 * (storepolicy.h, store.h's store_schedule and store_end_scheduled),
 * for every driver: the operator's and the monitor's
 * credentials write, every credential reads; a switchover or the
 * restart of a named node; an end is done, failed or cancelled, with an
 * event either way.
 */
#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"
#include "store/storepolicy.h"

StoreFailure policy_may_schedule(const StoreActor *a, StorePolicyOut *out)
{
	if (a->role != ACTOR_NODE)
		return STORE_OK;
	return policy_fail(out, STORE_REFUSED,
			   "permission denied: scheduled operations take the "
			   "operator's credential");
}

StoreFailure policy_schedule(const StoreFormation *f, const StoreActor *a,
			     const StoreScheduled *op, size_t pending,
			     StorePolicyOut *out)
{
	const StoreNode *n = NULL;
	char at[40];

	if (policy_may_schedule(a, out) != STORE_OK)
		return STORE_REFUSED;
	if (strcmp(op->what, "switchover") != 0 &&
	    strcmp(op->what, "restart") != 0)
		return policy_fail(out, STORE_REFUSED, "only a switchover or "
				   "a restart can be scheduled");
	if (strcmp(op->what, "restart") == 0 && !op->node[0])
		return policy_fail(out, STORE_REFUSED,
				   "a scheduled restart names its node");
	if (op->node[0] && !(n = store_formation_node_named(f, op->node)))
		return policy_fail(out, STORE_REFUSED,
				   "no node %s in formation %s", op->node,
				   f->name);
	if (pending >= STORE_MAX_SCHEDULED)
		return policy_fail(out, STORE_REFUSED,
				   "too many scheduled operations");
	policy_event(out, f, n, "", "", "%s scheduled for %s (id %lld)",
		     op->what, time_format_wall(op->at_ms, at, sizeof(at)),
		     op->id);
	return STORE_OK;
}

StoreFailure policy_end_scheduled(const StoreFormation *f,
				  const StoreActor *a,
				  const StoreScheduled *op, long long id,
				  const char *outcome, const char *why,
				  StorePolicyOut *out)
{
	if (policy_may_schedule(a, out) != STORE_OK)
		return STORE_REFUSED;
	if (strcmp(outcome, "done") != 0 && strcmp(outcome, "failed") != 0 &&
	    strcmp(outcome, "cancelled") != 0)
		return policy_fail(out, STORE_REFUSED, "unknown outcome %s",
				   outcome);
	if (!op)
		return policy_fail(out, STORE_REFUSED,
				   "no pending scheduled operation %lld in "
				   "formation %s",
				   id, f->name);
	policy_event(out, f, store_formation_node_named(f, op->node), "", "",
		     "scheduled %s (id %lld) %s%s%s", op->what, id, outcome,
		     why && why[0] ? ": " : "", why ? why : "");
	return STORE_OK;
}
