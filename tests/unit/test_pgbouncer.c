/*
 * test_pgbouncer.c - pgBouncer's [databases] file as `show
 * pgbouncer-config` and the primary's keeper write it, the refusal of a
 * host or name that could add a field or a line, and the settings that
 * turn the keeper's part on.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg/pgbouncer.h"

/* What write_databases writes, malloc'd; NULL when it refused. */
static char *render(const char *formation, const char *db, const char *host,
		    int port)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	bool ok = pgbouncer_write_databases(f, formation, db, host, port);
	fclose(f);
	if (!ok) {
		assert_int_equal(len, 0);
		free(text);
		return NULL;
	}
	return text;
}

static void writes_one_pool_for_the_primary(void **state)
{
	(void)state;
	char *text = render("default", "app_db", "10.0.0.11", 5432);

	assert_non_null(text);
	assert_non_null(strstr(text, "\n[databases]\napp_db = host=10.0.0.11 "
				     "port=5432 dbname=app_db\n"));
	/* everything before the section is a comment */
	for (char *line = text; line && *line != '[';
	     line = strchr(line, '\n') + 1)
		assert_int_equal(*line, ';');
	free(text);
}

static void refuses_what_could_add_a_field(void **state)
{
	(void)state;
	assert_null(render("default", "postgres", "h auth_user=x", 1));
	assert_null(render("default", "postgres", "h\nevil = host=x", 1));
	assert_null(render("default", "a b", "h", 1));
	assert_null(render("de\nfault", "postgres", "h", 1));
}

static void enabled_by_uri_and_file(void **state)
{
	Config cfg;
	PgBouncer b;
	char err[256];
	(void)state;

	memset(&b, 0, sizeof(b));
	config_init(&cfg);
	pgbouncer_from_config(&cfg, 1000, &b);
	assert_false(b.enabled);
	assert_true(config_set(&cfg, S_PGB_ADMIN_URI,
			       "postgres://adm@127.0.0.1:6432/pgbouncer?"
			       "passfile=/p",
			       err, sizeof(err)));
	assert_true(config_set(&cfg, S_PGB_DATABASES_FILE, "/etc/db.ini", err,
			       sizeof(err)));
	pgbouncer_from_config(&cfg, 1000, &b);
	assert_true(b.enabled);
	assert_string_equal(b.database, "postgres");
	assert_int_equal(b.pause_timeout_ms, 3000);
	assert_false(pgbouncer_uri_has_password(&b));
	assert_true(config_set(&cfg, S_PGB_ADMIN_URI,
			       "postgres://adm:secret@127.0.0.1:6432/pgbouncer",
			       err, sizeof(err)));
	pgbouncer_from_config(&cfg, 1000, &b);
	assert_true(pgbouncer_uri_has_password(&b));
	pgbouncer_close(&b);
	config_free(&cfg);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(writes_one_pool_for_the_primary),
	  cmocka_unit_test(refuses_what_could_add_a_field),
	  cmocka_unit_test(enabled_by_uri_and_file))
