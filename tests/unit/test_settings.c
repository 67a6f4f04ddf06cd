/*
 * test_settings.c - value validation, durations and the settings table.
 */
#include "unit.h"
#include <string.h>

#include "common/config.h"
#include "common/settings.h"
#include "common/timeutil.h"

static bool valid(ValueType type, int64_t min, int64_t max,
		  const char *choices, const char *text)
{
	ValueSpec spec = {type, min, max, choices};
	char err[200];
	return value_validate(&spec, text, err, sizeof(err));
}

static void validates_each_type(void **state)
{
	(void)state;
	assert_true(valid(VAL_PORT, 1, 65535, NULL, "5432"));
	assert_false(valid(VAL_PORT, 1, 65535, NULL, "0"));
	assert_false(valid(VAL_PORT, 1, 65535, NULL, "65536"));
	assert_false(valid(VAL_PORT, 1, 65535, NULL, "54x"));
	assert_true(valid(VAL_INT, 0, 100, NULL, "100"));
	assert_false(valid(VAL_INT, 0, 100, NULL, "101"));
	assert_false(valid(VAL_INT, 0, 100, NULL, "-1"));
	assert_true(valid(VAL_ABSPATH, 0, 0, NULL, "/var/lib/pg"));
	assert_false(valid(VAL_ABSPATH, 0, 0, NULL, "var/lib/pg"));
	assert_true(valid(VAL_BOOL, 0, 0, NULL, "on"));
	assert_false(valid(VAL_BOOL, 0, 0, NULL, "maybe"));
	assert_true(valid(VAL_ENUM, 0, 0, "trust|scram-sha-256", "trust"));
	assert_false(valid(VAL_ENUM, 0, 0, "trust|scram-sha-256", "scram"));
	assert_false(valid(VAL_ENUM, 0, 0, "trust|scram-sha-256", "trus"));
	assert_true(valid(VAL_DURATION, 50, 60000, NULL, "2s"));
	assert_false(valid(VAL_DURATION, 50, 60000, NULL, "10ms"));
	assert_false(valid(VAL_DURATION, 50, 60000, NULL, "2 s"));
	assert_true(valid(VAL_NAME, 0, 0, NULL, "node_a-1"));
	assert_false(valid(VAL_NAME, 0, 0, NULL, "node a"));
	assert_false(valid(VAL_STRING, 0, 0, NULL, ""));
	assert_true(valid(VAL_TEXT, 0, 0, NULL, ""));
}

static void error_says_what_was_expected(void **state)
{
	ValueSpec spec = {VAL_PORT, 1, 65535, NULL};
	char err[200];
	(void)state;

	assert_false(value_validate(&spec, "abc", err, sizeof(err)));
	assert_non_null(strstr(err, "port number between 1 and 65535"));
}

/* A refused secret is not echoed into an error (which reaches logs). */
static void refused_secrets_are_not_quoted(void **state)
{
	Config cfg;
	char err[300];
	(void)state;

	config_init(&cfg);
	assert_false(config_set(&cfg, S_REPL_PASSWORD, "hunter2\nmore", err,
				sizeof(err)));
	assert_null(strstr(err, "hunter2"));
	assert_non_null(strstr(err, "replication.password"));
	assert_false(config_set(&cfg, S_PGPORT, "70000", err, sizeof(err)));
	assert_non_null(strstr(err, "70000"));
	config_free(&cfg);
}

static void parses_durations(void **state)
{
	int64_t ms;
	char buf[32];
	(void)state;

	assert_true(duration_parse_ms("250ms", &ms));
	assert_int_equal(ms, 250);
	assert_true(duration_parse_ms("3s", &ms));
	assert_int_equal(ms, 3000);
	assert_true(duration_parse_ms("2min", &ms));
	assert_int_equal(ms, 120000);
	assert_true(duration_parse_ms("1500", &ms));
	assert_int_equal(ms, 1500);
	assert_false(duration_parse_ms("-1s", &ms));
	assert_false(duration_parse_ms("s", &ms));
	assert_false(duration_parse_ms("3 weeks", &ms));
	/* found by tests/fuzz/fuzz_settings: blanks before a sign */
	assert_false(duration_parse_ms("\n-685", &ms));
	assert_false(duration_parse_ms(" -5s", &ms));
	assert_false(duration_parse_ms(" 5s", &ms));
	assert_string_equal(duration_format(250, buf, sizeof(buf)), "250ms");
	assert_string_equal(duration_format(3000, buf, sizeof(buf)), "3s");
	assert_string_equal(duration_format(1500, buf, sizeof(buf)), "1.5s");
	assert_string_equal(duration_format(120000, buf, sizeof(buf)), "2min");
}

static void table_is_consistent(void **state)
{
	(void)state;
	for (int i = 0; i < SETTING_COUNT; i++) {
		const SettingDef *def = setting_def((SettingId)i);
		char err[200];
		assert_int_equal(def->id, i);
		assert_non_null(def->flag);
		assert_ptr_equal(setting_find(def->section, def->key), def);
		assert_ptr_equal(setting_find_flag(def->flag), def);
		if (def->defval)
			assert_true(value_validate(&def->spec, def->defval,
						   err, sizeof(err)));
	}
	assert_null(setting_find("postgresql", "nope"));
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(validates_each_type),
	  cmocka_unit_test(error_says_what_was_expected),
	  cmocka_unit_test(refused_secrets_are_not_quoted),
	  cmocka_unit_test(parses_durations),
	  cmocka_unit_test(table_is_consistent))
