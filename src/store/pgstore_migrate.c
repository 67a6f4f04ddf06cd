/*
 * pgstore_migrate.c - the upgrade steps of the postgres store's schema.
 * A new store is made at the base version (pgstore_schema.c) and brought
 * up by these same steps, so each fact of the schema is written once.
 *
 * 2 -> 3: reports carry the keeper's fence timeout (fence_ms), which
 * bounds how long a primary cut off from the store keeps accepting
 * writes; the monitor's fast decision on a node whose Postgres port
 * refuses connections relies on it (docs/guarantees.md).
 *
 * 3 -> 4: a report wakes the monitor (NOTIFY pgkeel_report) only when
 * it changed something; a heartbeat alone is read at the monitor's next
 * interval, which measures report ages in any case. On an idle
 * formation this halves the monitor's cycles.
 *
 * 4 -> 5: a formation names the pgBackRest stanza its nodes archive to
 * (`pgkeel config set backup.pgbackrest_stanza`, docs/pgbackrest.md).
 *
 * 5 -> 6: permanent replication slots of a formation (pgkeel.slot,
 * written by pgkeel.set_slot for the operator; `pgkeel config set
 * slots.NAME`). A removed slot stays as a row without a kind, so that
 * every node's keeper drops its copy, whenever it runs next.
 *
 * 6 -> 7: reports say when the node's pre_promote hook vetoed its
 * promotion (promote_vetoed): the monitor then hands the promotion to
 * another standby (docs/state-machine.md). Keepers of the previous
 * version go on reporting through the 15-argument report().
 *
 * 7 -> 8: node tags (node.tags, common/nodetags.h): nofailover keeps a
 * node from being promoted, noloadbalance takes it out of the keepers'
 * read checks. Every node reads them (node_public); set_setting
 * validates them against the known tags and keeps them in the table's
 * order.
 * 8 -> 9: reinit requests and scheduled operations
 * (pgstore_migrate_ops.c).
 *
 * 9 -> 10: cascading replication and delayed replicas, node.replicate_from
 * and node.apply_delay (pgstore_migrate_cascade.c).
 *
 * 10 -> 11: logical permanent slots (pgstore_migrate_logical.c).
 *
 * 11 -> 12: standby formations (pgstore_migrate_standby.c).
 *
 * 12 -> 13: the operator's actions are ruled by the drivers' shared
 * rules (storepolicy.h) instead of the store's functions
 * (pgstore_migrate_policy.c).
 *
 * 13 -> 14: the monitor's apply is ruled by them too: request expiry
 * and the removal of dropped nodes (pgstore_migrate_rules.c).
 *
 * 14 -> 15: a report that changed nothing is a beat, a notification
 * with the node's id and its new report_seq on a channel whose name is
 * secret, which tells the monitor that the keeper is alive without a
 * read (pgstore_wait.c); and each formation has a version, which moves
 * with everything a keeper reads of it but its nodes' heartbeats, so
 * that a keeper's cycle reads it only when it changed (pgstore_ops.c).
 */
#include "store/pgstore_migrate.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/idents.h"
#include "common/slotdecl.h"
#include "store/pgstore_schema.h"

#define REPORT_SIG                                                          \
	"pgkeel.report(int, text, bool, bool, bool, pg_lsn, int, bool, text," \
	" int, bool, bool, bigint, int, int)"

/* The report's parameters and the columns they set, in one order. */
#define REPORT_PARAMS                                                       \
	"(p_id int, p_state text,"                                           \
	" p_running bool, p_failed bool, p_recovery bool, p_lsn pg_lsn,"     \
	" p_timeline int, p_streaming bool, p_up_host text, p_up_port int,"  \
	" p_pending bool, p_fenced bool, p_restarted bigint, p_http_port int," \
	" p_fence_ms int)"
#define REPORT_SET                                                          \
	" SET reported_state = p_state,"                                      \
	"   pg_running = p_running, pg_failed = p_failed,"                   \
	"   in_recovery = p_recovery, lsn = p_lsn, timeline = p_timeline,"   \
	"   receiver_streaming = p_streaming, upstream_host = p_up_host,"    \
	"   upstream_port = p_up_port, pending_restart = p_pending,"         \
	"   fenced = p_fenced, restarted = p_restarted, http_port = p_http_port," \
	"   fence_ms = p_fence_ms,"                                          \
	"   report_seq = report_seq + 1,"                                    \
	"   report_time = clock_timestamp()"
/* Since 7: the same and the veto of the pre_promote hook. */
#define REPORT7_SIG                                                         \
	"pgkeel.report(int, text, bool, bool, bool, pg_lsn, int, bool, text," \
	" int, bool, bool, bigint, int, int, bool)"
#define REPORT7_PARAMS                                                      \
	"(p_id int, p_state text,"                                           \
	" p_running bool, p_failed bool, p_recovery bool, p_lsn pg_lsn,"     \
	" p_timeline int, p_streaming bool, p_up_host text, p_up_port int,"  \
	" p_pending bool, p_fenced bool, p_restarted bigint, p_http_port int," \
	" p_fence_ms int, p_vetoed bool)"
#define REPORT_NOT_MINE                                                     \
	"   RAISE EXCEPTION 'node % unknown, or this is not node %''s"       \
	" credential', p_id, p_id"                                           \
	"    USING ERRCODE = 'invalid_authorization_specification';"

static const char *const to_3[] = {
	"ALTER TABLE pgkeel.node ADD COLUMN fence_ms int NOT NULL DEFAULT 0"
	" CHECK (fence_ms >= 0)",
	/* reports: from the node's own role only. An upgraded store keeps
	 * the 14-argument report() of schema 2, so that keepers started
	 * before the upgrade go on reporting (fence_ms stays 0 for them:
	 * unknown, no fast decision) until they run this version. */
	"CREATE FUNCTION pgkeel.report" REPORT_PARAMS
	" RETURNS void"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_formation text;"
	" BEGIN"
	"  UPDATE pgkeel.node" REPORT_SET
	"   WHERE id = p_id AND " PGSTORE_NODE_ROLE_OF("id")
	" = session_user::text"
	"   RETURNING formation INTO v_formation;"
	"  IF NOT FOUND THEN" REPORT_NOT_MINE
	"  END IF;"
	"  PERFORM pg_notify('pgkeel_report', v_formation);"
	" END $$",
	"REVOKE ALL ON FUNCTION " REPORT_SIG " FROM PUBLIC",
	"GRANT EXECUTE ON FUNCTION " REPORT_SIG " TO " PGSTORE_NODES_GROUP
	", " PGSTORE_OPERATOR_ROLE,
	"CREATE OR REPLACE VIEW pgkeel.node_public AS SELECT "
	PGSTORE_NODE_PUBLIC_BASE ", fence_ms FROM pgkeel.node",
	NULL,
};

static const char *const to_4[] = {
	"CREATE OR REPLACE FUNCTION pgkeel.report" REPORT_PARAMS
	" RETURNS void"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_formation text; v_changed bool;"
	" BEGIN"
	"  SELECT formation, (reported_state, pg_running, pg_failed,"
	"   in_recovery, lsn, timeline, receiver_streaming, upstream_host,"
	"   upstream_port, pending_restart, fenced, restarted, http_port,"
	"   fence_ms) IS DISTINCT FROM (p_state, p_running, p_failed,"
	"   p_recovery, p_lsn, p_timeline, p_streaming, p_up_host, p_up_port,"
	"   p_pending, p_fenced, p_restarted, p_http_port, p_fence_ms)"
	"   INTO v_formation, v_changed FROM pgkeel.node"
	"   WHERE id = p_id AND " PGSTORE_NODE_ROLE_OF("id")
	" = session_user::text FOR UPDATE;"
	"  IF NOT FOUND THEN" REPORT_NOT_MINE
	"  END IF;"
	"  UPDATE pgkeel.node" REPORT_SET " WHERE id = p_id;"
	"  IF v_changed THEN"
	"   PERFORM pg_notify('pgkeel_report', v_formation);"
	"  END IF;"
	" END $$",
	NULL,
};

#define SET_BACKUP_SIG "pgkeel.set_backup_setting(text, text, text)"

static const char *const to_5[] = {
	"ALTER TABLE pgkeel.formation ADD COLUMN pgbackrest_stanza text"
	" NOT NULL DEFAULT '' CHECK (pgbackrest_stanza = '' OR"
	" pgbackrest_stanza ~ '" NAME_PATTERN "')",
	/* sets (p_value) or removes (NULL or '') a backup setting; returns
	 * the value it had */
	"CREATE FUNCTION pgkeel.set_backup_setting(p_formation text,"
	" p_name text, p_value text) RETURNS text"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_old text; v_new text := coalesce(p_value, '');"
	" BEGIN"
	"  IF p_name <> 'backup.pgbackrest_stanza' THEN RAISE EXCEPTION"
	"   'unknown setting %', p_name USING ERRCODE = 'undefined_object';"
	"  END IF;"
	"  IF v_new <> '' AND v_new !~ '" NAME_PATTERN "' THEN RAISE EXCEPTION"
	"   'backup.pgbackrest_stanza must be a name: letters, digits, _ and -"
	" (at most 63)' USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"  SELECT pgbackrest_stanza INTO v_old FROM pgkeel.formation"
	"   WHERE name = p_formation FOR UPDATE;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'formation % does not exist',"
	"   p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  UPDATE pgkeel.formation SET pgbackrest_stanza = v_new"
	"   WHERE name = p_formation;"
	"  INSERT INTO pgkeel.event (formation, description) VALUES"
	"   (p_formation, format('%s changed from %s to %s', p_name,"
	"    coalesce(nullif(v_old, ''), '(unset)'),"
	"    coalesce(nullif(v_new, ''), '(unset)')));"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	"  RETURN v_old;"
	" END $$",
	"REVOKE ALL ON FUNCTION " SET_BACKUP_SIG " FROM PUBLIC",
	"GRANT EXECUTE ON FUNCTION " SET_BACKUP_SIG " TO "
	PGSTORE_OPERATOR_ROLE,
	NULL,
};

static const char *const to_6[] = {
	"CREATE TABLE pgkeel.slot ("
	" formation text NOT NULL REFERENCES pgkeel.formation,"
	" name text NOT NULL CHECK (name ~ '" SLOTDECL_NAME_PATTERN "'"
	"  AND strpos(name, '" SLOTDECL_RESERVED_PREFIX "') <> 1),"
	" kind text CHECK (kind = '" SLOTDECL_PHYSICAL "'),"
	" PRIMARY KEY (formation, name))",
	pgstore_set_slot_sql,
	"REVOKE ALL ON pgkeel.slot FROM PUBLIC",
	"REVOKE ALL ON FUNCTION pgkeel.set_slot(text, text, text) FROM PUBLIC",
	"GRANT SELECT ON pgkeel.slot TO " PGSTORE_NODES_GROUP
	", " PGSTORE_OPERATOR_ROLE,
	"GRANT EXECUTE ON FUNCTION pgkeel.set_slot(text, text, text) TO "
	PGSTORE_OPERATOR_ROLE,
	NULL,
};

/* Since 7: the report's function, made by `create` ("CREATE" or "CREATE
 * OR REPLACE"). After the update, which ends with `returning` (since 15,
 * the new report_seq into v_seq): `changed`, what it does besides
 * notifying when the report changed something (since 15, a new version
 * of the formation), and `unchanged`, what it does when it did not
 * (since 15, a beat: pgstore_wait.c). */
#define REPORT7_FUNCTION(create, returning, changed, unchanged)             \
	create " FUNCTION pgkeel.report" REPORT7_PARAMS                      \
	" RETURNS void"                                                      \
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$" \
	" DECLARE v_formation text; v_changed bool; v_seq bigint;"           \
	" BEGIN"                                                             \
	"  SELECT formation, (reported_state, pg_running, pg_failed,"        \
	"   in_recovery, lsn, timeline, receiver_streaming, upstream_host,"  \
	"   upstream_port, pending_restart, fenced, restarted, http_port,"   \
	"   fence_ms, promote_vetoed) IS DISTINCT FROM (p_state, p_running," \
	"   p_failed, p_recovery, p_lsn, p_timeline, p_streaming, p_up_host," \
	"   p_up_port, p_pending, p_fenced, p_restarted, p_http_port,"       \
	"   p_fence_ms, p_vetoed)"                                           \
	"   INTO v_formation, v_changed FROM pgkeel.node"                    \
	"   WHERE id = p_id AND " PGSTORE_NODE_ROLE_OF("id")                 \
	" = session_user::text FOR UPDATE;"                                  \
	"  IF NOT FOUND THEN" REPORT_NOT_MINE                                \
	"  END IF;"                                                          \
	"  UPDATE pgkeel.node" REPORT_SET ", promote_vetoed = p_vetoed"      \
	"   WHERE id = p_id" returning ";"                                   \
	"  IF v_changed THEN"                                                \
	"   PERFORM pg_notify('pgkeel_report', v_formation);"                \
	changed unchanged                                                    \
	"  END IF;"                                                          \
	" END $$"

static const char *const to_7[] = {
	"ALTER TABLE pgkeel.node ADD COLUMN promote_vetoed bool NOT NULL"
	" DEFAULT false",
	REPORT7_FUNCTION("CREATE", "", "", ""),
	"REVOKE ALL ON FUNCTION " REPORT7_SIG " FROM PUBLIC",
	"GRANT EXECUTE ON FUNCTION " REPORT7_SIG " TO " PGSTORE_NODES_GROUP
	", " PGSTORE_OPERATOR_ROLE,
	"CREATE OR REPLACE VIEW pgkeel.node_public AS SELECT "
	PGSTORE_NODE_PUBLIC_BASE ", fence_ms, promote_vetoed FROM pgkeel.node",
	NULL,
};

static const char *const to_8[] = {
	"ALTER TABLE pgkeel.node ADD COLUMN tags text NOT NULL DEFAULT ''",
	"CREATE OR REPLACE VIEW pgkeel.node_public AS SELECT "
	PGSTORE_NODE_PUBLIC_BASE ", fence_ms, promote_vetoed, tags"
	" FROM pgkeel.node",
	pgstore_set_setting_sql,
	NULL,
};

/* What a keeper reads of its formation changes with version (the
 * formation's, every table it reads) but for its nodes' report_seq and
 * report_time, which every report moves: a bump at the commit of any
 * other change (deferred: the version's row is the last any transaction
 * locks), and by a report that changed something. */
#define VERSION_TRIGGER(name, events, table, when)                          \
	"CREATE CONSTRAINT TRIGGER " name " AFTER " events " ON pgkeel."      \
	table " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW" when             \
	" EXECUTE FUNCTION pgkeel.formation_changed()"

static const char *const to_15[] = {
	"CREATE TABLE pgkeel.beat_channel (name text NOT NULL)",
	"REVOKE ALL ON pgkeel.beat_channel FROM PUBLIC",
	"INSERT INTO pgkeel.beat_channel VALUES ('pgkeel_beat_' ||"
	" replace(gen_random_uuid()::text, '-', ''))",
	"CREATE TABLE pgkeel.formation_version (formation text PRIMARY KEY,"
	" version bigint NOT NULL DEFAULT 0)",
	"INSERT INTO pgkeel.formation_version (formation)"
	" SELECT name FROM pgkeel.formation",
	"GRANT SELECT ON pgkeel.formation_version TO " PGSTORE_NODES_GROUP
	", " PGSTORE_OPERATOR_ROLE,
	"CREATE FUNCTION pgkeel.bump_version(p_formation text) RETURNS void"
	" LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" INSERT INTO pgkeel.formation_version AS v (formation)"
	" VALUES (p_formation) ON CONFLICT (formation)"
	" DO UPDATE SET version = v.version + 1 $$",
	"REVOKE ALL ON FUNCTION pgkeel.bump_version(text) FROM PUBLIC",
	"CREATE FUNCTION pgkeel.formation_changed() RETURNS trigger"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" BEGIN"
	"  IF TG_TABLE_NAME = 'retired_role' THEN"
	"   UPDATE pgkeel.formation_version SET version = version + 1;"
	"  ELSIF TG_TABLE_NAME = 'formation' THEN"
	"   PERFORM pgkeel.bump_version(CASE WHEN TG_OP = 'DELETE'"
	"    THEN OLD.name ELSE NEW.name END);"
	"  ELSE"
	"   PERFORM pgkeel.bump_version(CASE WHEN TG_OP = 'DELETE'"
	"    THEN OLD.formation ELSE NEW.formation END);"
	"  END IF;"
	"  RETURN NULL;"
	" END $$",
	"REVOKE ALL ON FUNCTION pgkeel.formation_changed() FROM PUBLIC",
	VERSION_TRIGGER("version", "INSERT OR UPDATE OR DELETE", "formation",
			""),
	VERSION_TRIGGER("version", "INSERT OR DELETE", "node", ""),
	VERSION_TRIGGER("version_not_a_report", "UPDATE", "node",
			" WHEN (NEW.report_seq = OLD.report_seq)"),
	VERSION_TRIGGER("version", "INSERT OR UPDATE OR DELETE", "pg_param", ""),
	VERSION_TRIGGER("version", "INSERT OR UPDATE OR DELETE", "slot", ""),
	VERSION_TRIGGER("version", "INSERT OR UPDATE OR DELETE", "scheduled",
			""),
	VERSION_TRIGGER("version", "INSERT OR DELETE", "retired_role", ""),
	REPORT7_FUNCTION("CREATE OR REPLACE", " RETURNING report_seq INTO v_seq",
			 "   PERFORM pgkeel.bump_version(v_formation);",
			 "  ELSE PERFORM pg_notify((" PGSTORE_BEAT_CHANNEL_SQL
			 "), p_id || ' ' || v_seq);"),
	NULL,
};

/* step i takes a store from version BASE + i to BASE + i + 1 */
const char *const *const pgstore_migrate_steps[] = {
	to_3, to_4, to_5, to_6, to_7, to_8, pgstore_step_operations,
	pgstore_step_cascade, pgstore_step_logical, pgstore_step_standby,
	pgstore_step_policy, pgstore_step_rules, to_15};
const size_t pgstore_migrate_nsteps =
	sizeof(pgstore_migrate_steps) / sizeof(pgstore_migrate_steps[0]);

_Static_assert(PGSTORE_SCHEMA_BASE_VERSION +
			       (int)(sizeof(pgstore_migrate_steps) /
				     sizeof(pgstore_migrate_steps[0])) ==
		       PGSTORE_SCHEMA_VERSION,
	       "one upgrade step per schema version above the base");

static bool run(PgConn *pc, const char *sql, char *err, size_t errlen)
{
	if (pg_exec(pc, sql, 0, NULL))
		return true;
	snprintf(err, errlen, "upgrading the state store's schema: %s",
		 pc->error);
	return false;
}

static bool run_step(PgConn *pc, int version, bool own_tx, char *err,
		     size_t errlen)
{
	char sql[96];
	const char *const *step =
		pgstore_migrate_steps[version - PGSTORE_SCHEMA_BASE_VERSION];
	bool ok = !own_tx || run(pc, "BEGIN", err, errlen);

	for (size_t i = 0; ok && step[i]; i++)
		ok = run(pc, step[i], err, errlen);
	snprintf(sql, sizeof(sql), "UPDATE pgkeel.meta SET schema_version = %d",
		 version + 1);
	ok = ok && run(pc, sql, err, errlen);
	if (own_tx)
		ok = ok ? run(pc, "COMMIT", err, errlen)
			: (pg_exec(pc, "ROLLBACK", 0, NULL), false);
	return ok;
}

bool pgstore_migrate(PgConn *pc, bool in_transaction, int *from, char *err,
		     size_t errlen)
{
	char v[16];

	if (!pg_query_value(pc, PGSTORE_SCHEMA_VERSION_SQL, 0, NULL, v,
			    sizeof(v))) {
		snprintf(err, errlen, "%s", pc->error);
		return false;
	}
	*from = atoi(v);
	if (*from < PGSTORE_SCHEMA_BASE_VERSION ||
	    *from > PGSTORE_SCHEMA_VERSION)
		return pgstore_schema_version_ok(v, err, errlen);
	for (int ver = *from; ver < PGSTORE_SCHEMA_VERSION; ver++) {
		if (!run_step(pc, ver, !in_transaction, err, errlen))
			return false;
	}
	return true;
}
