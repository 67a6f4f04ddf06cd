/*
 * rules.c - the transition table and its conditions.
 *
 * Read the table at the bottom first: each row says from which goal
 * states, to which state, under which condition. Conditions are small
 * pure functions of the formation snapshot. Rows are tried in order and
 * the first that holds fires; a node that must first reach its goal
 * (needs_reached) is left alone until its keeper reports it.
 */
#include <stdio.h>
#include <string.h>

#include "fsm/rules.h"

#define STANDBY_GOALS                                                     \
	(FROM(NS_WAIT_STANDBY) | FROM(NS_CATCHINGUP) | FROM(NS_SECONDARY))

static bool any_goal(const FsmFormation *f, const FsmNode *except,
		     unsigned mask)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		if (&f->nodes[i] != except && (mask & FROM(f->nodes[i].goal)))
			return true;
	}
	return false;
}

/* --- conditions ------------------------------------------------------ */

static bool first_node(const FsmFormation *f, const FsmNode *n, int *up,
		       char *why, size_t len)
{
	(void)up;
	if (!fsm_is_fresh(f, n) ||
	    any_goal(f, n, ~(FROM(NS_INIT) | FROM(NS_DROPPED))))
		return false;
	for (size_t i = 0; i < f->nnodes; i++) {
		const FsmNode *o = &f->nodes[i];
		if (o->goal == NS_INIT && o->id < n->id && fsm_is_fresh(f, o))
			return false;
	}
	snprintf(why, len, "first node of the formation: becomes the primary");
	return true;
}

static bool primary_exists(const FsmFormation *f, const FsmNode *n, int *up,
			   char *why, size_t len)
{
	const FsmNode *p = fsm_primary(f);
	if (!p || p == n)
		return false;
	*up = p->id;
	snprintf(why, len, "joins as a standby of %s", p->name);
	return true;
}

static bool standby_registered(const FsmFormation *f, const FsmNode *n,
			       int *up, char *why, size_t len)
{
	(void)up;
	if (!any_goal(f, n, STANDBY_GOALS))
		return false;
	snprintf(why, len, "a standby joined: prepare to replicate");
	return true;
}

static bool primary_ready(const FsmFormation *f, const FsmNode *n, int *up,
			  char *why, size_t len)
{
	const FsmNode *p = fsm_settled_primary(f);
	if (!p)
		return false;
	*up = fsm_wanted_upstream(f, n);
	if (*up == p->id)
		snprintf(why, len, "primary %s is ready: clone it and stream",
			 p->name);
	else
		snprintf(why, len, "primary %s is ready: clone %s and stream "
				   "from it (replicate_from)",
			 p->name, fsm_node(f, *up)->name);
	return true;
}

/* The standby's signals lost for node_down_ms: no report from its
 * keeper, no answer to the monitor's checks (a dead node reports no
 * stream either). It is down, as a primary would be: waiting
 * sync_timeout on top would only stall the primary's commits longer. */
static bool standby_down(const FsmFormation *f, const FsmNode *n)
{
	int64_t down = f->settings.node_down_ms;
	return !fsm_is_fresh(f, n) && !n->health_ok &&
	       n->health_fail_since_ms >= 0 &&
	       f->now_ms - n->health_fail_since_ms >= down;
}

static bool standby_lost(const FsmFormation *f, const FsmNode *n, int *up,
			 char *why, size_t len)
{
	const FsmNode *p = fsm_primary(f);
	int64_t limit = f->settings.sync_timeout_ms;
	(void)up;
	/* when the primary is in trouble, keep standbys eligible */
	if (!fsm_primary_healthy(f, p))
		return false;
	if (standby_down(f, n)) {
		snprintf(why, len, "down (no report and no answer for %lld "
				   "ms): out of the synchronous set",
			 (long long)(f->now_ms - n->last_report_ms));
		return true;
	}
	if (f->now_ms - n->last_report_ms > limit) {
		snprintf(why, len, "no report for %lld ms: out of the "
				   "synchronous set",
			 (long long)(f->now_ms - n->last_report_ms));
		return true;
	}
	if (n->not_streaming_since_ms >= 0 &&
	    f->now_ms - n->not_streaming_since_ms > limit) {
		snprintf(why, len, "not streaming for %lld ms: out of the "
				   "synchronous set",
			 (long long)(f->now_ms - n->not_streaming_since_ms));
		return true;
	}
	return false;
}

static bool enough_sync_standbys(const FsmFormation *f, const FsmNode *n,
				 int *up, char *why, size_t len)
{
	int eligible = fsm_sync_eligible(f, n);
	int wanted = f->settings.number_sync_standbys;
	(void)up;
	if (wanted <= 0 || eligible < wanted || f->settings.standby_of)
		return false;
	snprintf(why, len, "%d synchronous standby(s) in sync: commits wait "
			   "for %d",
		 eligible, wanted);
	return true;
}

static bool too_few_sync_standbys(const FsmFormation *f, const FsmNode *n,
				  int *up, char *why, size_t len)
{
	int eligible = fsm_sync_eligible(f, n);
	int wanted = f->settings.number_sync_standbys;
	(void)up;
	if (wanted <= 0) {
		snprintf(why, len, "number_sync_standbys is 0: commits no longer "
				   "wait");
		return true;
	}
	if (f->settings.standby_of) {
		snprintf(why, len, "a standby formation: its standby leader "
				   "takes no writes, nothing waits");
		return true;
	}
	if (f->settings.strict_sync || eligible >= wanted)
		return false;
	snprintf(why, len, "only %d of %d synchronous standby(s): commits no "
			   "longer wait",
		 eligible, wanted);
	return true;
}

/* The primary is down, or the operator forces a failover. */
static bool failing_over(const FsmFormation *f, const FsmNode *p)
{
	return fsm_primary_down(f, p) || f->settings.failover_requested;
}

static bool best_candidate(const FsmFormation *f, const FsmNode *n, int *up,
			   char *why, size_t len)
{
	const FsmNode *p = fsm_primary(f);
	char chosen[256];
	if (!p || !failing_over(f, p) ||
	    any_goal(f, NULL, FROM(NS_PREPARE_PROMOTION)) ||
	    fsm_choose_candidate(f, chosen, sizeof(chosen)) != n)
		return false;
	snprintf(why, len, "%s: %s",
		 fsm_primary_down(f, p) ? "primary down" : "forced failover",
		 chosen);
	const FsmNode *max = fsm_most_advanced(f);
	if (max && max->lsn > n->lsn)
		*up = max->id; /* fast forward: stream what we miss from it */
	return true;
}

static bool failover_started(const FsmFormation *f, const FsmNode *n,
			     int *up, char *why, size_t len)
{
	(void)up;
	if (!any_goal(f, n, FROM(NS_PREPARE_PROMOTION)) || !failing_over(f, n))
		return false;
	if (!fsm_primary_down(f, n))
		snprintf(why, len, "forced failover: fenced, a standby is "
				   "promoted");
	else if (fsm_primary_refused(f, n))
		snprintf(why, len, "primary failed (its port refuses "
				   "connections, its keeper is silent past its "
				   "fencing time, no standby streams from it): "
				   "a standby is promoted");
	else
		snprintf(why, len, "primary failed (monitor checks, keeper and "
				   "standbys all lost it): fenced, a standby is "
				   "promoted");
	return true;
}

/* A draining primary stopped, and n received all of its WAL. */
static bool drained_into(const FsmFormation *f, const FsmNode *n)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		const FsmNode *d = &f->nodes[i];
		if (d->goal == NS_DRAINING &&
		    (d->reported != NS_DRAINING || d->lsn > n->lsn))
			return false;
	}
	return true;
}

static bool old_primary_fenced(const FsmFormation *f, const FsmNode *n,
			       int *up, char *why, size_t len)
{
	const FsmNode *max = fsm_most_advanced(f);
	(void)up;
	if (fsm_primary(f) || !drained_into(f, n))
		return false;
	if (max && max->lsn > n->lsn)
		return false; /* still fetching WAL from a standby ahead */
	snprintf(why, len, "the old primary is fenced and %s has all the WAL "
			   "any standby received: promoted",
		 n->name);
	return true;
}

/* The candidate's keeper did not promote it: its pre_promote hook said
 * no. It stays a standby; another candidate may be chosen. */
static bool promotion_vetoed(const FsmFormation *f, const FsmNode *n,
			     int *up, char *why, size_t len)
{
	(void)f;
	(void)up;
	if (!n->promote_vetoed || n->reported != NS_PREPARE_PROMOTION)
		return false;
	snprintf(why, len, "its pre_promote hook vetoed the promotion: "
			   "stays a standby, not a candidate for now");
	return true;
}

/* No node is or becomes the primary (a promotion was vetoed, the old
 * primary is fenced or drained) and no switchover request names the
 * next one: the best candidate is chosen. */
static bool no_primary_left(const FsmFormation *f, const FsmNode *n,
			    int *up, char *why, size_t len)
{
	char chosen[256];
	if (fsm_primary(f) || f->settings.switchover_to >= 0 ||
	    any_goal(f, NULL, FROM(NS_PREPARE_PROMOTION)) ||
	    fsm_choose_candidate(f, chosen, sizeof(chosen)) != n)
		return false;
	snprintf(why, len, "no primary: %s", chosen);
	const FsmNode *max = fsm_most_advanced(f);
	if (max && max->lsn > n->lsn)
		*up = max->id;
	return true;
}

static bool a_standby_is_further(const FsmFormation *f, const FsmNode *n,
				 int *up, char *why, size_t len)
{
	const FsmNode *max = fsm_most_advanced(f);
	if (!max || max == n || max->lsn <= n->lsn || n->upstream_id == max->id)
		return false;
	*up = max->id;
	snprintf(why, len, "%s received more WAL: fetching it from there",
		 max->name);
	return true;
}

static bool primary_came_back(const FsmFormation *f, const FsmNode *n,
			      int *up, char *why, size_t len)
{
	const FsmNode *p = fsm_primary(f);
	(void)up;
	(void)n;
	if (!p || failing_over(f, p))
		return false;
	snprintf(why, len, "primary %s is back before the promotion: "
			   "cancelled",
		 p->name);
	return true;
}

static bool can_rejoin(const FsmFormation *f, const FsmNode *n, int *up,
		       char *why, size_t len)
{
	const FsmNode *p = fsm_settled_primary(f);
	if (!p || p == n || !fsm_is_fresh(f, n))
		return false;
	*up = p->id;
	snprintf(why, len, "rejoins as a standby of %s (rewind)", p->name);
	return true;
}

static bool switchover_requested(const FsmFormation *f, const FsmNode *n,
				 int *up, char *why, size_t len)
{
	const FsmNode *c = fsm_switchover_candidate(f);
	(void)up;
	if (!c || !fsm_primary_healthy(f, n) ||
	    any_goal(f, NULL, FROM(NS_PREPARE_PROMOTION)))
		return false;
	snprintf(why, len, "switchover to %s: stop taking writes, hand over "
			   "all WAL",
		 c->name);
	return true;
}

static bool switchover_target(const FsmFormation *f, const FsmNode *n,
			      int *up, char *why, size_t len)
{
	(void)up;
	if (!any_goal(f, n, FROM(NS_DRAINING)) ||
	    any_goal(f, NULL, FROM(NS_PREPARE_PROMOTION)) ||
	    fsm_switchover_candidate(f) != n)
		return false;
	snprintf(why, len, "switchover: promoted once the primary drained");
	return true;
}

static bool new_primary_exists(const FsmFormation *f, const FsmNode *n,
			       int *up, char *why, size_t len)
{
	(void)up;
	(void)n;
	if (!any_goal(f, NULL, FROM(NS_WAIT_PRIMARY) | FROM(NS_PRIMARY)))
		return false;
	snprintf(why, len, "the new primary took over: demoted");
	return true;
}

static bool maintenance_asked(const FsmFormation *f, const FsmNode *n,
			      int *up, char *why, size_t len)
{
	(void)f;
	(void)up;
	if (!n->maintenance)
		return false;
	snprintf(why, len, "maintenance: out of the synchronous set, pgkeel "
			   "leaves its Postgres alone");
	return true;
}

static bool maintenance_over(const FsmFormation *f, const FsmNode *n,
			     int *up, char *why, size_t len)
{
	const FsmNode *p = fsm_settled_primary(f);
	if (n->maintenance || !p || p == n)
		return false;
	*up = fsm_wanted_upstream(f, n);
	snprintf(why, len, "maintenance over: follows %s again",
		 fsm_node(f, *up)->name);
	return true;
}

/* Any node but a primary that still has standbys (the command switches
 * such a primary over first). */
static bool drop_asked(const FsmFormation *f, const FsmNode *n, int *up,
		       char *why, size_t len)
{
	(void)up;
	if (!n->drop)
		return false;
	if (state_is_primary(n->goal) &&
	    any_goal(f, n, ~(FROM(NS_DROPPED) | FROM(NS_INIT))))
		return false;
	snprintf(why, len, "dropped from the formation");
	return true;
}

static bool alone(const FsmFormation *f, const FsmNode *n, int *up,
		  char *why, size_t len)
{
	(void)up;
	if (any_goal(f, n, ~(FROM(NS_DROPPED))))
		return false;
	snprintf(why, len, "no standby left");
	return true;
}

/* --- the table ------------------------------------------------------- */

const FsmRule fsm_rules[] = {
	{~(FROM(NS_DROPPED) | FROM(NS_DEMOTED) | FROM(NS_DRAINING) |
	   FROM(NS_PREPARE_PROMOTION)),
	 false, NS_DROPPED, drop_asked,
	 "an operator drops a node (a primary only once it is alone)"},

	/* joining */
	{FROM(NS_INIT), false, NS_SINGLE, first_node,
	 "the first node of a formation becomes its primary"},
	{FROM(NS_INIT), false, NS_WAIT_STANDBY, primary_exists,
	 "a node joining a formation with a primary becomes a standby"},
	{FROM(NS_SINGLE), true, NS_WAIT_PRIMARY, standby_registered,
	 "a primary prepares for a new standby (hba, slot)"},
	{FROM(NS_WAIT_STANDBY), true, NS_CATCHINGUP, primary_ready,
	 "a new standby clones the primary once it is ready"},
	{FROM(NS_CATCHINGUP), true, NS_SECONDARY, fsm_caught_up,
	 "a standby close enough to the primary is in sync"},

	/* planned switchover, and forced failover */
	{FROM(NS_PRIMARY) | FROM(NS_WAIT_PRIMARY), true, NS_DRAINING,
	 switchover_requested,
	 "a switchover starts: the primary stops taking writes"},
	{FROM(NS_SECONDARY), true, NS_PREPARE_PROMOTION, switchover_target,
	 "the switchover's standby is prepared for promotion"},
	{FROM(NS_DRAINING), true, NS_DEMOTED, new_primary_exists,
	 "the drained primary is demoted once the new one took over"},

	/* failover: candidate first, then the old primary is fenced */
	{FROM(NS_SECONDARY), true, NS_PREPARE_PROMOTION, best_candidate,
	 "the best in-sync standby is chosen when the primary is down"},
	{FROM(NS_SINGLE) | FROM(NS_WAIT_PRIMARY) | FROM(NS_PRIMARY), false,
	 NS_DEMOTED, failover_started,
	 "a failed primary is demoted once a candidate is chosen"},
	{FROM(NS_PREPARE_PROMOTION), false, NS_SECONDARY, primary_came_back,
	 "a promotion is cancelled when the primary recovers first"},
	{FROM(NS_PREPARE_PROMOTION), false, NS_PREPARE_PROMOTION,
	 a_standby_is_further,
	 "the candidate streams what it misses from the most advanced standby"},
	{FROM(NS_PREPARE_PROMOTION), true, NS_WAIT_PRIMARY, old_primary_fenced,
	 "the candidate is promoted once the old primary is fenced"},
	{FROM(NS_WAIT_PRIMARY), false, NS_SECONDARY, promotion_vetoed,
	 "a candidate whose pre_promote hook vetoed its promotion stays a "
	 "standby"},
	{FROM(NS_SECONDARY), true, NS_PREPARE_PROMOTION, no_primary_left,
	 "the best in-sync standby is chosen when no node is the primary "
	 "(after a veto)"},
	{FROM(NS_CATCHINGUP) | FROM(NS_SECONDARY), false, NS_CATCHINGUP,
	 fsm_follows_other_upstream,
	 "standbys of the old primary follow the new one; a standby "
	 "streams from its replicate_from standby while that one is a "
	 "healthy streaming standby, else from the primary"},
	{FROM(NS_DEMOTED), true, NS_CATCHINGUP, can_rejoin,
	 "a demoted old primary rejoins as a standby"},

	/* maintenance (a primary first hands over with a switchover) */
	{FROM(NS_CATCHINGUP) | FROM(NS_SECONDARY), true, NS_MAINTENANCE,
	 maintenance_asked, "a standby is taken out for maintenance"},
	{FROM(NS_MAINTENANCE), true, NS_CATCHINGUP, maintenance_over,
	 "a node back from maintenance follows the primary"},

	/* synchronous replication */
	{FROM(NS_SECONDARY), true, NS_CATCHINGUP, standby_lost,
	 "a standby down (no report, no answer for node_down_timeout), or "
	 "lost for sync_timeout, leaves the synchronous set"},
	{FROM(NS_WAIT_PRIMARY), true, NS_PRIMARY, enough_sync_standbys,
	 "enough standbys in sync: commits wait for them (never in a standby "
	 "formation)"},
	{FROM(NS_PRIMARY), false, NS_WAIT_PRIMARY, too_few_sync_standbys,
	 "too few standbys in sync (not strict), or a standby formation: "
	 "commits stop waiting"},
	{FROM(NS_WAIT_PRIMARY), true, NS_SINGLE, alone,
	 "a primary whose standbys were all dropped"},
};

const size_t fsm_nrules = sizeof(fsm_rules) / sizeof(fsm_rules[0]);
