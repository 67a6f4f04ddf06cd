/*
 * test_systemdunit.c - the units of `pgkeel show systemd`: paths systemd
 * would expand are quoted, values a unit cannot hold are refused, the
 * template keeps its %f, every unit starts the service with GnuTLS's
 * constructor turned off (common/svcenv.h), and the limits follow the
 * cycle's bound.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/systemdunit.h"
#include "common/svcenv.h"

static SystemdUnit node_unit(const char *exec, const char *pgdata)
{
	return (SystemdUnit){.description = "pgkeel keeper of /d",
			     .user = "postgres",
			     .home = "/h",
			     .exec = exec,
			     .pgdata = pgdata,
			     .watchdog_s = 123,
			     .stop_timeout_s = 183};
}

/* The unit as text, or NULL when refused. */
static char *render(const SystemdUnit *u)
{
	char *text = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	bool ok = systemd_unit_write(f, u, err, sizeof(err));
	fclose(f);
	if (!ok) {
		free(text);
		return NULL;
	}
	return text;
}

static void plain_paths_stay_plain(void **state)
{
	(void)state;
	SystemdUnit u = node_unit("/usr/bin/pgkeel", "/var/lib/pg/a");
	char *t = render(&u);
	assert_non_null(t);
	assert_non_null(strstr(t, "\nExecStart=/usr/bin/pgkeel run --pgdata "
				  "/var/lib/pg/a\n"));
	assert_non_null(strstr(t, "\nEnvironment=PGKEEL_HOME=/h\n"));
	assert_non_null(strstr(t, "\nEnvironment=GNUTLS_NO_IMPLICIT_INIT=1\n"));
	assert_non_null(strstr(t, "\nUser=postgres\n"));
	assert_non_null(strstr(t, "\nType=notify\n"));
	assert_non_null(strstr(t, "\nKillMode=mixed\n"));
	assert_non_null(strstr(t, "\nWatchdogSec=123s\n"));
	assert_non_null(strstr(t, "\nTimeoutStopSec=183s\n"));
	free(t);
}

static void specifiers_and_variables_are_escaped(void **state)
{
	(void)state;
	SystemdUnit u = node_unit("/opt/50% \"x\"/pgkeel", "/d/$HOME%n");
	u.home = "/h %i";
	u.description = "pgkeel keeper of /d/$HOME%n";
	char *t = render(&u);
	assert_non_null(t);
	/* no $ expansion in the program's path; in its arguments, $$ */
	assert_non_null(strstr(t, "\nExecStart=\"/opt/50%% \\\"x\\\"/pgkeel\" "
				  "run --pgdata \"/d/$$HOME%%n\"\n"));
	assert_non_null(strstr(t, "\nEnvironment=\"PGKEEL_HOME=/h %%i\"\n"));
	assert_non_null(strstr(t, "\nDescription=pgkeel keeper of "
				  "/d/$HOME%%n\n"));
	free(t);
}

static void control_characters_are_refused(void **state)
{
	(void)state;
	SystemdUnit u = node_unit("/usr/bin/pgkeel", "/d\nExecStartPre=/x");
	assert_null(render(&u));
	u = node_unit("/usr/bin/pgkeel", "/d");
	u.home = "/h\n[Service]";
	assert_null(render(&u));
}

static void the_template_names_its_instance(void **state)
{
	(void)state;
	SystemdUnit u = node_unit("/usr/bin/pgkeel", NULL);
	u.template = true;
	u.home = NULL;
	u.description = "pgkeel node of %f";
	char *t = render(&u);
	assert_non_null(t);
	assert_non_null(strstr(t, "\nExecStart=/usr/bin/pgkeel run --pgdata "
				  "%f\n"));
	assert_non_null(strstr(t, "\nDescription=pgkeel node of %f\n"));
	assert_null(strstr(t, "Environment=PGKEEL_HOME"));
	assert_non_null(strstr(t, "\nEnvironment=" SVCENV_ASSIGNMENT "\n"));
	free(t);
}

static void limits_cover_the_longest_cycle(void **state)
{
	(void)state;
	/* two pg_ctl calls of 60 s, two store calls, one interval */
	assert_int_equal(systemd_watchdog_sec(500, 1000), 123);
	assert_int_equal(systemd_watchdog_sec(250, 1000), 123);
	assert_int_equal(systemd_watchdog_sec(60000, 60000), 300);
	assert_int_equal(systemd_stop_timeout_sec(123), 183);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(plain_paths_stay_plain),
	  cmocka_unit_test(specifiers_and_variables_are_escaped),
	  cmocka_unit_test(control_characters_are_refused),
	  cmocka_unit_test(the_template_names_its_instance),
	  cmocka_unit_test(limits_cover_the_longest_cycle))
