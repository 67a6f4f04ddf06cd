/*
 * test_conninfo.c - quoting of connection strings and URI building.
 */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "common/conninfo.h"
#include "common/idents.h"

static void quotes_values(void **state)
{
	char *s;
	(void)state;

	s = conninfo_quote("plain");
	assert_string_equal(s, "'plain'");
	free(s);
	s = conninfo_quote("it's a \\ test");
	assert_string_equal(s, "'it\\'s a \\\\ test'");
	free(s);
	s = conninfo_quote("");
	assert_string_equal(s, "''");
	free(s);
}

static void appends_pairs(void **state)
{
	char *s = NULL;
	(void)state;

	s = conninfo_append(s, "host", "127.0.0.1");
	s = conninfo_append(s, "port", "5432");
	s = conninfo_append(s, "password", "p w'd");
	assert_string_equal(s,
			    "host='127.0.0.1' port='5432' password='p w\\'d'");
	free(s);
}

static void builds_multi_host_uri(void **state)
{
	HostPort hosts[] = {{"127.0.0.1", 6010}, {"127.0.0.1", 6011},
			    {"::1", 6012}};
	const char *params[] = {"target_session_attrs", "read-write", NULL};
	(void)state;

	char *uri = uri_build(hosts, 3, NULL, "postgres", params);
	assert_string_equal(uri, "postgres://127.0.0.1:6010,127.0.0.1:6011,"
				 "[::1]:6012/postgres?target_session_attrs="
				 "read-write");
	free(uri);
}

static void encodes_user_db_and_params(void **state)
{
	HostPort host = {"db.example", 5432};
	const char *params[] = {"application_name", "a b&c", "sslmode",
				"prefer", NULL};
	(void)state;

	char *uri = uri_build(&host, 1, "us@r", "my db", params);
	assert_string_equal(uri, "postgres://us%40r@db.example:5432/my%20db"
				 "?application_name=a%20b%26c&sslmode=prefer");
	free(uri);
}

static void validates_hosts(void **state)
{
	(void)state;
	assert_true(host_is_valid("localhost"));
	assert_true(host_is_valid("10.0.0.1"));
	assert_true(host_is_valid("fe80::1"));
	assert_true(host_is_valid("node-a.example.com"));
	assert_false(host_is_valid(""));
	assert_false(host_is_valid("a b"));
	assert_false(host_is_valid("host/evil"));
	assert_false(host_is_valid("x';drop"));
	assert_false(host_is_valid("-leading-dash"));
	assert_false(host_is_valid("127.0.0.1/32 trust\nhost all all 0/0"));
	assert_false(host_is_valid("a\n"));
	assert_false(host_is_valid(NULL));
	char longest[254];
	memset(longest, 'a', 253);
	longest[253] = '\0';
	assert_true(host_is_valid(longest));
	char too_long[255];
	memset(too_long, 'a', 254);
	too_long[254] = '\0';
	assert_false(host_is_valid(too_long));
}

static void validates_names(void **state)
{
	(void)state;
	assert_true(name_is_valid("node_a-1"));
	assert_false(name_is_valid(""));
	assert_false(name_is_valid("a.b"));
	assert_false(name_is_valid("a\n"));
	char too_long[65];
	memset(too_long, 'n', 64);
	too_long[64] = '\0';
	assert_false(name_is_valid(too_long));
	too_long[63] = '\0';
	assert_true(name_is_valid(too_long));
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(quotes_values),
	  cmocka_unit_test(appends_pairs),
	  cmocka_unit_test(builds_multi_host_uri),
	  cmocka_unit_test(encodes_user_db_and_params),
	  cmocka_unit_test(validates_hosts),
	  cmocka_unit_test(validates_names))
