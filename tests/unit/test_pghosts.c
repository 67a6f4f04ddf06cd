/*
 * test_pghosts.c - the TCP hosts of a conninfo or URI (where the monitor's
 * health checks come from, for a node's pg_hba).
 */
#include "unit.h"

#include "pg/pgsql.h"

static void reads_uri_hosts(void **state)
{
	char hosts[4][256];
	(void)state;

	assert_int_equal(pg_conninfo_hosts("postgres://u:p@10.0.0.5:5432/pgkeel",
					   hosts, 4),
			 1);
	assert_string_equal(hosts[0], "10.0.0.5");
	assert_int_equal(pg_conninfo_hosts("postgres://u@m1:5432,m2:5433,"
					   "[fe80::1]:5432/pgkeel",
					   hosts, 4),
			 3);
	assert_string_equal(hosts[0], "m1");
	assert_string_equal(hosts[1], "m2");
	assert_string_equal(hosts[2], "fe80::1");
}

static void reads_keyword_hosts(void **state)
{
	char hosts[4][256];
	(void)state;

	assert_int_equal(pg_conninfo_hosts("host=a,/tmp,b port=1,2,3", hosts,
					   4),
			 2);
	assert_string_equal(hosts[0], "a");
	assert_string_equal(hosts[1], "b");
	assert_int_equal(pg_conninfo_hosts("hostaddr=127.0.0.1 port=1", hosts,
					   4),
			 1);
	assert_string_equal(hosts[0], "127.0.0.1");
}

static void skips_sockets_and_bad_input(void **state)
{
	char hosts[2][256];
	(void)state;

	assert_int_equal(pg_conninfo_hosts("host=/var/run/postgresql", hosts,
					   2),
			 0);
	assert_int_equal(pg_conninfo_hosts("dbname=x", hosts, 2), 0);
	assert_int_equal(pg_conninfo_hosts("not a = conninfo '", hosts, 2), 0);
	assert_int_equal(pg_conninfo_hosts("host=a,b,c", hosts, 2), 2);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(reads_uri_hosts),
	  cmocka_unit_test(reads_keyword_hosts),
	  cmocka_unit_test(skips_sockets_and_bad_input))
