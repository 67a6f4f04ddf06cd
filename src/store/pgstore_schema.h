/*
 * pgstore_schema.h - the SQL that creates the postgres store's schema in
 * the monitor's database, and the roles that reach it: one login role per
 * data node (member of a group that holds the nodes' rights) and the
 * operator's role. docs/security.md describes each.
 */
#ifndef PGK_PGSTORE_SCHEMA_H
#define PGK_PGSTORE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#define PGSTORE_DB "pgkeel"
/* NOLOGIN group holding what every node's own role may do */
#define PGSTORE_NODES_GROUP "pgkeel_nodes"
/* a node's own login role is this prefix and its node id */
#define PGSTORE_NODE_ROLE_PREFIX "pgkeel_node_"
/* SQL: the name of node id's own role */
#define PGSTORE_NODE_ROLE_OF(id) "'" PGSTORE_NODE_ROLE_PREFIX "' || " id
/* SQL: the channel of the notification a report that changed nothing
 * makes, with the node's id (a beat; pgstore_wait.c). Its name is
 * secret, in a table only the store's owner reads: no node can forge
 * another node's beats (docs/security.md). */
#define PGSTORE_BEAT_CHANNEL_SQL "SELECT name FROM pgkeel.beat_channel"
/* registration and every operator action */
#define PGSTORE_OPERATOR_ROLE "pgkeel_operator"
/* A new store is made at the base version, then brought up to the
 * current one by the same steps that upgrade an older store
 * (pgstore_migrate.c). Stores below the base cannot be upgraded. */
#define PGSTORE_SCHEMA_BASE_VERSION 2
#define PGSTORE_SCHEMA_BASE_TEXT "2"
#define PGSTORE_SCHEMA_VERSION 15

/* The columns of pgkeel.node_public (what every node may read of every
 * node) at the base version; upgrades append theirs. */
#define PGSTORE_NODE_PUBLIC_BASE \
	"id, formation, name, host, port, candidate_priority," \
	" replication_quorum, goal_state, upstream_id, sync_names," \
	" reported_state, pg_running, pg_failed, in_recovery, lsn, timeline," \
	" receiver_streaming, upstream_host, upstream_port, pending_restart," \
	" fenced, report_seq," \
	" coalesce((extract(epoch FROM clock_timestamp() - report_time)" \
	"  * 1000)::bigint, 1000000000) AS report_age_ms, reachable," \
	" maintenance, drop_requested, restart_requested, restarted, http_port"

/* The query that reads a store's schema version, and the verdict on its
 * answer: false with err (what to do) when it is not this pgkeel's. A
 * store made by another pgkeel version has other roles and rights. */
#define PGSTORE_SCHEMA_VERSION_SQL "SELECT max(schema_version) FROM pgkeel.meta"
/* pgstore_schema_version_ok: true for this pgkeel's version; false with
 * err saying which pgkeel to run, or how to upgrade or start anew. */
bool pgstore_schema_version_ok(const char *version, char *err, size_t errlen);

/* Lists of statements, run in order in one transaction by `create
 * monitor`: the tables, the functions, then the grants; then the
 * upgrade steps (pgstore_migrate.h), in the same transaction. */
extern const char *const *const pgstore_schema_sql[];
/* pgstore_schema_keeper.c: registration, reports, node-scoped actions */
extern const char *const pgstore_schema_keeper_sql[];
/* pgstore_schema_operator.c: requests, settings, parameters, restarts */
extern const char *const pgstore_schema_operator_sql[];
/* CREATE OR REPLACE FUNCTION pgkeel.set_setting, its last version
 * (pgstore_setsetting.c): the base schema and the steps that changed it
 * all create this one, which step 12 -> 13 drops. */
extern const char pgstore_set_setting_sql[];
/* CREATE OR REPLACE FUNCTION pgkeel.set_slot, its last version
 * (pgstore_migrate_logical.c), created by both steps that changed it
 * and dropped by step 12 -> 13. */
extern const char pgstore_set_slot_sql[];

#endif
