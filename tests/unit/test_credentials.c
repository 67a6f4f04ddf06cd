/*
 * test_credentials.c - password files (escaping, reading back, refusing
 * files others can read) and the rewriting of a store URI for a node's
 * own role.
 */
#include "unit.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/passfile.h"
#include "pg/pgconninfo.h"

static void temp_path(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/pgkeel-test-passfile-%d", (int)getpid());
}

static void writes_and_reads_back_escaped(void **state)
{
	char path[128], out[128], err[512];
	(void)state;

	temp_path(path, sizeof(path));
	assert_true(passfile_write(path, "pgkeel_node_7", "a:b\\c", err,
				   sizeof(err)));
	char *text = fs_read_file(path, NULL);
	assert_string_equal(text, "*:*:*:pgkeel_node_7:a\\:b\\\\c\n");
	free(text);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(passfile_read(path, "pgkeel_node_7", out, sizeof(out), err,
				  sizeof(err)));
	assert_string_equal(out, "a:b\\c");
	assert_false(passfile_read(path, "pgkeel_operator", out, sizeof(out),
				   err, sizeof(err)));
	assert_non_null(strstr(err, "no password for pgkeel_operator"));
	unlink(path);
}

/* Found by tests/fuzz/fuzz_passfile: a password that escaped to more than
 * the line buffer was cut silently, and the file then held a different
 * password from the one the store was given. */
static void refuses_a_password_too_long_to_write_whole(void **state)
{
	char path[128], out[1024], err[512], pw[401];
	(void)state;

	memset(pw, ':', 400);
	pw[400] = '\0';
	temp_path(path, sizeof(path));
	assert_false(passfile_write(path, "u", pw, err, sizeof(err)));
	assert_non_null(strstr(err, "too long"));
	assert_null(strstr(err, "::::"));
	memset(pw, ':', 255);
	pw[255] = '\0';
	assert_true(passfile_write(path, "u", pw, err, sizeof(err)));
	assert_true(passfile_read(path, "u", out, sizeof(out), err,
				  sizeof(err)));
	assert_string_equal(out, pw);
	unlink(path);
}

static void refuses_files_others_can_read(void **state)
{
	char path[128], out[128], err[512];
	(void)state;

	temp_path(path, sizeof(path));
	assert_true(passfile_write(path, "u", "secret-value", err, sizeof(err)));
	chmod(path, 0644);
	assert_false(passfile_read(path, "u", out, sizeof(out), err,
				   sizeof(err)));
	assert_non_null(strstr(err, "chmod 600"));
	assert_null(strstr(err, "secret-value"));
	unlink(path);
	assert_false(passfile_write(path, "u", "two\nlines", err, sizeof(err)));
}

static void random_passwords_differ(void **state)
{
	char a[49], b[49];
	(void)state;

	assert_true(passfile_random_password(a, sizeof(a)));
	assert_true(passfile_random_password(b, sizeof(b)));
	assert_int_equal(strlen(a), 48);
	assert_string_not_equal(a, b);
}

static void rewrites_uri_for_a_node(void **state)
{
	char err[256];
	(void)state;

	char *u = pg_conninfo_rewrite(
		"postgres://pgkeel_operator:s3cret@h1:6000,h2:6001/pgkeel"
		"?passfile=%2Fx%2Fop.pgpass&sslmode=require",
		"pgkeel_node_3", NULL, err, sizeof(err));
	assert_non_null(u);
	assert_string_equal(u, "postgres://pgkeel_node_3@h1:6000,h2:6001/"
			       "pgkeel?sslmode=require");
	free(u);
	u = pg_conninfo_rewrite("postgres://pgkeel_node_3@[::1]:6000/pgkeel",
				NULL, "/n/store.pgpass", err, sizeof(err));
	assert_non_null(u);
	assert_string_equal(u, "postgres://pgkeel_node_3@[::1]:6000/pgkeel"
			       "?passfile=%2Fn%2Fstore.pgpass");
	free(u);
	assert_null(pg_conninfo_rewrite("postgres://h/x?nosuchparam=1", NULL, NULL,
					err, sizeof(err)));
	assert_true(pg_conninfo_has("postgres://u:pw@h/db", "password"));
	assert_false(pg_conninfo_has("postgres://u@h/db", "password"));
	assert_true(pg_conninfo_has("host=h passfile=/p", "passfile"));
}

/* Found by tests/fuzz/fuzz_conninfo: an IPv6 host with a zone
 * (fe80::1%eth0) was written with a raw '%', a URI libpq refuses. */
static void rewrites_an_ipv6_zone_so_it_parses(void **state)
{
	char err[256];
	(void)state;

	char *u = pg_conninfo_rewrite("postgresql://[::1]:5432,"
				      "[fe80::1%25eth0]/db",
				      NULL, NULL, err, sizeof(err));
	assert_non_null(u);
	assert_string_equal(u, "postgres://[::1]:5432,[fe80::1%25eth0]:5432/db");
	PQconninfoOption *opts = PQconninfoParse(u, NULL);
	assert_non_null(opts);
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "host") == 0)
			assert_string_equal(o->val, "::1,fe80::1%eth0");
	PQconninfoFree(opts);
	free(u);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(writes_and_reads_back_escaped),
	  cmocka_unit_test(refuses_files_others_can_read),
	  cmocka_unit_test(refuses_a_password_too_long_to_write_whole),
	  cmocka_unit_test(random_passwords_differ),
	  cmocka_unit_test(rewrites_uri_for_a_node),
	  cmocka_unit_test(rewrites_an_ipv6_zone_so_it_parses))
