/*
 * test_rtsettings.c - the run-time settings' table (common/rtsettings.h)
 * against its other readers: the store's own validation in
 * pgkeel.set_setting and its column defaults, the node file's settings
 * that give a node's first values, and `pgkeel config --help`.
 */
#include "unit.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli/command.h"
#include "common/rtsettings.h"
#include "common/settings.h"
#include "store/pgstore_migrate.h"
#include "store/pgstore_schema.h"

/* The statement in force that defines pgkeel.set_setting: the base
 * schema's, or the last upgrade step's that replaces it. */
static const char *set_setting_sql(void)
{
	const char *found = NULL;

	for (size_t l = 0; pgstore_schema_sql[l]; l++)
		for (size_t i = 0; pgstore_schema_sql[l][i]; i++)
			if (strstr(pgstore_schema_sql[l][i],
				   "FUNCTION pgkeel.set_setting("))
				found = pgstore_schema_sql[l][i];
	for (size_t s = 0; s < pgstore_migrate_nsteps; s++)
		for (size_t i = 0; pgstore_migrate_steps[s][i]; i++)
			if (strstr(pgstore_migrate_steps[s][i],
				   "FUNCTION pgkeel.set_setting("))
				found = pgstore_migrate_steps[s][i];
	assert_non_null(found);
	return found;
}

/* The quoted names of the list "IF p_name IN (...) THEN" followed by
 * tail, e.g. " v_int := p_value::int", joined with ",". */
static void names_before(const char *sql, const char *tail, char *out,
			 size_t len)
{
	const char *end = strstr(sql, tail);
	const char *open = NULL;

	assert_non_null(end);
	for (const char *p = sql; p < end; p++)
		if (strncmp(p, "p_name IN (", 11) == 0)
			open = p + 11;
	assert_non_null(open);
	out[0] = '\0';
	for (const char *p = open; p < end && *p != ')'; p++) {
		const char *q = *p == '\'' ? strchr(p + 1, '\'') : NULL;
		if (!q)
			continue;
		snprintf(out + strlen(out), len - strlen(out), "%s%.*s",
			 out[0] ? "," : "", (int)(q - p - 1), p + 1);
		p = q;
	}
}

/* The table's names of one kind, joined with "," in its order. */
static void table_names(bool node_scope, ValueType type, char *out,
			size_t len)
{
	out[0] = '\0';
	for (int id = 0; id < RS_COUNT; id++) {
		const RuntimeSettingDef *d = runtime_setting(id);
		if ((node_scope && d->scope != RS_NODE) ||
		    (!node_scope && d->spec.type != type))
			continue;
		snprintf(out + strlen(out), len - strlen(out), "%s%s",
			 out[0] ? "," : "", d->name);
	}
}

static void store_parses_each_setting_as_its_type(void **state)
{
	char got[512], want[512];
	const char *sql = set_setting_sql();
	(void)state;

	names_before(sql, " v_int := p_value::int;", got, sizeof(got));
	table_names(false, VAL_INT, want, sizeof(want));
	assert_string_equal(got, want);
	names_before(sql, " v_bool := p_value::bool;", got, sizeof(got));
	table_names(false, VAL_BOOL, want, sizeof(want));
	assert_string_equal(got, want);
	/* node settings name an existing node */
	names_before(sql, " PERFORM 1 FROM pgkeel.node WHERE formation ="
			  " p_formation    AND name = p_node;",
		     got, sizeof(got));
	table_names(true, VAL_INT, want, sizeof(want));
	assert_string_equal(got, want);
}

/* The SQL type of a setting's column: int, bool, int for durations (in
 * milliseconds), or text for tags and node names. */
static const char *sql_type(const RuntimeSettingDef *d)
{
	return d->spec.type == VAL_INT || d->spec.type == VAL_DURATION
		       ? "int"
	       : d->spec.type == VAL_BOOL ? "bool"
					  : "text";
}

/* The variable set_setting stores it from: v_ms for durations, else
 * v_ and its column's type. */
static const char *sql_var(const RuntimeSettingDef *d)
{
	return d->spec.type == VAL_DURATION ? "v_ms"
	       : d->spec.type == VAL_INT    ? "v_int"
	       : d->spec.type == VAL_BOOL   ? "v_bool"
					    : "v_text";
}

/* The branch of set_setting that stores setting d. */
static void branch_of(const char *sql, const RuntimeSettingDef *d, char *out,
		      size_t len)
{
	char head[128];
	snprintf(head, sizeof(head), "IF p_name = '%s' THEN", d->name);
	const char *start = strstr(sql, head);
	assert_non_null(start);
	const char *end = strstr(start + strlen(head), "ELSIF p_name = ");
	const char *other = strstr(start + strlen(head), "ELSE RAISE");
	if (!end || (other && other < end))
		end = other;
	assert_non_null(end);
	snprintf(out, len, "%.*s", (int)(end - start), start);
}

static void store_checks_the_tables_ranges(void **state)
{
	char branch[2048], want[256];
	const char *sql = set_setting_sql();
	(void)state;

	for (int id = 0; id < RS_COUNT; id++) {
		const RuntimeSettingDef *d = runtime_setting(id);
		bool is_int = d->spec.type == VAL_INT;
		branch_of(sql, d, branch, sizeof(branch));
		snprintf(want, sizeof(want), "UPDATE pgkeel.%s SET %s = %s",
			 d->scope == RS_NODE ? "node" : "formation",
			 runtime_setting_key(d), sql_var(d));
		assert_non_null(strstr(branch, want));
		if (d->spec.type == VAL_DURATION) {
			snprintf(want, sizeof(want), "v_m[1]::bigint * v_ms > "
				 "%lld", (long long)d->spec.max);
			assert_non_null(strstr(branch, want));
			assert_int_equal(d->spec.min, 0);
		}
		if (!is_int) {
			assert_null(strstr(branch, "v_int"));
			continue;
		}
		snprintf(want, sizeof(want),
			 "IF v_int < %lld OR v_int > %lld THEN RAISE EXCEPTION"
			 "    '%s must be between %lld and %lld'",
			 (long long)d->spec.min, (long long)d->spec.max,
			 d->name, (long long)d->spec.min,
			 (long long)d->spec.max);
		if (!strstr(branch, want))
			fail_msg("pgkeel.set_setting's range of %s differs from "
				 "common/rtsettings.c's:\n%s",
				 d->name, branch);
	}
}

static void store_names_exactly_the_tables_settings(void **state)
{
	char names[512], want[600];
	const char *sql = set_setting_sql();
	size_t quoted = 0;
	(void)state;

	runtime_setting_names("", names, sizeof(names));
	names[strlen(names) - strlen(" and ")] = '\0';
	snprintf(want, sizeof(want), "'unknown setting %% (%s)'", names);
	assert_non_null(strstr(sql, want));
	for (const char *p = sql; (p = strstr(p, "p_name = '")); p++)
		quoted++;
	assert_int_equal(quoted, RS_COUNT);
}

/* Where a column is defined: the base schema's CREATE TABLE, or the
 * upgrade step that adds it ("ALTER TABLE pgkeel.node ADD COLUMN"). */
static const char *column_at(const char *table, const char *alter,
			     const char *want)
{
	const char *at = strstr(table, want);

	for (size_t s = 0; !at && s < pgstore_migrate_nsteps; s++)
		for (size_t i = 0; !at && pgstore_migrate_steps[s][i]; i++)
			if (strstr(pgstore_migrate_steps[s][i], alter))
				at = strstr(pgstore_migrate_steps[s][i], want);
	return at;
}

static void store_defaults_are_the_tables(void **state)
{
	const char *const *tables = pgstore_schema_sql[0];
	char want[200], value[64];
	(void)state;

	assert_non_null(strstr(tables[1], "CREATE TABLE pgkeel.formation ("));
	assert_non_null(strstr(tables[2], "CREATE TABLE pgkeel.node ("));
	for (int id = 0; id < RS_COUNT; id++) {
		const RuntimeSettingDef *d = runtime_setting(id);
		bool node = d->scope == RS_NODE;
		snprintf(value, sizeof(value),
			 d->spec.type == VAL_TAGS || d->spec.type == VAL_NODE ||
					 d->spec.type == VAL_URI
				 ? "'%s'"
				 : "%s",
			 d->defval);
		snprintf(want, sizeof(want), " %s %s NOT NULL DEFAULT %s",
			 runtime_setting_key(d), sql_type(d), value);
		const char *at = column_at(
			tables[node ? 2 : 1],
			node ? "ALTER TABLE pgkeel.node ADD COLUMN"
			     : "ALTER TABLE pgkeel.formation ADD COLUMN",
			want);
		if (!at || isalnum((unsigned char)at[strlen(want)]))
			fail_msg("the store's column %s.%s is not \"%s\"",
				 d->scope == RS_NODE ? "node" : "formation",
				 runtime_setting_key(d), want);
	}
}

/* A node registers with its file's candidate_priority and
 * replication_quorum: same range and default as the store's. */
static void node_file_settings_agree(void **state)
{
	static const struct {
		SettingId file;
		RuntimeSettingId store;
	} pairs[] = {{S_CANDIDATE_PRIORITY, RS_CANDIDATE_PRIORITY},
		     {S_REPLICATION_QUORUM, RS_REPLICATION_QUORUM}};
	(void)state;

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const SettingDef *f = setting_def(pairs[i].file);
		const RuntimeSettingDef *r = runtime_setting(pairs[i].store);
		assert_string_equal(f->key, runtime_setting_key(r));
		assert_int_equal(f->spec.type, r->spec.type);
		assert_int_equal(f->spec.min, r->spec.min);
		assert_int_equal(f->spec.max, r->spec.max);
		assert_string_equal(f->defval, r->defval);
	}
}

/* `pgkeel config --help` lists every setting with its values and
 * default, in the table's order. */
static void config_help_lists_the_table(void **state)
{
	const char *help = cmd_config.description, *at = help;
	char values[64], line[160];
	(void)state;

	for (int id = 0; id < RS_COUNT; id++) {
		const RuntimeSettingDef *d = runtime_setting(id);
		runtime_setting_values(d, "|", values, sizeof(values));
		snprintf(line, sizeof(line), "\n  %-32s%s (default %s)%s\n",
			 d->name, values, d->defval[0] ? d->defval : "none",
			 d->scope == RS_NODE ? ", with --name" : "");
		const char *found = strstr(at, line);
		if (!found)
			fail_msg("config's help lacks \"%s\":\n%s", line, help);
		at = found + 1;
	}
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(store_parses_each_setting_as_its_type),
	  cmocka_unit_test(store_checks_the_tables_ranges),
	  cmocka_unit_test(store_names_exactly_the_tables_settings),
	  cmocka_unit_test(store_defaults_are_the_tables),
	  cmocka_unit_test(node_file_settings_agree),
	  cmocka_unit_test(config_help_lists_the_table))
