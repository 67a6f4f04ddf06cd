/*
 * pgstore_migrate_logical.c - the schema step (10 -> 11) that keeps
 * logical permanent slots in the postgres store (docs/guarantees.md,
 * "Permanent replication slots"):
 *
 * - slot.kind may be logical:PLUGIN:DATABASE too
 *   (common/slotdecl.h's SLOTDECL_KIND_PATTERN); set_slot accepts it
 *   (until step 12 -> 13 drops it, pgstore_migrate_policy.c:
 *   storepolicy_slots.c rules slots since).
 * - slot.copy_node, slot.confirmed_flush, slot.state: what the
 *   primary's keeper last published of a logical slot
 *   (pgkeel.publish_slot, by the node's own role alone), which the
 *   standbys' keepers copy. A new kind forgets them.
 */
#include "store/pgstore_migrate.h"

#include "common/slotdecl.h"
#include "store/pgstore_schema.h"
#include "store/store.h"

#define PUBLISH_SIG "pgkeel.publish_slot(int, text, pg_lsn, text)"

/* p_kind NULL removes the slot: every node drops its copy. The latest
 * version, created by the step that added permanent slots too
 * (PL/pgSQL checks the columns it names only when it runs, after every
 * step has run). */
const char pgstore_set_slot_sql[] =
	"CREATE OR REPLACE FUNCTION pgkeel.set_slot(p_formation text,"
	" p_name text, p_kind text) RETURNS void"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_old text;"
	" BEGIN"
	"  PERFORM 1 FROM pgkeel.formation WHERE name = p_formation;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'formation % does not exist',"
	"   p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  IF p_name !~ '" SLOTDECL_NAME_PATTERN "' OR"
	"   strpos(p_name, '" SLOTDECL_RESERVED_PREFIX "') = 1 THEN"
	"   RAISE EXCEPTION 'invalid slot name \"%\"', p_name"
	"    USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"  IF p_kind !~ '" SLOTDECL_KIND_PATTERN "' THEN"
	"   RAISE EXCEPTION 'invalid slot kind \"%\": " SLOTDECL_PHYSICAL
	" or " SLOTDECL_LOGICAL_PREFIX "PLUGIN:DATABASE', p_kind"
	"    USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"  SELECT kind INTO v_old FROM pgkeel.slot"
	"   WHERE formation = p_formation AND name = p_name FOR UPDATE;"
	"  IF p_kind IS NULL AND v_old IS NULL THEN"
	"   RAISE EXCEPTION 'slot % is not declared for formation %', p_name,"
	"    p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  IF v_old IS NULL AND p_kind IS NOT NULL AND (SELECT count(*)"
	"   FROM pgkeel.slot WHERE formation = p_formation"
	"   AND kind IS NOT NULL) >= " SLOTDECL_MAX_TEXT " THEN"
	"   RAISE EXCEPTION 'formation % has " SLOTDECL_MAX_TEXT " slots"
	" already', p_formation USING ERRCODE = 'invalid_parameter_value';"
	"  END IF;"
	"  INSERT INTO pgkeel.slot (formation, name, kind)"
	"   VALUES (p_formation, p_name, p_kind)"
	"   ON CONFLICT (formation, name) DO UPDATE SET kind = p_kind,"
	"   copy_node = NULL, confirmed_flush = NULL, state = NULL"
	"   WHERE pgkeel.slot.kind IS DISTINCT FROM p_kind;"
	"  INSERT INTO pgkeel.event (formation, description) VALUES"
	"   (p_formation, format('slots.%s changed from %s to %s', p_name,"
	"    coalesce(v_old, '(unset)'), coalesce(p_kind, '(unset)')));"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	" END $$";

const char *const pgstore_step_logical[] = {
	"ALTER TABLE pgkeel.slot DROP CONSTRAINT slot_kind_check",
	"ALTER TABLE pgkeel.slot ADD CONSTRAINT slot_kind_check"
	" CHECK (kind ~ '" SLOTDECL_KIND_PATTERN "')",
	"ALTER TABLE pgkeel.slot"
	" ADD COLUMN copy_node int REFERENCES pgkeel.node ON DELETE SET NULL,"
	" ADD COLUMN confirmed_flush pg_lsn,"
	" ADD COLUMN state text CHECK (state ~ '^([0-9a-f][0-9a-f])+$'"
	"  AND length(state) < " STORE_SLOT_STATE_LEN_TEXT ")",
	pgstore_set_slot_sql,
	/* no notification: standbys look at every refresh of their duties */
	"CREATE FUNCTION " PUBLISH_SIG " RETURNS void"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_formation text;"
	" BEGIN"
	"  SELECT formation INTO v_formation FROM pgkeel.node"
	"   WHERE id = $1 AND " PGSTORE_NODE_ROLE_OF("id")
	" = session_user::text;"
	"  IF NOT FOUND THEN"
	"   RAISE EXCEPTION 'node % unknown, or this is not node %''s"
	" credential', $1, $1"
	"    USING ERRCODE = 'invalid_authorization_specification';"
	"  END IF;"
	"  UPDATE pgkeel.slot SET copy_node = $1, confirmed_flush = $3,"
	"   state = $4 WHERE formation = v_formation AND name = $2"
	"   AND kind LIKE '" SLOTDECL_LOGICAL_PREFIX "%';"
	"  IF NOT FOUND THEN"
	"   RAISE EXCEPTION 'slot % is not declared logical for formation %',"
	"    $2, v_formation USING ERRCODE = 'undefined_object';"
	"  END IF;"
	" END $$",
	"REVOKE ALL ON FUNCTION " PUBLISH_SIG " FROM PUBLIC",
	"GRANT EXECUTE ON FUNCTION " PUBLISH_SIG " TO " PGSTORE_NODES_GROUP,
	NULL,
};
