/*
 * pgstore_migrate_ops.c - the schema step that adds the operator's reinit
 * requests and scheduled operations to the postgres store
 * (docs/commands.md):
 *
 * - node.reinit_requested: the number, in the node's restart sequence,
 *   of the last reinit asked for (pgkeel.request_reinit); the keeper
 *   reports it carried out through restarted, like a restart.
 * - pgkeel.scheduled: operations an operator scheduled for a time
 *   (pgkeel.schedule); the monitor carries each out at its time and ends
 *   it (pgkeel.end_scheduled, which the operator also uses to cancel).
 *
 * The three functions are dropped again by step 12 -> 13
 * (pgstore_migrate_policy.c): storepolicy.h rules these actions since.
 */
#include "store/pgstore_migrate.h"

#include "store/pgstore_schema.h"

#define REINIT_SIG "pgkeel.request_reinit(text, text)"
#define SCHEDULE_SIG "pgkeel.schedule(text, text, text, bigint)"
#define END_SIG "pgkeel.end_scheduled(text, bigint, text, text)"

/* The node's standby states and the settled writable primary's. */
#define STANDBY_GOALS "('catchingup', 'secondary')"
#define PRIMARY_GOALS "('single', 'wait_primary', 'primary')"

const char *const pgstore_step_operations[] = {
	"ALTER TABLE pgkeel.node ADD COLUMN reinit_requested bigint NOT NULL"
	" DEFAULT 0",
	"CREATE OR REPLACE VIEW pgkeel.node_public AS SELECT "
	PGSTORE_NODE_PUBLIC_BASE ", fence_ms, promote_vetoed, tags,"
	" reinit_requested"
	" FROM pgkeel.node",

	/* a reinit is a restart that clones the standby again */
	"CREATE FUNCTION pgkeel.request_reinit(p_formation text, p_node text)"
	" RETURNS bigint"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_goal text; v_busy bool; v_seq bigint;"
	" BEGIN"
	"  SELECT goal_state, restart_requested > restarted"
	"   INTO v_goal, v_busy FROM pgkeel.node"
	"   WHERE formation = p_formation AND name = p_node FOR UPDATE;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'no node % in formation %',"
	"   p_node, p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  IF v_goal NOT IN " STANDBY_GOALS " THEN RAISE EXCEPTION"
	"   'node % is %, not a standby: only a standby can be cloned again',"
	"   p_node, v_goal; END IF;"
	"  IF v_busy THEN RAISE EXCEPTION 'a restart or reinit of node % is"
	" under way', p_node; END IF;"
	"  PERFORM 1 FROM pgkeel.node WHERE formation = p_formation"
	"   AND goal_state IN " PRIMARY_GOALS
	"   AND reported_state = goal_state;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'formation % has no settled"
	" writable primary to clone from', p_formation; END IF;"
	"  UPDATE pgkeel.node SET"
	"   restart_requested = greatest(restart_requested, restarted) + 1,"
	"   reinit_requested = greatest(restart_requested, restarted) + 1"
	"   WHERE formation = p_formation AND name = p_node"
	"   RETURNING restart_requested INTO v_seq;"
	"  INSERT INTO pgkeel.event (formation, node_name, description) VALUES"
	"   (p_formation, p_node, 'reinit requested: clone the standby again');"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	"  RETURN v_seq;"
	" END $$",

	"CREATE TABLE pgkeel.scheduled ("
	" id bigserial PRIMARY KEY,"
	" formation text NOT NULL REFERENCES pgkeel.formation,"
	" what text NOT NULL CHECK (what IN ('switchover', 'restart')),"
	" node_name text NOT NULL DEFAULT '',"
	" at timestamptz NOT NULL,"
	" outcome text CHECK (outcome IN ('done', 'failed', 'cancelled')),"
	" why text NOT NULL DEFAULT '')",
	"CREATE FUNCTION pgkeel.schedule(p_formation text, p_what text,"
	" p_node text, p_at_ms bigint) RETURNS bigint"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_id bigint; v_at timestamptz :="
	"  to_timestamp(p_at_ms / 1000.0);"
	" BEGIN"
	"  PERFORM 1 FROM pgkeel.formation WHERE name = p_formation;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'formation % does not exist',"
	"   p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  IF p_what NOT IN ('switchover', 'restart') THEN RAISE EXCEPTION"
	"   'only a switchover or a restart can be scheduled'"
	"   USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"  IF p_what = 'restart' AND coalesce(p_node, '') = '' THEN"
	"   RAISE EXCEPTION 'a scheduled restart names its node'"
	"   USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"  IF coalesce(p_node, '') <> '' THEN"
	"   PERFORM 1 FROM pgkeel.node WHERE formation = p_formation"
	"    AND name = p_node;"
	"   IF NOT FOUND THEN RAISE EXCEPTION 'no node % in formation %',"
	"    p_node, p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  END IF;"
	"  INSERT INTO pgkeel.scheduled (formation, what, node_name, at)"
	"   VALUES (p_formation, p_what, coalesce(p_node, ''), v_at)"
	"   RETURNING id INTO v_id;"
	"  INSERT INTO pgkeel.event (formation, node_name, description) VALUES"
	"   (p_formation, nullif(p_node, ''), format('%s scheduled for %s"
	" (id %s)', p_what, v_at, v_id));"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	"  RETURN v_id;"
	" END $$",
	/* done or failed (the monitor's), cancelled (the operator's) */
	"CREATE FUNCTION pgkeel.end_scheduled(p_formation text, p_id bigint,"
	" p_outcome text, p_why text) RETURNS void"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE r record;"
	" BEGIN"
	"  IF p_outcome NOT IN ('done', 'failed', 'cancelled') THEN"
	"   RAISE EXCEPTION 'unknown outcome %', p_outcome"
	"   USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"  UPDATE pgkeel.scheduled SET outcome = p_outcome,"
	"   why = coalesce(p_why, '')"
	"   WHERE id = p_id AND formation = p_formation AND outcome IS NULL"
	"   RETURNING * INTO r;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'no pending scheduled operation"
	" % in formation %', p_id, p_formation"
	"   USING ERRCODE = 'undefined_object'; END IF;"
	"  INSERT INTO pgkeel.event (formation, node_name, description) VALUES"
	"   (p_formation, nullif(r.node_name, ''), format('scheduled %s"
	" (id %s) %s%s', r.what, r.id, p_outcome,"
	"   CASE WHEN coalesce(p_why, '') = '' THEN '' ELSE ': ' || p_why"
	"   END));"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	" END $$",

	"REVOKE ALL ON pgkeel.scheduled FROM PUBLIC",
	"REVOKE ALL ON FUNCTION " REINIT_SIG ", " SCHEDULE_SIG ", " END_SIG
	" FROM PUBLIC",
	"GRANT SELECT ON pgkeel.scheduled TO " PGSTORE_NODES_GROUP ", "
	PGSTORE_OPERATOR_ROLE,
	"GRANT EXECUTE ON FUNCTION " REINIT_SIG ", " SCHEDULE_SIG ", " END_SIG
	" TO " PGSTORE_OPERATOR_ROLE,
	NULL,
};
