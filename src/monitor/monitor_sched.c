/*
 * monitor_sched.c - carrying out the operations an operator scheduled
 * (`pgkeel perform switchover|restart --at`, docs/commands.md): at each
 * decision round, every pending operation whose time has come is turned
 * into the request the operator would have made then, or ended as
 * failed with the reason when it cannot be carried out at that time. It
 * is ended either way, with an event: never retried.
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "monitor/monitor.h"

/* Why a switchover cannot start now, or NULL. */
static const char *switchover_blocked(const StoreFormation *sf,
				      const char *node, char *why,
				      size_t len)
{
	const StoreNode *c = node[0] ? store_formation_node_named(sf, node)
				     : NULL;

	if (sf->standby_of[0])
		snprintf(why, len,
			 "formation %s is a standby formation: its primary is "
			 "never switched over by request",
			 sf->name);
	else if (sf->paused)
		snprintf(why, len, "formation %s is paused", sf->name);
	else if (strcmp(sf->health, "healthy") != 0)
		snprintf(why, len, "formation %s is %s, not healthy",
			 sf->name, sf->health);
	else if (sf->switchover_to >= 0 || sf->failover_requested)
		snprintf(why, len, "another operation is under way");
	else if (node[0] && (!c || c->goal != NS_SECONDARY ||
			     c->reported != NS_SECONDARY))
		snprintf(why, len, "%s is not a standby in sync", node);
	else
		return NULL;
	return why;
}

/* Makes the request; false with why set when it cannot be made. */
static bool start(Monitor *m, const StoreFormation *sf,
		  const StoreScheduled *op, char *why, size_t len)
{
	long long seq;

	if (strcmp(op->what, "switchover") == 0) {
		if (switchover_blocked(sf, op->node, why, len))
			return false;
		if (store_request(m->store, sf->name, "switchover", op->node))
			return true;
	} else if (store_request_restart(m->store, sf->name, op->node,
					 &seq)) {
		return true;
	}
	snprintf(why, len, "%s", m->store->error);
	return false;
}

static void run_one(Monitor *m, const StoreFormation *sf,
		    const StoreScheduled *op)
{
	char why[1200] = "";
	bool ok = start(m, sf, op, why, sizeof(why));

	if (m->store->failure == STORE_UNAVAILABLE)
		return; /* the store did not answer: next round */
	if (ok)
		log_info("scheduled %s (id %lld) of formation %s: requested",
			 op->what, op->id, sf->name);
	else
		log_warn("scheduled %s (id %lld) of formation %s failed: %s",
			 op->what, op->id, sf->name, why);
	if (!store_end_scheduled(m->store, sf->name, op->id,
				 ok ? "done" : "failed",
				 ok ? "requested" : why))
		log_warn("%s", m->store->error);
}

void monitor_run_scheduled(Monitor *m, const StoreFormation *sf,
			   int64_t wall_ms)
{
	StoreScheduled ops[STORE_MAX_SCHEDULED];
	size_t n = 0;

	if (!store_list_scheduled(m->store, sf->name, ops, STORE_MAX_SCHEDULED,
				  &n)) {
		log_debug("scheduled operations: %s", m->store->error);
		return;
	}
	/* earliest first; one that starts an operation ends the round's */
	for (size_t i = 0; i < n && ops[i].at_ms <= wall_ms; i++) {
		run_one(m, sf, &ops[i]);
		if (strcmp(ops[i].what, "switchover") == 0)
			break;
	}
}
