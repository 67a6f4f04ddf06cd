/*
 * storejson.c - JSON renderings of store records.
 */
#include "store/storejson.h"

#include "common/timeutil.h"

json_t *store_node_json(const StoreFormation *f, const StoreNode *n)
{
	char lsn[LSN_TEXT_LEN];
	return json_pack(
		"{s:s, s:i, s:s, s:i, s:s, s:s, s:s, s:b, s:i, s:b, s:i,"
		" s:s, s:s, s:b, s:b}",
		"name", n->name, "node_id", n->id, "host", n->host, "port",
		n->port, "current_state", state_name(n->reported),
		"assigned_state", state_name(n->goal), "lsn",
		lsn_format(n->report.lsn, lsn, sizeof(lsn)), "reachable",
		n->reachable, "timeline", n->report.timeline, "pg_running",
		n->report.pg_running, "candidate_priority", n->priority,
		"formation", f->name, "formation_health", f->health,
		"replication_quorum", n->quorum, "pending_restart",
		n->report.pending_restart);
}

json_t *store_event_json(const StoreEvent *e)
{
	char when[64];
	time_format_wall(e->time_ms, when, sizeof(when));
	return json_pack("{s:s, s:I, s:i, s:s, s:s, s:s, s:s}", "time", when,
			 "time_ms", (json_int_t)e->time_ms, "node_id",
			 e->node_id, "node_name", e->node_name, "old_state",
			 e->old_state, "new_state", e->new_state,
			 "description", e->description);
}
