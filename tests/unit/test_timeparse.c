/*
 * test_timeparse.c - points in time for scheduled operations
 * (time_parse_at): RFC 3339 with a zone, or relative to now.
 */
#include "unit.h"

#include "common/timeutil.h"

/* 2026-11-30T16:00:00Z */
#define T0 1796054400000LL

static void absolute_times_with_a_zone(void **state)
{
	int64_t t = 0;
	(void)state;

	assert_true(time_parse_at("2026-11-30T16:00:00Z", 0, &t));
	assert_int_equal(t, T0);
	assert_true(time_parse_at("2026-11-30 17:00:00+01:00", 0, &t));
	assert_int_equal(t, T0);
	assert_true(time_parse_at("2026-11-30T10:30:00-0530", 0, &t));
	assert_int_equal(t, T0);
	assert_true(time_parse_at("2026-11-30T16:00:00.25Z", 0, &t));
	assert_int_equal(t, T0 + 250);
}

static void relative_times(void **state)
{
	int64_t t = 0;
	(void)state;

	assert_true(time_parse_at("+5m", T0, &t));
	assert_int_equal(t, T0 + 300000);
	assert_true(time_parse_at("+3s", T0, &t));
	assert_int_equal(t, T0 + 3000);
	assert_true(time_parse_at("+1h", T0, &t));
	assert_int_equal(t, T0 + 3600000);
	assert_true(time_parse_at("+2min", T0, &t));
	assert_int_equal(t, T0 + 120000);
}

static void rejects_ambiguous_or_malformed(void **state)
{
	int64_t t = 42;
	const char *bad[] = {"",
			     "2026-11-30T16:00:00",
			     "2026-11-30",
			     "2026-13-30T16:00:00Z",
			     "2026-11-30T16:00:00+25:00",
			     "2026-11-30X16:00:00Z",
			     "2026-11-30T16:00:00.Z",
			     "2026-11-30T16:00:00Z junk",
			     "+5",
			     "+",
			     "+-5m",
			     "5m",
			     "tomorrow"};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(time_parse_at(bad[i], T0, &t));
		assert_int_equal(t, 42);
	}
	assert_false(time_parse_at(NULL, T0, &t));
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(absolute_times_with_a_zone),
	  cmocka_unit_test(relative_times),
	  cmocka_unit_test(rejects_ambiguous_or_malformed))
