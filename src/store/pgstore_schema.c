/*
 * pgstore_schema.c - tables, views and functions of the postgres store.
 *
 * Keepers connect as pgkeel_node and can only call register_node() and
 * report() and read the node_public/formation_public views: they cannot
 * write goal states. report() checks the node's secret, so a keeper can
 * report for its own node only. The monitor (the database owner, through
 * the local socket) reads and writes everything, and every write it makes
 * checks its lease term.
 */
#include "store/pgstore_schema.h"

#include <stddef.h>

const char *const pgstore_schema_sql[] = {
	"CREATE SCHEMA pgkeel",
	"CREATE TABLE pgkeel.formation ("
	" name text PRIMARY KEY,"
	" number_sync_standbys int NOT NULL DEFAULT 1"
	"   CHECK (number_sync_standbys >= 0),"
	" strict_sync bool NOT NULL DEFAULT false,"
	" paused bool NOT NULL DEFAULT false,"
	" health text NOT NULL DEFAULT 'initializing',"
	" switchover_to int,"
	" failover_requested bool NOT NULL DEFAULT false,"
	" replication_password text NOT NULL"
	"   DEFAULT replace(gen_random_uuid()::text, '-', ''))",
	"CREATE TABLE pgkeel.node ("
	" id serial PRIMARY KEY,"
	" formation text NOT NULL REFERENCES pgkeel.formation,"
	" name text NOT NULL,"
	" host text NOT NULL,"
	" port int NOT NULL,"
	" secret text NOT NULL DEFAULT gen_random_uuid()::text,"
	" candidate_priority int NOT NULL DEFAULT 50,"
	" replication_quorum bool NOT NULL DEFAULT true,"
	" goal_state text NOT NULL DEFAULT 'init',"
	" upstream_id int,"
	" sync_names text NOT NULL DEFAULT '',"
	" reported_state text NOT NULL DEFAULT 'init',"
	" pg_running bool NOT NULL DEFAULT false,"
	" pg_failed bool NOT NULL DEFAULT false,"
	" in_recovery bool NOT NULL DEFAULT false,"
	" lsn pg_lsn NOT NULL DEFAULT '0/0',"
	" timeline int NOT NULL DEFAULT 0,"
	" receiver_streaming bool NOT NULL DEFAULT false,"
	" upstream_host text NOT NULL DEFAULT '',"
	" upstream_port int NOT NULL DEFAULT 0,"
	" pending_restart bool NOT NULL DEFAULT false,"
	" fenced bool NOT NULL DEFAULT false,"
	" report_seq bigint NOT NULL DEFAULT 0,"
	" report_time timestamptz,"
	" reachable bool NOT NULL DEFAULT false,"
	" UNIQUE (formation, name), UNIQUE (host, port))",
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
	"CREATE TABLE pgkeel.meta (schema_version int NOT NULL)",
	"INSERT INTO pgkeel.meta VALUES (1)",

	/* registration: the first node of a formation creates it */
	"CREATE FUNCTION pgkeel.register_node(p_formation text, p_name text,"
	" p_host text, p_port int, p_priority int, p_quorum bool,"
	" OUT node_id int, OUT node_name text, OUT secret text)"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" BEGIN"
	"  INSERT INTO pgkeel.formation (name) VALUES (p_formation)"
	"   ON CONFLICT DO NOTHING;"
	"  SELECT n.id, n.name, n.secret INTO node_id, node_name, secret"
	"   FROM pgkeel.node n WHERE n.host = p_host AND n.port = p_port"
	"   AND n.formation = p_formation AND n.goal_state <> 'dropped';"
	"  IF FOUND THEN RETURN; END IF;"
	"  node_id := nextval(pg_get_serial_sequence('pgkeel.node', 'id'));"
	"  INSERT INTO pgkeel.node (id, formation, name, host, port,"
	"   candidate_priority, replication_quorum)"
	"   VALUES (node_id, p_formation,"
	"     coalesce(nullif(p_name, ''), 'node_' || node_id),"
	"     p_host, p_port, p_priority, p_quorum)"
	"   RETURNING node.name, node.secret INTO node_name, secret;"
	"  INSERT INTO pgkeel.event (formation, node_id, node_name, new_state,"
	"   description) VALUES (p_formation, node_id, node_name, 'init',"
	"   format('registered %s:%s', p_host, p_port));"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	" END $$",

	/* reports: only with the node's own secret */
	"CREATE FUNCTION pgkeel.report(p_id int, p_secret text, p_state text,"
	" p_running bool, p_failed bool, p_recovery bool, p_lsn pg_lsn,"
	" p_timeline int, p_streaming bool, p_up_host text, p_up_port int,"
	" p_pending bool, p_fenced bool) RETURNS void"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_formation text;"
	" BEGIN"
	"  UPDATE pgkeel.node SET reported_state = p_state,"
	"   pg_running = p_running, pg_failed = p_failed,"
	"   in_recovery = p_recovery, lsn = p_lsn, timeline = p_timeline,"
	"   receiver_streaming = p_streaming, upstream_host = p_up_host,"
	"   upstream_port = p_up_port, pending_restart = p_pending,"
	"   fenced = p_fenced, report_seq = report_seq + 1,"
	"   report_time = clock_timestamp()"
	"   WHERE id = p_id AND secret = p_secret"
	"   RETURNING formation INTO v_formation;"
	"  IF NOT FOUND THEN"
	"   RAISE EXCEPTION 'node % unknown, or not this node''s secret', p_id"
	"    USING ERRCODE = 'insufficient_privilege';"
	"  END IF;"
	"  PERFORM pg_notify('pgkeel_report', v_formation);"
	" END $$",

	/* operator requests: the monitor carries them out and clears them */
	"CREATE FUNCTION pgkeel.request(p_formation text, p_what text,"
	" p_node text) RETURNS void"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_id int := 0;"
	" BEGIN"
	"  IF p_node <> '' THEN"
	"   SELECT id INTO v_id FROM pgkeel.node WHERE formation = p_formation"
	"    AND name = p_node;"
	"   IF NOT FOUND THEN RAISE EXCEPTION 'no node % in formation %',"
	"    p_node, p_formation; END IF;"
	"  END IF;"
	"  IF p_what = 'switchover' THEN"
	"   UPDATE pgkeel.formation SET switchover_to = v_id WHERE name = p_formation"
	"    AND switchover_to IS NULL AND NOT failover_requested;"
	"  ELSIF p_what = 'failover' THEN"
	"   UPDATE pgkeel.formation SET failover_requested = true"
	"    WHERE name = p_formation AND switchover_to IS NULL;"
	"  ELSE RAISE EXCEPTION 'unknown request %', p_what; END IF;"
	"  IF NOT FOUND THEN RAISE EXCEPTION"
	"   'formation % does not exist or already has an operation under way',"
	"   p_formation; END IF;"
	"  INSERT INTO pgkeel.event (formation, description) VALUES"
	"   (p_formation, format('%s requested%s', p_what,"
	"    CASE WHEN p_node <> '' THEN ' to ' || p_node ELSE '' END));"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	" END $$",

	"CREATE VIEW pgkeel.node_public AS SELECT id, formation, name, host,"
	" port, candidate_priority, replication_quorum, goal_state,"
	" upstream_id, sync_names, reported_state, pg_running, pg_failed,"
	" in_recovery, lsn, timeline, receiver_streaming, upstream_host,"
	" upstream_port, pending_restart, fenced, report_seq,"
	" coalesce((extract(epoch FROM clock_timestamp() - report_time)"
	"  * 1000)::bigint, 1000000000) AS report_age_ms, reachable"
	" FROM pgkeel.node",

	"REVOKE ALL ON ALL TABLES IN SCHEMA pgkeel FROM PUBLIC",
	"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgkeel FROM PUBLIC",
	"GRANT USAGE ON SCHEMA pgkeel TO pgkeel_node",
	"GRANT SELECT ON pgkeel.node_public, pgkeel.formation, pgkeel.event"
	" TO pgkeel_node",
	"GRANT EXECUTE ON FUNCTION pgkeel.register_node(text, text, text, int,"
	" int, bool), pgkeel.report(int, text, text, bool, bool, bool, pg_lsn,"
	" int, bool, text, int, bool, bool), pgkeel.request(text, text, text)"
	" TO pgkeel_node",
	NULL,
};
