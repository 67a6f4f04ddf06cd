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

#include "common/nodetags.h"
#include "store/pgstore_schema.h"

/* A duration column as common/timeutil.c's duration_format words it. */
#define DURATION_TEXT(x)                                                  \
	"CASE WHEN " x " < 1000 THEN " x " || 'ms'"                         \
	" WHEN " x " % 60000 = 0 THEN (" x " / 60000) || 'min'"             \
	" WHEN " x " % 1000 = 0 THEN (" x " / 1000) || 's'"                 \
	" ELSE to_char(" x " / 1000.0, 'FM999999990.0') || 's' END"

const char *const pgstore_step_cascade[] = {
	"ALTER TABLE pgkeel.node ADD COLUMN replicate_from text NOT NULL"
	" DEFAULT ''",
	"ALTER TABLE pgkeel.node ADD COLUMN apply_delay int NOT NULL"
	" DEFAULT 0",
	"CREATE OR REPLACE VIEW pgkeel.node_public AS SELECT "
	PGSTORE_NODE_PUBLIC_BASE ", fence_ms, promote_vetoed, tags,"
	" reinit_requested, replicate_from, apply_delay"
	" FROM pgkeel.node",
	/* set_setting of schema 8 with node.replicate_from and
	 * node.apply_delay */
	"CREATE OR REPLACE FUNCTION pgkeel.set_setting(p_formation text,"
	" p_node text, p_name text, p_value text) RETURNS text"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_old text; v_new text := p_value; v_int int; v_bool bool;"
	"  v_tags text[]; v_bad text; v_text text; v_ms int; v_m text[];"
	" BEGIN"
	"  PERFORM 1 FROM pgkeel.formation WHERE name = p_formation;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'formation % does not exist',"
	"   p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  IF p_name IN ('node.candidate_priority', 'node.replication_quorum',"
	" 'node.tags', 'node.replicate_from', 'node.apply_delay') THEN"
	"   PERFORM 1 FROM pgkeel.node WHERE formation = p_formation"
	"    AND name = p_node;"
	"   IF NOT FOUND THEN RAISE EXCEPTION 'no node % in formation %',"
	"    p_node, p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  END IF;"
	"  BEGIN"
	"   IF p_name IN ('formation.number_sync_standbys',"
	"                 'node.candidate_priority') THEN"
	"    v_int := p_value::int;"
	"   ELSIF p_name IN ('formation.strict_sync', 'formation.paused',"
	"                    'node.replication_quorum') THEN"
	"    v_bool := p_value::bool;"
	"   END IF;"
	"  EXCEPTION WHEN others THEN"
	"   RAISE EXCEPTION 'invalid value \"%\" for %', p_value, p_name"
	"    USING ERRCODE = 'invalid_parameter_value';"
	"  END;"
	"  IF p_name = 'formation.number_sync_standbys' THEN"
	"   IF v_int < 0 OR v_int > 16 THEN RAISE EXCEPTION"
	"    'formation.number_sync_standbys must be between 0 and 16'"
	"    USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"   SELECT number_sync_standbys::text INTO v_old FROM pgkeel.formation"
	"    WHERE name = p_formation;"
	"   UPDATE pgkeel.formation SET number_sync_standbys = v_int"
	"    WHERE name = p_formation;"
	"  ELSIF p_name = 'formation.strict_sync' THEN"
	"   SELECT strict_sync::text INTO v_old FROM pgkeel.formation"
	"    WHERE name = p_formation;"
	"   UPDATE pgkeel.formation SET strict_sync = v_bool"
	"    WHERE name = p_formation;"
	"  ELSIF p_name = 'formation.paused' THEN"
	"   SELECT paused::text INTO v_old FROM pgkeel.formation"
	"    WHERE name = p_formation;"
	"   UPDATE pgkeel.formation SET paused = v_bool WHERE name = p_formation;"
	"  ELSIF p_name = 'node.candidate_priority' THEN"
	"   IF v_int < 0 OR v_int > 100 THEN RAISE EXCEPTION"
	"    'node.candidate_priority must be between 0 and 100'"
	"    USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"   SELECT candidate_priority::text INTO v_old FROM pgkeel.node"
	"    WHERE formation = p_formation AND name = p_node;"
	"   UPDATE pgkeel.node SET candidate_priority = v_int"
	"    WHERE formation = p_formation AND name = p_node;"
	"  ELSIF p_name = 'node.replication_quorum' THEN"
	"   SELECT replication_quorum::text INTO v_old FROM pgkeel.node"
	"    WHERE formation = p_formation AND name = p_node;"
	"   UPDATE pgkeel.node SET replication_quorum = v_bool"
	"    WHERE formation = p_formation AND name = p_node;"
	"  ELSIF p_name = 'node.tags' THEN"
	"   v_tags := ARRAY(SELECT btrim(t) FROM"
	"    unnest(string_to_array(coalesce(p_value, ''), ',')) t"
	"    WHERE btrim(t) <> '');"
	"   SELECT string_agg(format('\"%s\"', t), ', ') INTO v_bad"
	"    FROM unnest(v_tags) t WHERE t <> ALL (" NODE_TAGS_SQL_ARRAY ");"
	"   IF v_bad IS NOT NULL THEN RAISE EXCEPTION"
	"    'invalid value \"%\" for node.tags: unknown tag %; the known tags"
	" are %', p_value, v_bad, array_to_string(" NODE_TAGS_SQL_ARRAY ", ', ')"
	"    USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"   v_text := array_to_string(ARRAY(SELECT k FROM unnest("
	NODE_TAGS_SQL_ARRAY ") WITH ORDINALITY u(k, i)"
	"    WHERE k = ANY (v_tags) ORDER BY i), ',');"
	"   SELECT tags INTO v_old FROM pgkeel.node"
	"    WHERE formation = p_formation AND name = p_node;"
	"   UPDATE pgkeel.node SET tags = v_text"
	"    WHERE formation = p_formation AND name = p_node;"
	"   v_new := v_text;"
	"  ELSIF p_name = 'node.replicate_from' THEN"
	"   v_text := coalesce(p_value, '');"
	"   IF v_text <> '' AND (v_text = p_node OR NOT EXISTS (SELECT 1"
	"    FROM pgkeel.node WHERE formation = p_formation AND name = v_text))"
	"   THEN RAISE EXCEPTION 'invalid value \"%\" for node.replicate_from:"
	" not another node of formation %', p_value, p_formation"
	"    USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"   SELECT replicate_from INTO v_old FROM pgkeel.node"
	"    WHERE formation = p_formation AND name = p_node;"
	"   UPDATE pgkeel.node SET replicate_from = v_text"
	"    WHERE formation = p_formation AND name = p_node;"
	"  ELSIF p_name = 'node.apply_delay' THEN"
	/* common/timeutil.c's durations: digits, then ms, s, min, h or
	 * nothing (milliseconds) */
	"   v_m := regexp_match(coalesce(p_value, ''),"
	"    '^([0-9]{1,9})(ms|s|min|h|)$');"
	"   v_ms := CASE v_m[2] WHEN 's' THEN 1000 WHEN 'min' THEN 60000"
	"    WHEN 'h' THEN 3600000 ELSE 1 END;"
	"   IF v_m IS NULL OR v_m[1]::bigint * v_ms > 86400000 THEN"
	"    RAISE EXCEPTION 'invalid value \"%\" for node.apply_delay:"
	" expected a duration such as 500ms, 3s or 1min, at most 1440min',"
	"    p_value USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"   v_ms := v_m[1]::bigint * v_ms;"
	"   SELECT " DURATION_TEXT("apply_delay") " INTO v_old FROM pgkeel.node"
	"    WHERE formation = p_formation AND name = p_node;"
	"   UPDATE pgkeel.node SET apply_delay = v_ms"
	"    WHERE formation = p_formation AND name = p_node;"
	"   v_new := " DURATION_TEXT("v_ms") ";"
	"  ELSE RAISE EXCEPTION 'unknown setting % (formation.number_sync_"
	"standbys, formation.strict_sync, formation.paused, node.candidate_"
	"priority, node.replication_quorum, node.tags, node.replicate_from,"
	" node.apply_delay)', p_name"
	"   USING ERRCODE = 'undefined_object';"
	"  END IF;"
	"  INSERT INTO pgkeel.event (formation, node_name, description) VALUES"
	"   (p_formation, nullif(p_node, ''),"
	"    format('%s changed from %s to %s', p_name,"
	"     coalesce(nullif(v_old, ''), '(none)'),"
	"     coalesce(nullif(v_new, ''), '(none)')));"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	"  RETURN v_old;"
	" END $$",
	NULL,
};
