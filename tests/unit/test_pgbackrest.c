/*
 * test_pgbackrest.c - the archive_command and restore_command pgkeel
 * writes for pgBackRest, and the names and paths it refuses to put in
 * them (pg/pgbackrest.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "pg/pgbackrest.h"
#include "pg/pgconf.h"

static void renders_the_commands_quoted(void **state)
{
	(void)state;
	PgBackRest br = {"main", "/etc/pgbackrest/pgbackrest.conf",
			 "/var/lib/pg/a"};
	char archive[2048], restore[2048], err[256];

	assert_true(pgbackrest_archive_command(&br, archive, sizeof(archive),
					       err, sizeof(err)));
	assert_true(pgbackrest_restore_command(&br, restore, sizeof(restore),
					       err, sizeof(err)));
	assert_string_equal(archive,
			    "pgbackrest --stanza=main --config=/etc/pgbackrest/"
			    "pgbackrest.conf --pg1-path=/var/lib/pg/a "
			    "archive-push %p");
	PgConfSpec spec = {.port = 5432, .listen_addresses = "*",
			   .socket_dir = "/tmp", .archive_command = archive,
			   .restore_command = restore};
	char *text = pgconf_render(&spec);
	assert_non_null(strstr(text, "\narchive_mode = on\narchive_command = "
				     "'pgbackrest --stanza=main"));
	assert_non_null(strstr(text, "archive-get %f \"%p\"'\n"));
	free(text);
	spec.archive_command = spec.restore_command = NULL;
	text = pgconf_render(&spec);
	assert_null(strstr(text, "archive"));
	assert_null(strstr(text, "restore_command"));
	free(text);
}

static void refuses_what_could_reach_the_shell(void **state)
{
	(void)state;
	const char *stanzas[] = {"", "a b", "a;b", "a'b", "a\nb", "$(x)"};
	const char *paths[] = {"", "relative", "/a b", "/a;b", "/a'b",
			       "/a\"b", "/a\nb", "/$x", "/a`b`"};
	char buf[2048], err[256];

	for (size_t i = 0; i < sizeof(stanzas) / sizeof(stanzas[0]); i++) {
		PgBackRest br = {stanzas[i], "/etc/pgbackrest.conf", "/d"};
		assert_false(pgbackrest_archive_command(&br, buf, sizeof(buf),
							err, sizeof(err)));
		assert_non_null(strstr(err, "stanza"));
	}
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		PgBackRest br = {"main", paths[i], "/d"};
		assert_false(pgbackrest_restore_command(&br, buf, sizeof(buf),
							err, sizeof(err)));
		br = (PgBackRest){"main", "/etc/pgbackrest.conf", paths[i]};
		assert_false(pgbackrest_check(&br, err, sizeof(err)));
		assert_non_null(strstr(err, "data directory"));
	}
	PgBackRest ok = {"pg-15_main", "/etc/pgbackrest.conf", "/srv/pg.15/a"};
	assert_true(pgbackrest_check(&ok, err, sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(renders_the_commands_quoted),
		cmocka_unit_test(refuses_what_could_reach_the_shell),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
