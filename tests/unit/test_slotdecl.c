/*
 * test_slotdecl.c - the names and kinds `pgkeel config set slots.NAME`
 * accepts: Postgres's slot name rule, pgkeel's own slot names kept
 * apart, and the physical and logical kinds.
 */
#include "unit.h"
#include <stdio.h>
#include <string.h>

#include "common/slotdecl.h"
#include "pg/pgslots.h"

static void postgres_slot_names_pass(void **state)
{
	char err[256], longest[64];
	(void)state;

	memset(longest, 'a', 63);
	longest[63] = '\0';
	const char *good[] = {"archive", "wal_2", "0", "_", longest};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		err[0] = '\0';
		if (!slotdecl_name_ok(good[i], err, sizeof(err)))
			fail_msg("\"%s\" refused: %s", good[i], err);
	}
}

static void other_names_are_refused(void **state)
{
	char err[256], too_long[65];
	(void)state;

	memset(too_long, 'a', 64);
	too_long[64] = '\0';
	const char *bad[] = {"",	 "Archive", "wal-2", "wal.2", "a b",
			     "slot;", "é",	    too_long};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (slotdecl_name_ok(bad[i], err, sizeof(err)))
			fail_msg("\"%s\" accepted", bad[i]);
		assert_true(err[0] != '\0');
	}
}

/* No declared slot may be taken for a node's own, whatever the node's
 * name: those all start with the reserved prefix. */
static void pgkeel_own_slot_names_are_refused(void **state)
{
	char err[256], own[64];
	(void)state;

	const char *nodes[] = {"a", "node-2", "B"};
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		slot_name_for(nodes[i], own, sizeof(own));
		assert_false(slotdecl_name_ok(own, err, sizeof(err)));
		assert_non_null(strstr(err, "pgkeel's own"));
	}
	assert_false(slotdecl_name_ok("pgkeel_", err, sizeof(err)));
	assert_true(slotdecl_name_ok("pgkeel", err, sizeof(err)));
}

static void kinds(void **state)
{
	char err[512];
	(void)state;

	assert_true(slotdecl_value_ok("physical", err, sizeof(err)));
	assert_false(slotdecl_value_ok("Physical", err, sizeof(err)));
	assert_false(slotdecl_value_ok("", err, sizeof(err)));
	assert_non_null(strstr(err, "logical:PLUGIN:DATABASE"));
}

static void logical_kinds(void **state)
{
	char err[512];
	SlotKind k;
	(void)state;

	assert_true(slotdecl_parse("logical:test_decoding:postgres", &k, err,
				   sizeof(err)));
	assert_true(k.logical);
	assert_string_equal(k.plugin, "test_decoding");
	assert_string_equal(k.database, "postgres");
	assert_true(slotdecl_parse("logical:pgoutput:App_2", &k, err,
				   sizeof(err)));
	assert_string_equal(k.plugin, "pgoutput");
	assert_string_equal(k.database, "App_2");
	assert_true(slotdecl_parse("physical", &k, err, sizeof(err)));
	assert_false(k.logical);
	const char *bad[] = {"logical", "logical:", "logical:pgoutput",
			     "logical:pgoutput:", "logical::app",
			     "logical:pgoutput:app:x", "logical:pg-output:app",
			     "logical:pgoutput:my app", "logical:pgoutput:a'b",
			     "Logical:pgoutput:app"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (slotdecl_parse(bad[i], &k, err, sizeof(err)))
			fail_msg("kind \"%s\" accepted", bad[i]);
		assert_non_null(strstr(err, "PLUGIN:DATABASE"));
	}
	char longname[80];
	memset(longname, 'a', 64);
	longname[64] = '\0';
	char kind[200];
	snprintf(kind, sizeof(kind), "logical:%.63s:app", longname);
	assert_true(slotdecl_value_ok(kind, err, sizeof(err)));
	assert_true(strlen(kind) < SLOTDECL_KIND_LEN);
	snprintf(kind, sizeof(kind), "logical:%s:app", longname);
	assert_false(slotdecl_value_ok(kind, err, sizeof(err)));
}

static void setting_names(void **state)
{
	(void)state;
	assert_true(slotdecl_is_setting("slots.archive"));
	assert_true(slotdecl_is_setting("slots."));
	assert_false(slotdecl_is_setting("slot.archive"));
	assert_false(slotdecl_is_setting("postgresql.slots"));
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(postgres_slot_names_pass),
	  cmocka_unit_test(other_names_are_refused),
	  cmocka_unit_test(pgkeel_own_slot_names_are_refused),
	  cmocka_unit_test(kinds),
	  cmocka_unit_test(logical_kinds),
	  cmocka_unit_test(setting_names))
