/*
 * pgstore_migrate_rules.c - the schema step (13 -> 14) that moves the
 * monitor's apply and registration out of the postgres store's
 * functions into the rules the drivers share (storepolicy.h):
 *
 * - the monitor decides in C which request expired and which dropped
 *   nodes leave (policy_apply; pgstore_apply.c) and writes plain rows
 *   (retired_role keeps a deleted node's role until it is dropped a
 *   little later): delete_dropped goes;
 * - registration's checks and naming run in C (pgstore_register.c):
 *   the operator's role inserts the formation's name and the node's
 *   row (the columns of a registration), draws its id, and calls
 *   create_node_role, which makes the node's login role with a random
 *   secret for a node row the caller's own transaction inserted, whose
 *   node never reported and has no role yet: it cannot give an existing
 *   node's identity a new password (docs/security.md). register_node
 *   goes.
 */
#include "store/pgstore_migrate.h"

#include "store/pgstore_schema.h"

#define OPERATOR " TO " PGSTORE_OPERATOR_ROLE
#define CREATE_ROLE_SIG "pgkeel.create_node_role(int)"

const char *const pgstore_step_rules[] = {
	"DROP FUNCTION pgkeel.delete_dropped(text)",
	"DROP FUNCTION pgkeel.register_node(text, text, text, int, int, bool)",
	"GRANT INSERT (name) ON pgkeel.formation" OPERATOR,
	"GRANT INSERT (id, formation, name, host, port, candidate_priority,"
	" replication_quorum) ON pgkeel.node" OPERATOR,
	"GRANT USAGE ON SEQUENCE pgkeel.node_id_seq" OPERATOR,
	"CREATE FUNCTION pgkeel.create_node_role(p_id int) RETURNS text"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_role text := " PGSTORE_NODE_ROLE_OF("p_id") ";"
	"  v_secret text;"
	" BEGIN"
	"  IF NOT pgkeel.caller_is_operator() THEN RAISE EXCEPTION"
	"   'permission denied: registering a node takes the operator''s"
	" credential' USING ERRCODE = 'insufficient_privilege'; END IF;"
	"  PERFORM 1 FROM pgkeel.node WHERE id = p_id AND report_seq = 0"
	"   AND xmin = pg_current_xact_id()::xid;"
	"  IF NOT FOUND OR EXISTS (SELECT 1 FROM pg_roles"
	"   WHERE rolname = v_role) THEN RAISE EXCEPTION 'permission denied:"
	" node % was not registered by this transaction', p_id"
	"   USING ERRCODE = 'insufficient_privilege'; END IF;"
	"  v_secret := replace(gen_random_uuid()::text, '-', '')"
	"   || replace(gen_random_uuid()::text, '-', '');"
	"  EXECUTE format('CREATE ROLE %I LOGIN CONNECTION LIMIT 8"
	" IN ROLE " PGSTORE_NODES_GROUP " PASSWORD %L', v_role, v_secret);"
	"  RETURN v_secret;"
	" END $$",
	"REVOKE ALL ON FUNCTION " CREATE_ROLE_SIG " FROM PUBLIC",
	"GRANT EXECUTE ON FUNCTION " CREATE_ROLE_SIG OPERATOR,
	NULL,
};
