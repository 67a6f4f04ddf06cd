/*
 * pgstore_schema.c - the tables and views of the postgres store, and who
 * may read them. The functions are in pgstore_schema_keeper.c (what a
 * node's own role may call) and pgstore_schema_operator.c (operator
 * actions); docs/security.md lists every role and its rights.
 *
 * Tables take no write from a node's role: keepers go through SECURITY
 * DEFINER functions that check who calls. The operator's role writes,
 * since schema 13, the columns and rows its actions change
 * (pgstore_migrate_policy.c), under the rules of storepolicy.h
 * (pgstore_change.c), and since schema 14 the rows a registration
 * makes (pgstore_migrate_rules.c, pgstore_register.c). The monitor (the database owner, through the
 * local socket) reads and writes everything, and every write it makes
 * checks its lease term.
 */
#include "store/pgstore_schema.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/idents.h"

/* What a host, a name and a reported state may look like in the store:
 * nothing in them can break out of pg_hba.conf, a configuration file or
 * a terminal line. */
#define HOST_RE "'" HOST_PATTERN "'"
#define NAME_RE "'" NAME_PATTERN "'"

static const char *const tables_sql[] = {
	"CREATE SCHEMA pgkeel",
	"CREATE TABLE pgkeel.formation ("
	" name text PRIMARY KEY CHECK (name ~ " NAME_RE "),"
	" number_sync_standbys int NOT NULL DEFAULT 1"
	"   CHECK (number_sync_standbys >= 0),"
	" strict_sync bool NOT NULL DEFAULT false,"
	" paused bool NOT NULL DEFAULT false,"
	" health text NOT NULL DEFAULT 'initializing',"
	" switchover_to int,"
	" failover_requested bool NOT NULL DEFAULT false,"
	" requested_at timestamptz,"
	" replication_password text NOT NULL"
	"   DEFAULT replace(gen_random_uuid()::text, '-', ''),"
	" health_password text NOT NULL"
	"   DEFAULT replace(gen_random_uuid()::text, '-', ''))",
	"CREATE TABLE pgkeel.node ("
	" id serial PRIMARY KEY,"
	" formation text NOT NULL REFERENCES pgkeel.formation,"
	" name text NOT NULL CHECK (name ~ " NAME_RE "),"
	" host text NOT NULL CHECK (host ~ " HOST_RE "),"
	" port int NOT NULL CHECK (port BETWEEN 1 AND 65535),"
	" secret text NOT NULL DEFAULT gen_random_uuid()::text,"
	" candidate_priority int NOT NULL DEFAULT 50,"
	" replication_quorum bool NOT NULL DEFAULT true,"
	" goal_state text NOT NULL DEFAULT 'init',"
	" upstream_id int,"
	" sync_names text NOT NULL DEFAULT '',"
	" reported_state text NOT NULL DEFAULT 'init'"
	"   CHECK (reported_state ~ '^[a-z_]{1,32}$'),"
	" pg_running bool NOT NULL DEFAULT false,"
	" pg_failed bool NOT NULL DEFAULT false,"
	" in_recovery bool NOT NULL DEFAULT false,"
	" lsn pg_lsn NOT NULL DEFAULT '0/0',"
	" timeline int NOT NULL DEFAULT 0,"
	" receiver_streaming bool NOT NULL DEFAULT false,"
	" upstream_host text NOT NULL DEFAULT ''"
	"   CHECK (upstream_host = '' OR upstream_host ~ " HOST_RE "),"
	" upstream_port int NOT NULL DEFAULT 0,"
	" pending_restart bool NOT NULL DEFAULT false,"
	" fenced bool NOT NULL DEFAULT false,"
	" report_seq bigint NOT NULL DEFAULT 0,"
	" report_time timestamptz,"
	" reachable bool NOT NULL DEFAULT false,"
	" maintenance bool NOT NULL DEFAULT false,"
	" drop_requested bool NOT NULL DEFAULT false,"
	" restart_requested bigint NOT NULL DEFAULT 0,"
	" restarted bigint NOT NULL DEFAULT 0,"
	" http_port int NOT NULL DEFAULT 0,"
	" UNIQUE (formation, name), UNIQUE (host, port))",
	"CREATE TABLE pgkeel.pg_param ("
	" formation text NOT NULL REFERENCES pgkeel.formation,"
	" name text NOT NULL,"
	" value text NOT NULL,"
	" PRIMARY KEY (formation, name))",
	"CREATE TABLE pgkeel.event ("
	" id bigserial PRIMARY KEY,"
	" time timestamptz NOT NULL DEFAULT clock_timestamp(),"
	" formation text NOT NULL,"
	" node_id int,"
	" node_name text,"
	" old_state text,"
	" new_state text,"
	" description text NOT NULL)",
	"CREATE TABLE pgkeel.lease ("
	" id int PRIMARY KEY CHECK (id = 1),"
	" term bigint NOT NULL,"
	" holder text NOT NULL,"
	" acquired timestamptz NOT NULL)",
	"INSERT INTO pgkeel.lease VALUES (1, 0, '', now())",
	"CREATE TABLE pgkeel.retired_role (role text PRIMARY KEY,"
	" since timestamptz NOT NULL DEFAULT clock_timestamp())",
	"CREATE TABLE pgkeel.meta (schema_version int NOT NULL)",
	"INSERT INTO pgkeel.meta VALUES (" PGSTORE_SCHEMA_BASE_TEXT ")",

	"CREATE VIEW pgkeel.node_public AS SELECT " PGSTORE_NODE_PUBLIC_BASE
	" FROM pgkeel.node",

	NULL,
};

/* After the functions: nothing for PUBLIC; nodes and operators read the
 * formation (nodes need the replication and health passwords), the nodes'
 * public columns, events and parameters; only functions write. */
static const char *const grants_sql[] = {
	"REVOKE ALL ON ALL TABLES IN SCHEMA pgkeel FROM PUBLIC",
	"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgkeel FROM PUBLIC",
	"GRANT USAGE ON SCHEMA pgkeel TO " PGSTORE_NODES_GROUP ", "
	PGSTORE_OPERATOR_ROLE,
	"GRANT SELECT ON pgkeel.node_public, pgkeel.formation, pgkeel.event,"
	" pgkeel.pg_param, pgkeel.retired_role TO " PGSTORE_NODES_GROUP ", "
	PGSTORE_OPERATOR_ROLE,
	"GRANT EXECUTE ON FUNCTION pgkeel.request(text, text, text),"
	" pgkeel.set_maintenance(text, text, bool),"
	" pgkeel.drop_node(text, text)"
	" TO " PGSTORE_NODES_GROUP ", " PGSTORE_OPERATOR_ROLE,
	"GRANT EXECUTE ON FUNCTION pgkeel.register_node(text, text, text, int,"
	" int, bool), pgkeel.set_pg_param(text, text, text),"
	" pgkeel.request_restart(text, text),"
	" pgkeel.set_setting(text, text, text, text)"
	" TO " PGSTORE_OPERATOR_ROLE,
	NULL,
};

const char *const *const pgstore_schema_sql[] = {
	tables_sql, pgstore_schema_keeper_sql, pgstore_schema_operator_sql,
	grants_sql, NULL,
};

bool pgstore_schema_version_ok(const char *version, char *err, size_t errlen)
{
	int v = version ? atoi(version) : 0;

	if (v == PGSTORE_SCHEMA_VERSION)
		return true;
	if (v > PGSTORE_SCHEMA_VERSION)
		snprintf(err, errlen,
			 "the state store has schema version %d, newer than "
			 "this pgkeel's %d: run the pgkeel version the "
			 "monitor runs",
			 v, PGSTORE_SCHEMA_VERSION);
	else if (v >= PGSTORE_SCHEMA_BASE_VERSION)
		snprintf(err, errlen,
			 "the state store has schema version %d, this pgkeel "
			 "needs %d: start the monitor with this pgkeel version "
			 "first, it upgrades the store (docs/commands.md, "
			 "\"Upgrading pgkeel\")",
			 v, PGSTORE_SCHEMA_VERSION);
	else
		snprintf(err, errlen,
			 "the state store has schema version %s, this pgkeel "
			 "needs %d: create a new monitor and register the "
			 "nodes with it (docs/security.md, \"Upgrading from "
			 "schema 1\")",
			 version && *version ? version : "(none)",
			 PGSTORE_SCHEMA_VERSION);
	return false;
}
