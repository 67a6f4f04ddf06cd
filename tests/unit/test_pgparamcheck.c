/*
 * test_pgparamcheck.c - the parameters pgkeel manages are listed twice:
 * in pgparamcheck.c, for a store with no Postgres of its own, and in the
 * postgres store's set_pg_param (pgstore_schema_operator.c). The two
 * lists must name the same parameters.
 */
#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "pg/pgparamcheck.h"
#include "store/pgstore_schema.h"

/* The text of "p_name IN (...)" in set_pg_param's definition. */
static const char *sql_list(char *buf, size_t len)
{
	const char *fn = NULL;

	for (size_t i = 0; pgstore_schema_operator_sql[i]; i++) {
		if (strstr(pgstore_schema_operator_sql[i],
			   "FUNCTION pgkeel.set_pg_param"))
			fn = pgstore_schema_operator_sql[i];
	}
	assert_non_null(fn);
	const char *start = strstr(fn, "p_name IN (");
	assert_non_null(start);
	start += strlen("p_name IN (");
	const char *end = strchr(start, ')');
	assert_non_null(end);
	snprintf(buf, len, "%.*s", (int)(end - start), start);
	return buf;
}

static void both_lists_name_the_same_parameters(void **state)
{
	char list[4096], quoted[128];
	size_t in_sql = 0;
	(void)state;

	sql_list(list, sizeof(list));
	for (const char *p = list; (p = strchr(p, '\'')); p++) {
		const char *end = strchr(p + 1, '\'');
		assert_non_null(end);
		snprintf(quoted, sizeof(quoted), "%.*s", (int)(end - p - 1),
			 p + 1);
		if (!pg_param_is_managed(quoted))
			fail_msg("set_pg_param refuses %s, pgparamcheck.c "
				 "does not", quoted);
		in_sql++;
		p = end;
	}
	size_t in_c = 0;
	while (pg_param_managed[in_c])
		in_c++;
	assert_int_equal(in_sql, in_c);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(both_lists_name_the_same_parameters))
