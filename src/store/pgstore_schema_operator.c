/*
 * pgstore_schema_operator.c - the postgres store's functions for
 * operator actions at the base schema: switchover and failover
 * requests, run-time settings, maintenance, dropping nodes,
 * formation-wide Postgres parameters and restarts. Since schema 13
 * (pgstore_migrate_policy.c) the operator's own actions are ruled by
 * storepolicy.h in the driver (pgstore_change.c): set_setting,
 * set_pg_param and request_restart are dropped, and request,
 * set_maintenance and drop_node serve a node's own role alone, which
 * may put its own node in maintenance, drop it, or hand over its own
 * primary role (check_may_act, in pgstore_schema_keeper.c), nothing
 * else.
 */
#include "store/pgstore_schema.h"

#include <stddef.h>

const char *const pgstore_schema_operator_sql[] = {
	/* operator requests: the monitor carries them out and clears them */
	"CREATE FUNCTION pgkeel.request(p_formation text, p_what text,"
	" p_node text) RETURNS void"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_id int := 0;"
	" BEGIN"
	"  IF NOT pgkeel.caller_is_operator() THEN"
	"   PERFORM 1 FROM pgkeel.node WHERE formation = p_formation"
	"    AND id = pgkeel.caller_node()"
	"    AND goal_state IN ('single', 'wait_primary', 'primary');"
	"   IF NOT FOUND OR p_what <> 'switchover' OR p_node <> '' THEN"
	"    RAISE EXCEPTION 'permission denied: a data node''s credential"
	" can only hand over its own primary role' USING ERRCODE ="
	" 'insufficient_privilege'; END IF;"
	"  END IF;"
	"  IF p_node <> '' THEN"
	"   SELECT id INTO v_id FROM pgkeel.node WHERE formation = p_formation"
	"    AND name = p_node;"
	"   IF NOT FOUND THEN RAISE EXCEPTION 'no node % in formation %',"
	"    p_node, p_formation; END IF;"
	"  END IF;"
	"  IF p_what = 'switchover' THEN"
	"   UPDATE pgkeel.formation SET switchover_to = v_id,"
	"    requested_at = clock_timestamp() WHERE name = p_formation"
	"    AND switchover_to IS NULL AND NOT failover_requested;"
	"  ELSIF p_what = 'failover' THEN"
	"   UPDATE pgkeel.formation SET failover_requested = true,"
	"    requested_at = clock_timestamp()"
	"    WHERE name = p_formation AND switchover_to IS NULL"
	"    AND NOT failover_requested;"
	"  ELSE RAISE EXCEPTION 'unknown request %', p_what; END IF;"
	"  IF NOT FOUND THEN RAISE EXCEPTION"
	"   'formation % does not exist or already has an operation under way',"
	"   p_formation; END IF;"
	"  INSERT INTO pgkeel.event (formation, description) VALUES"
	"   (p_formation, format('%s requested%s', p_what,"
	"    CASE WHEN p_node <> '' THEN ' to ' || p_node ELSE '' END));"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	" END $$",

	pgstore_set_setting_sql,

	"CREATE FUNCTION pgkeel.set_maintenance(p_formation text, p_node text,"
	" p_on bool) RETURNS void"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" BEGIN"
	"  PERFORM pgkeel.check_may_act(p_formation, p_node);"
	"  UPDATE pgkeel.node SET maintenance = p_on WHERE formation = p_formation"
	"   AND name = p_node;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'no node % in formation %',"
	"   p_node, p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  INSERT INTO pgkeel.event (formation, node_name, description) VALUES"
	"   (p_formation, p_node, format('maintenance %s requested',"
	"    CASE WHEN p_on THEN 'start' ELSE 'end' END));"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	" END $$",

	"CREATE FUNCTION pgkeel.drop_node(p_formation text, p_node text)"
	" RETURNS void"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" BEGIN"
	"  PERFORM pgkeel.check_may_act(p_formation, p_node);"
	"  UPDATE pgkeel.node SET drop_requested = true"
	"   WHERE formation = p_formation AND name = p_node;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'no node % in formation %',"
	"   p_node, p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  INSERT INTO pgkeel.event (formation, node_name, description) VALUES"
	"   (p_formation, p_node, 'drop requested');"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	" END $$",

	/* formation-wide Postgres parameters; NULL p_value removes one.
	 * Returns the parameter's context: 'postmaster' needs a restart. */
	"CREATE FUNCTION pgkeel.set_pg_param(p_formation text, p_name text,"
	" p_value text) RETURNS text"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE r record; v_old text;"
	" BEGIN"
	"  PERFORM 1 FROM pgkeel.formation WHERE name = p_formation;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'formation % does not exist',"
	"   p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  SELECT vartype, context, enumvals, min_val, max_val INTO r"
	"   FROM pg_settings WHERE name = p_name;"
	"  IF NOT FOUND THEN RAISE EXCEPTION"
	"   'unknown Postgres parameter \"%\" (names are lower case, as in"
	" postgresql.conf)', p_name USING ERRCODE = 'undefined_object'; END IF;"
	"  IF r.context = 'internal' OR p_name IN ('port', 'listen_addresses',"
	"   'unix_socket_directories', 'synchronous_standby_names',"
	"   'primary_conninfo', 'primary_slot_name', 'data_directory',"
	"   'hba_file', 'ident_file', 'config_file', 'hot_standby',"
	"   'wal_log_hints', 'recovery_target_timeline', 'cluster_name',"
	"   'wal_receiver_status_interval', 'ssl', 'ssl_cert_file',"
	"   'ssl_key_file', 'ssl_ca_file', 'ssl_crl_file', 'ssl_crl_dir',"
	"   'restore_command', 'recovery_target', 'recovery_target_lsn',"
	"   'recovery_target_name', 'recovery_target_time',"
	"   'recovery_target_xid', 'recovery_target_action') THEN"
	"   RAISE EXCEPTION 'postgresql.% is managed by pgkeel or by Postgres"
	" itself and cannot be set for a formation', p_name"
	"    USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"  IF p_value ~ '[[:cntrl:]]' OR octet_length(p_value) > 255 THEN"
	"   RAISE EXCEPTION 'postgresql.% must be one line of at most 255"
	" bytes without control characters', p_name"
	"    USING ERRCODE = 'invalid_parameter_value'; END IF;"
	"  IF p_value IS NOT NULL THEN"
	"   IF p_name = 'wal_level' AND p_value NOT IN ('replica', 'logical')"
	"   THEN RAISE EXCEPTION 'wal_level must stay replica or logical for"
	" streaming replication' USING ERRCODE = 'invalid_parameter_value';"
	"   END IF;"
	"   BEGIN"
	"    IF r.vartype = 'bool' THEN PERFORM p_value::bool;"
	"    ELSIF r.vartype = 'enum' AND NOT lower(p_value) = ANY (r.enumvals)"
	"    THEN RAISE EXCEPTION 'not one of %', r.enumvals;"
	"    ELSIF r.vartype IN ('integer', 'real') AND p_value !~"
	"     '^\\s*-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\s*[a-zA-Z]*\\s*$'"
	"    THEN RAISE EXCEPTION 'not a number with an optional unit';"
	"    ELSIF r.vartype IN ('integer', 'real') AND"
	"     p_value ~ '^\\s*-?[0-9.]+\\s*$' AND (p_value::numeric <"
	"     r.min_val::numeric OR p_value::numeric > r.max_val::numeric)"
	"    THEN RAISE EXCEPTION 'out of range % .. %', r.min_val, r.max_val;"
	"    END IF;"
	"    IF r.context IN ('user', 'superuser') THEN"
	"     PERFORM set_config(p_name, p_value, true);"
	"    END IF;"
	"   EXCEPTION WHEN others THEN"
	"    RAISE EXCEPTION 'invalid value \"%\" for postgresql.%: %',"
	"     p_value, p_name, SQLERRM"
	"     USING ERRCODE = 'invalid_parameter_value';"
	"   END;"
	"  END IF;"
	"  SELECT value INTO v_old FROM pgkeel.pg_param"
	"   WHERE formation = p_formation AND name = p_name;"
	"  IF p_value IS NULL THEN"
	"   DELETE FROM pgkeel.pg_param WHERE formation = p_formation"
	"    AND name = p_name;"
	"  ELSE"
	"   INSERT INTO pgkeel.pg_param VALUES (p_formation, p_name, p_value)"
	"    ON CONFLICT (formation, name) DO UPDATE SET value = p_value;"
	"  END IF;"
	"  INSERT INTO pgkeel.event (formation, description) VALUES"
	"   (p_formation, format('postgresql.%s changed from %s to %s', p_name,"
	"    coalesce(v_old, '(unset)'), coalesce(p_value, '(unset)')));"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	"  RETURN r.context;"
	" END $$",

	/* a restart of one node's Postgres, carried out by its keeper, which
	 * reports the number of the last request it carried out */
	"CREATE FUNCTION pgkeel.request_restart(p_formation text, p_node text)"
	" RETURNS bigint"
	" LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
	" DECLARE v_seq bigint;"
	" BEGIN"
	"  UPDATE pgkeel.node SET restart_requested ="
	"   greatest(restart_requested, restarted) + 1"
	"   WHERE formation = p_formation AND name = p_node"
	"   RETURNING restart_requested INTO v_seq;"
	"  IF NOT FOUND THEN RAISE EXCEPTION 'no node % in formation %',"
	"   p_node, p_formation USING ERRCODE = 'undefined_object'; END IF;"
	"  INSERT INTO pgkeel.event (formation, node_name, description) VALUES"
	"   (p_formation, p_node, 'restart requested');"
	"  PERFORM pg_notify('pgkeel_report', p_formation);"
	"  RETURN v_seq;"
	" END $$",

	NULL,
};
