/*
 * monitor_snapshot.c - the state machine's view of a formation read
 * from the store: its settings with the monitor's timeouts, and each
 * node's row. The node's memory (when its last report was seen, since
 * when its checks fail and it does not stream) is left to the caller:
 * the monitor fills it from its own clock (monitor_loop.c), `pgkeel
 * explain` approximates it from the store (docs/state-machine.md).
 */
#include <stdio.h>
#include <string.h>

#include "common/nodetags.h"
#include "monitor/monitor.h"

void monitor_fsm_settings(const StoreFormation *sf, int64_t node_down_ms,
			  int64_t restart_allowance_ms,
			  int64_t sync_timeout_ms, FsmSettings *s)
{
	fsm_settings_default(s);
	s->number_sync_standbys = sf->number_sync_standbys;
	s->strict_sync = sf->strict_sync;
	s->standby_of = sf->standby_of[0] != '\0';
	s->paused = sf->paused;
	s->switchover_to = sf->switchover_to;
	s->failover_requested = sf->failover_requested;
	s->node_down_ms = node_down_ms;
	s->restart_allowance_ms = restart_allowance_ms;
	s->sync_timeout_ms = sync_timeout_ms;
}

static int streaming_from(const StoreFormation *sf, const StoreNode *n)
{
	if (!n->report.receiver_streaming)
		return 0;
	for (size_t i = 0; i < sf->nnodes; i++) {
		const StoreNode *o = &sf->nodes[i];
		if (o->port == n->report.upstream_port &&
		    strcmp(o->host, n->report.upstream_host) == 0)
			return o->id;
	}
	return 0;
}

void monitor_fsm_node(const StoreFormation *sf, const StoreNode *n,
		      FsmNode *f)
{
	memset(f, 0, sizeof(*f));
	f->id = n->id;
	snprintf(f->name, sizeof(f->name), "%s", n->name);
	f->priority = n->priority;
	f->quorum = n->quorum;
	f->goal = n->goal;
	f->reported = n->reported;
	f->upstream_id = n->upstream_id;
	/* a standby being cloned again is out of service meanwhile */
	f->maintenance = n->maintenance || store_node_reinit_pending(n);
	f->nofailover = (n->tags & NODE_TAG_NOFAILOVER) != 0;
	const StoreNode *from = n->replicate_from[0]
					? store_formation_node_named(
						  sf, n->replicate_from)
					: NULL;
	f->replicate_from = from ? from->id : 0;
	f->apply_delay_ms = n->apply_delay;
	f->drop = n->drop_requested;
	f->restart_pending = n->restart_requested > n->report.restarted;
	f->pg_running = n->report.pg_running;
	f->pg_failed = n->report.pg_failed;
	f->promote_vetoed = n->report.promote_vetoed;
	f->in_recovery = n->report.in_recovery;
	f->lsn = n->report.lsn;
	f->timeline = n->report.timeline;
	f->receiver_streaming = n->report.receiver_streaming;
	f->streaming_from = streaming_from(sf, n);
	f->fence_ms = n->report.fence_ms;
	f->health_fail_since_ms = -1;
	f->not_streaming_since_ms = -1;
}
