/*
 * test_rtsettings.c - the run-time settings' table (common/rtsettings.h)
 * against its other readers: the postgres store's column defaults, the
 * node file's settings that give a node's first values, and `pgkeel
 * config --help`. Every store validates a change with the table itself
 * (store/storepolicy_admin.c).
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

/* The SQL type of a setting's column: int, bool, int for durations (in
 * milliseconds), or text for tags and node names. */
static const char *sql_type(const RuntimeSettingDef *d)
{
	return d->spec.type == VAL_INT || d->spec.type == VAL_DURATION
		       ? "int"
	       : d->spec.type == VAL_BOOL ? "bool"
					  : "text";
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
	  cmocka_unit_test(store_defaults_are_the_tables),
	  cmocka_unit_test(node_file_settings_agree),
	  cmocka_unit_test(config_help_lists_the_table))
