/*
 * pgstore_schema_keeper.c - the postgres store's functions about who
 * calls, registration and reports.
 *
 * Every data node has its own login role, pgkeel_node_<id>, made at
 * registration with a random password that only that node keeps.
 * report() accepts a report for node <id> from that role alone, so a
 * node's credential is worth that node and nothing more. Registering a
 * node takes the operator's role (a node's role cannot add nodes).
 * register_node() and delete_dropped() are the base schema's: since
 * schema 14 registration's checks and the removal of dropped nodes are
 * the drivers' shared rules (pgstore_register.c, pgstore_apply.c), and
 * the node's role is made by create_node_role
 * (pgstore_migrate_rules.c).
 */
#include "store/pgstore_schema.h"

#include <stddef.h>

/* what a node name's replication slot is made of (pg/pgslots.c) */
#define SLOT_KEY(name) "left(lower(translate(" name ", '-', '_')), 56)"

const char *const pgstore_schema_keeper_sql[] = {
	/* the operator's role, or a superuser (the monitor itself) */
	"CREATE FUNCTION pgkeel.caller_is_operator() RETURNS bool"
	" LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog"
	" AS $$ SELECT pg_has_role(session_user, '" PGSTORE_OPERATOR_ROLE
	"', 'MEMBER') OR coalesce((SELECT rolsuper FROM pg_roles"
	" WHERE rolname = session_user), false) $$",

	/* the node whose own role is calling, or NULL */
	"CREATE FUNCTION pgkeel.caller_node() RETURNS int"
	" LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog"
	" AS $$ SELECT id FROM pgkeel.node"
	" WHERE " PGSTORE_NODE_ROLE_OF("id") " = session_user::text $$",

	/* an operator acts on any node; a node's role on itself only */
	"CREATE FUNCTION pgkeel.check_may_act(p_formation text, p_node text)"
	" RETURNS void LANGUAGE plpgsql STABLE SECURITY DEFINER"
	" SET search_path = pg_catalog AS $$"
	" BEGIN"
	"  IF pgkeel.caller_is_operator() THEN RETURN; END IF;"
	"  PERFORM 1 FROM pgkeel.node WHERE formation = p_formation"
	"   AND name = p_node AND id = pgkeel.caller_node();"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'permission denied: a data"
	" node''s credential can act on its own node only'"
	"   USING ERRCODE = 'insufficient_privilege'; END IF;"
	" END $$",

	/* registration, by the operator (until schema 14, which rules it
	 * in C: pgstore_register.c): the first node of a formation
	 * creates it; a host and port already registered are refused (their
	 * node keeps its identity) */
	"CREATE FUNCTION pgkeel.register_node(p_formation text, p_name text,"
	" p_host text, p_port int, p_priority int, p_quorum bool,"
	" OUT node_id int, OUT node_name text, OUT secret text)"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_other text;"
	" BEGIN"
	"  IF NOT pgkeel.caller_is_operator() THEN RAISE EXCEPTION"
	"   'permission denied: registering a node takes the operator''s"
	" credential' USING ERRCODE = 'insufficient_privilege'; END IF;"
	"  SELECT n.name INTO v_other FROM pgkeel.node n"
	"   WHERE n.host = p_host AND n.port = p_port;"
	"  IF FOUND THEN RAISE EXCEPTION 'node % is already registered at"
	" %:%: give this node its own --hostname and --pgport, or drop % first"
	"', v_other, p_host, p_port, v_other"
	"   USING ERRCODE = 'unique_violation'; END IF;"
	"  INSERT INTO pgkeel.formation (name) VALUES (p_formation)"
	"   ON CONFLICT DO NOTHING;"
	"  node_id := nextval(pg_get_serial_sequence('pgkeel.node', 'id'));"
	"  node_name := coalesce(nullif(p_name, ''), 'node_' || node_id);"
	/* names that would share a replication slot: pg/pgslots.c makes
	 * a slot name from the name lower-cased, '-' as '_', cut to fit */
	"  SELECT n.name INTO v_other FROM pgkeel.node n"
	"   WHERE n.formation = p_formation AND " SLOT_KEY("n.name")
	"   = " SLOT_KEY("node_name") ";"
	"  IF FOUND THEN RAISE EXCEPTION 'formation % already has a node"
	" named % (the same replication slot as %): choose another --name',"
	"   p_formation, v_other, node_name"
	"   USING ERRCODE = 'unique_violation'; END IF;"
	"  secret := replace(gen_random_uuid()::text, '-', '')"
	"   || replace(gen_random_uuid()::text, '-', '');"
	"  INSERT INTO pgkeel.node (id, formation, name, host, port,"
	"   candidate_priority, replication_quorum)"
	"   VALUES (node_id, p_formation, node_name,"
	"     p_host, p_port, p_priority, p_quorum);"
	"  EXECUTE format('DROP ROLE IF EXISTS %I', " PGSTORE_NODE_ROLE_OF("node_id")
	");"
	"  EXECUTE format('CREATE ROLE %I LOGIN CONNECTION LIMIT 8"
	" IN ROLE " PGSTORE_NODES_GROUP " PASSWORD %L', "
	PGSTORE_NODE_ROLE_OF("node_id") ", secret);"
	"  INSERT INTO pgkeel.event (formation, node_id, node_name, new_state,"
	"   description) VALUES (p_formation, node_id, node_name, 'init',"
	"   format('registered %s:%s', p_host, p_port));"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	" END $$",

	/* the monitor's removal of dropped nodes (until schema 14, which
	 * decides it in C: pgstore_apply.c); their roles go a little
	 * later, once the keeper (and a waiting `drop node`) saw the row
	 * gone: until then the role can read, and nothing else, since every
	 * function it may call needs its row */
	"CREATE FUNCTION pgkeel.delete_dropped(p_formation text) RETURNS void"
	" LANGUAGE plpgsql SET search_path = pg_catalog AS $$"
	" DECLARE r record;"
	" BEGIN"
	"  INSERT INTO pgkeel.retired_role (role)"
	"   SELECT " PGSTORE_NODE_ROLE_OF("id") " FROM pgkeel.node"
	"   WHERE formation = p_formation AND goal_state = 'dropped'"
	"   AND (reported_state = 'dropped'"
	"   OR report_time < clock_timestamp() - interval '30 seconds'"
	"   OR report_time IS NULL) ON CONFLICT DO NOTHING;"
	"  DELETE FROM pgkeel.node WHERE formation = p_formation"
	"   AND " PGSTORE_NODE_ROLE_OF("id")
	" IN (SELECT role FROM pgkeel.retired_role);"
	"  FOR r IN DELETE FROM pgkeel.retired_role WHERE since <"
	"   clock_timestamp() - interval '10 seconds' RETURNING role LOOP"
	"   EXECUTE format('DROP ROLE IF EXISTS %I', r.role);"
	"  END LOOP;"
	" END $$",
	NULL,
};
