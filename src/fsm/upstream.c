/*
 * upstream.c - whom a standby streams from (docs/state-machine.md,
 * "Cascading replication"): the standby its replicate_from names while
 * that one is a healthy standby of the primary, else the primary; and
 * the two rules of rules.c's table that hinge on it: a standby in sync,
 * and a standby following the upstream it should.
 */
#include <stdio.h>

#include "fsm/rules.h"

/* u streams from the primary p, healthy by all accounts. */
static bool healthy_upstream(const FsmFormation *f, const FsmNode *u,
			     const FsmNode *p)
{
	return u != p && (u->goal == NS_CATCHINGUP || u->goal == NS_SECONDARY) &&
	       u->reported == u->goal && !u->maintenance &&
	       fsm_is_fresh(f, u) && u->health_ok && u->pg_running &&
	       u->receiver_streaming && u->upstream_id == p->id &&
	       u->streaming_from == p->id;
}

int fsm_wanted_upstream(const FsmFormation *f, const FsmNode *n)
{
	const FsmNode *p = fsm_primary(f);
	const FsmNode *u = n->replicate_from && n->replicate_from != n->id
				   ? fsm_node(f, n->replicate_from)
				   : NULL;
	if (!p)
		return 0;
	return u && healthy_upstream(f, u, p) ? u->id : p->id;
}

bool fsm_is_cascaded(const FsmFormation *f, const FsmNode *n)
{
	const FsmNode *u = n->upstream_id ? fsm_node(f, n->upstream_id) : NULL;
	return u && state_is_standby(u->goal);
}

bool fsm_caught_up(const FsmFormation *f, const FsmNode *n, int *up,
		   char *why, size_t len)
{
	const FsmNode *p = fsm_settled_primary(f);
	int from = n->upstream_id;
	(void)up;
	/* a cascaded standby streams from its upstream standby; its lag is
	 * still the primary's */
	if (!fsm_primary_healthy(f, p) || !fsm_is_fresh(f, n) ||
	    !n->receiver_streaming || n->streaming_from != from ||
	    (from != p->id && from != fsm_wanted_upstream(f, n)))
		return false;
	uint64_t lag = lsn_ahead_by(p->lsn, n->lsn);
	if (lag > f->settings.catchup_bytes)
		return false;
	snprintf(why, len, "streaming from %s and within %llu bytes of %s: "
			   "in sync",
		 fsm_node(f, from)->name, (unsigned long long)lag, p->name);
	return true;
}

/* A standby follows the upstream it should (fsm_wanted_upstream): the
 * new primary, the standby it replicates from, or the primary again when
 * that standby failed. A cascaded standby is re-pointed only while the
 * primary is healthy: in a failover it waits for the new primary. */
bool fsm_follows_other_upstream(const FsmFormation *f, const FsmNode *n,
				   int *up, char *why, size_t len)
{
	const FsmNode *p = fsm_settled_primary(f);
	if (!p || p == n)
		return false;
	int want = fsm_wanted_upstream(f, n);
	if (n->upstream_id == want ||
	    ((want != p->id || fsm_is_cascaded(f, n)) &&
	     !fsm_primary_healthy(f, p)))
		return false;
	*up = want;
	if (want != p->id)
		snprintf(why, len, "streams from the standby %s "
				   "(replicate_from)",
			 fsm_node(f, want)->name);
	else if (n->replicate_from && n->replicate_from != p->id)
		snprintf(why, len, "its replicate_from standby is not a "
				   "healthy streaming standby: follows the "
				   "primary %s",
			 p->name);
	else
		snprintf(why, len, "follows the new primary %s", p->name);
	return true;
}
