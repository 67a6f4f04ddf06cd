/*
 * test_lsn.c - LSN parsing, formatting and distance.
 */
#include "unit.h"
#include <string.h>

#include "common/lsn.h"

static void parses_and_formats(void **state)
{
	Lsn lsn;
	char buf[LSN_TEXT_LEN];
	(void)state;

	assert_true(lsn_parse("16/B374D848", &lsn));
	assert_int_equal(lsn, 0x16B374D848ULL);
	assert_string_equal(lsn_format(lsn, buf, sizeof(buf)), "16/B374D848");
	assert_true(lsn_parse("0/0", &lsn));
	assert_int_equal(lsn, 0);
	assert_true(lsn_parse("FFFFFFFF/FFFFFFFF", &lsn));
	assert_int_equal(lsn, UINT64_MAX);
	assert_string_equal(lsn_format(lsn, buf, sizeof(buf)),
			    "FFFFFFFF/FFFFFFFF");
	assert_true(lsn_parse("0/3000060", &lsn));
	assert_string_equal(lsn_format(lsn, buf, sizeof(buf)), "0/3000060");
}

static void rejects_malformed(void **state)
{
	Lsn lsn = 42;
	const char *bad[] = {"", "/", "1/", "/1", "1", "G/1", "1/1/1",
			     "123456789/0", "0/123456789", " 0/1", "0/1 "};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(lsn_parse(bad[i], &lsn));
	assert_false(lsn_parse(NULL, &lsn));
	assert_int_equal(lsn, 42);
}

static void measures_distance(void **state)
{
	(void)state;
	assert_int_equal(lsn_ahead_by(0x200, 0x100), 0x100);
	assert_int_equal(lsn_ahead_by(0x100, 0x200), 0);
	assert_int_equal(lsn_ahead_by(0x100000000ULL, 0xFFFFFFFFULL), 1);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(parses_and_formats),
	  cmocka_unit_test(rejects_malformed),
	  cmocka_unit_test(measures_distance))
