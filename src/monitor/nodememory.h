/*
 * nodememory.h - per-node memory of the monitor between cycles.
 */
#ifndef PGK_NODEMEMORY_H
#define PGK_NODEMEMORY_H

#include "monitor/monitor.h"

/* The node's memory, or NULL when none was made. */
NodeMemory *nodememory_find(Monitor *m, int node_id);
/* The node's memory, created (fresh as of now_ms) on first sight; NULL
 * when MONITOR_MAX_TRACKED nodes are remembered already. */
NodeMemory *nodememory_get(Monitor *m, int node_id, int64_t now_ms);
/* Updates it from the node's latest store row and health check. */
void nodememory_observe(NodeMemory *nm, const StoreNode *n, bool healthy,
			int64_t now_ms);

/* The monotonic time after now_ms at which the next signal of a
 * remembered node crosses its threshold (a keeper silent for
 * node_down_ms or past its fencing time, connection tests failing for
 * node_down_ms, a standby let go: fsm/formation.h), so that the monitor
 * decides then rather than at its next interval; -1 when none will or
 * no node's connection tests fail (no node can be down then). */
int64_t nodememory_next_deadline(const Monitor *m, int64_t node_down_ms,
				 int64_t now_ms);

/* Counts the node as just seen (after a pause, nothing is held against
 * it: keepers get the time to restart what operators stopped). */
void nodememory_forgive(NodeMemory *nm, int64_t now_ms);

#endif
