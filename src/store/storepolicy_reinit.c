/*
 * storepolicy_reinit.c - the rule of a reinit request (store.h,
 * store_request_reinit), for every driver, as a pure function.
 */
#include <stdio.h>

#include "store/storepolicy.h"

static bool standby_goal(NodeState s)
{
	return s == NS_CATCHINGUP || s == NS_SECONDARY;
}

StoreFailure policy_request_reinit(StoreFormation *f, const StoreActor *a,
				   const char *node_name, long long *seq,
				   StorePolicyOut *out)
{
	StoreNode *n = (StoreNode *)store_formation_node_named(f, node_name);
	const StoreNode *p = store_formation_primary(f);

	if (a->role == ACTOR_NODE)
		return policy_fail(out, STORE_REFUSED,
				   "permission denied: a reinit takes the "
				   "operator's credential");
	if (!n)
		return policy_fail(out, STORE_REFUSED,
				   "no node %s in formation %s", node_name,
				   f->name);
	if (!standby_goal(n->goal))
		return policy_fail(out, STORE_REFUSED,
				   "node %s is %s, not a standby: only a "
				   "standby can be cloned again",
				   node_name, state_name(n->goal));
	if (n->restart_requested > n->report.restarted)
		return policy_fail(out, STORE_REFUSED,
				   "a restart or reinit of node %s is under "
				   "way", node_name);
	if (!p || p->reported != p->goal)
		return policy_fail(out, STORE_REFUSED,
				   "formation %s has no settled writable "
				   "primary to clone from", f->name);
	long long base = n->restart_requested > n->report.restarted
				 ? n->restart_requested
				 : n->report.restarted;
	*seq = n->restart_requested = n->reinit_requested = base + 1;
	policy_event(out, f, n, "", "", "reinit requested: clone the standby "
					"again");
	return STORE_OK;
}
