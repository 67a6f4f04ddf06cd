/*
 * nodememory.c - what the monitor remembers of each node on its own
 * monotonic clock: when a new report was last seen (report_seq moved; or
 * when its beat was heard, monitor_quiet.c), since when its health
 * checks fail (from the first failed check's
 * sending: a check that times out has had no answer since it was sent),
 * since when it stopped streaming.
 * Judging freshness by the monitor's clock (not the keepers' or the
 * store's) keeps the failure detector immune to clock skew; a monitor
 * that just started treats everyone as fresh, so it never fails a node
 * over on stale data.
 */
#include <stdint.h>
#include <string.h>

#include "monitor/monitor.h"
#include "monitor/nodememory.h"

NodeMemory *nodememory_find(Monitor *m, int node_id)
{
	for (size_t i = 0; i < m->nmem; i++) {
		if (m->mem[i].node_id == node_id)
			return &m->mem[i];
	}
	return NULL;
}

NodeMemory *nodememory_get(Monitor *m, int node_id, int64_t now_ms)
{
	NodeMemory *found = nodememory_find(m, node_id);

	if (found)
		return found;
	if (m->nmem >= MONITOR_MAX_TRACKED)
		return NULL;
	NodeMemory *nm = &m->mem[m->nmem++];
	memset(nm, 0, sizeof(*nm));
	nm->node_id = node_id;
	nm->report_seq = -1;
	nm->beat_seq = -1;
	nm->last_report_ms = now_ms;
	nm->health_fail_since_ms = -1;
	nm->not_streaming_since_ms = -1;
	return nm;
}

void nodememory_observe(NodeMemory *nm, const StoreNode *n, bool healthy,
			int64_t now_ms)
{
	nm->fence_ms = n->report.fence_ms;
	if (n->report_seq != nm->report_seq) {
		/* seen now, or when its beat was heard (earlier, and after
		 * its commit all the same) */
		int64_t at = n->report_seq == nm->beat_seq ? nm->beat_ms
							     : now_ms;
		nm->report_seq = n->report_seq;
		if (at > nm->last_report_ms)
			nm->last_report_ms = at;
	}
	if (healthy)
		nm->health_fail_since_ms = -1;
	else if (nm->health_fail_since_ms < 0)
		nm->health_fail_since_ms =
			nm->health_down_since_ms > nm->forgiven_ms &&
					nm->health_down_since_ms < now_ms
				? nm->health_down_since_ms
				: now_ms;
	if (n->report.receiver_streaming)
		nm->not_streaming_since_ms = -1;
	else if (nm->not_streaming_since_ms < 0)
		nm->not_streaming_since_ms = now_ms;
}

void nodememory_forgive(NodeMemory *nm, int64_t now_ms)
{
	nm->last_report_ms = now_ms;
	nm->health_fail_since_ms = -1;
	nm->not_streaming_since_ms = -1;
	nm->forgiven_ms = now_ms;
}

/* t when it is after now and before *next. */
static void sooner(int64_t *next, int64_t t, int64_t now_ms)
{
	if (t > now_ms && (*next < 0 || t < *next))
		*next = t;
}

/* Only while a node's connection tests fail: no node is down before. */
int64_t nodememory_next_deadline(const Monitor *m, int64_t node_down_ms,
				 int64_t now_ms)
{
	int64_t next = -1;
	bool failing = false;

	for (size_t i = 0; i < m->nmem; i++)
		failing |= m->mem[i].health_fail_since_ms >= 0;
	for (size_t i = 0; failing && i < m->nmem; i++) {
		const NodeMemory *nm = &m->mem[i];
		sooner(&next, nm->last_report_ms + node_down_ms, now_ms);
		if (nm->fence_ms > 0 && nm->port_closed)
			sooner(&next,
			       nm->last_report_ms + nm->fence_ms + FENCE_MARGIN_MS,
			       now_ms);
		if (nm->health_fail_since_ms >= 0)
			sooner(&next, nm->health_fail_since_ms + node_down_ms,
			       now_ms);
		if (nm->not_streaming_since_ms >= 0)
			sooner(&next,
			       nm->not_streaming_since_ms + STANDBY_LET_GO_MS,
			       now_ms);
	}
	return next;
}
