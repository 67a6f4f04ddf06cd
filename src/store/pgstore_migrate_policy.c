/*
 * pgstore_migrate_policy.c - the schema step (12 -> 13) that moves the
 * operator's actions out of the postgres store's functions into the
 * rules the drivers share (storepolicy.h; pgstore_change.c):
 *
 * - the operator's role locks and writes, in one transaction, the
 *   columns those actions change (a formation's request, settings and
 *   backup setting; a node's settings, maintenance, drop, restart and
 *   reinit requests), the formation's Postgres parameters and permanent
 *   slots, adds events and scheduled operations and ends them; it still
 *   writes no goal, no report, no password, no node's secret, and the
 *   lease not at all (docs/security.md);
 * - the functions it called for them go: set_setting, request_restart,
 *   request_reinit, schedule, end_scheduled, set_pg_param,
 *   set_backup_setting, set_slot. request, set_maintenance and
 *   drop_node stay for the nodes' own roles alone (a node's own node,
 *   its own primary role), which write no table.
 */
#include "store/pgstore_migrate.h"

#include "store/pgstore_schema.h"

#define OPERATOR " TO " PGSTORE_OPERATOR_ROLE

const char *const pgstore_step_policy[] = {
	"GRANT UPDATE (switchover_to, failover_requested, requested_at,"
	" number_sync_standbys, strict_sync, paused, standby_of,"
	" pgbackrest_stanza) ON pgkeel.formation" OPERATOR,
	"GRANT INSERT, UPDATE, DELETE ON pgkeel.pg_param" OPERATOR,
	"GRANT INSERT (formation, name, kind), UPDATE (kind, copy_node,"
	" confirmed_flush, state) ON pgkeel.slot" OPERATOR,
	"GRANT SELECT (id, formation), UPDATE (candidate_priority,"
	" replication_quorum, tags, replicate_from, apply_delay, maintenance,"
	" drop_requested, restart_requested, reinit_requested)"
	" ON pgkeel.node" OPERATOR,
	"GRANT INSERT (formation, node_id, node_name, old_state, new_state,"
	" description) ON pgkeel.event" OPERATOR,
	"GRANT INSERT (id, formation, what, node_name, at),"
	" UPDATE (outcome, why) ON pgkeel.scheduled" OPERATOR,
	"GRANT USAGE ON SEQUENCE pgkeel.event_id_seq,"
	" pgkeel.scheduled_id_seq" OPERATOR,
	"DROP FUNCTION pgkeel.set_setting(text, text, text, text),"
	" pgkeel.request_restart(text, text),"
	" pgkeel.request_reinit(text, text),"
	" pgkeel.schedule(text, text, text, bigint),"
	" pgkeel.end_scheduled(text, bigint, text, text),"
	" pgkeel.set_pg_param(text, text, text),"
	" pgkeel.set_backup_setting(text, text, text),"
	" pgkeel.set_slot(text, text, text)",
	"REVOKE EXECUTE ON FUNCTION pgkeel.request(text, text, text),"
	" pgkeel.set_maintenance(text, text, bool),"
	" pgkeel.drop_node(text, text) FROM " PGSTORE_OPERATOR_ROLE,
	NULL,
};
