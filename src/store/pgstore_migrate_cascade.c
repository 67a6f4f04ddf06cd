/*
 * pgstore_migrate_cascade.c - the schema step (9 -> 10) that adds
 * cascading replication and delayed replicas to the postgres store
 * (docs/state-machine.md, "Cascading replication" and "Delayed
 * replicas"):
 *
 * - node.replicate_from: the name of the standby the node streams from
 *   ("": the primary); the monitor decides whether it may
 *   (fsm/formation.c) and writes the node's upstream.
 * - node.apply_delay: how late the node replays WAL, in milliseconds
 *   (its recovery_min_apply_delay); such a node is never promoted and
 *   never a synchronous standby.
 *
 * Every node reads both (node_public); set_setting validates them.
 */
#include "store/pgstore_migrate.h"

#include "store/pgstore_schema.h"

const char *const pgstore_step_cascade[] = {
	"ALTER TABLE pgkeel.node ADD COLUMN replicate_from text NOT NULL"
	" DEFAULT ''",
	"ALTER TABLE pgkeel.node ADD COLUMN apply_delay int NOT NULL"
	" DEFAULT 0",
	"CREATE OR REPLACE VIEW pgkeel.node_public AS SELECT "
	PGSTORE_NODE_PUBLIC_BASE ", fence_ms, promote_vetoed, tags,"
	" reinit_requested, replicate_from, apply_delay"
	" FROM pgkeel.node",
	pgstore_set_setting_sql,
	NULL,
};
