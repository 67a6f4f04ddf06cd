/*
 * test_flags.c - flag tables: settings as flags, local flags, switches,
 * validation and required flags.
 */
#include "unit.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/command.h"
#include "cli/flags.h"

static const FlagDef defs[] = {
	FLAG_OF_REQUIRED(S_PGDATA),
	FLAG_OF(S_PGPORT),
	FLAG_SWITCH("json", "print JSON"),
	FLAG_VALUE("count", "N", "how many", VAL_INT, 1, 10, NULL),
};

static bool parse(int argc, char **argv, Flags *flags, bool *help)
{
	return flags_parse(defs, sizeof(defs) / sizeof(defs[0]), argc, argv,
			   flags, help, "test");
}

static void parses_values_switches_and_args(void **state)
{
	char *argv[] = {"cmd", "--pgdata", "/d", "--pgport=6010", "--json",
			"--count", "3", "extra", NULL};
	Flags f;
	bool help;
	Config cfg;
	(void)state;

	assert_true(parse(8, argv, &f, &help));
	assert_false(help);
	assert_string_equal(flags_get(&f, "pgdata"), "/d");
	assert_string_equal(flags_get(&f, "pgport"), "6010");
	assert_true(flags_has(&f, "json"));
	assert_int_equal(flags_get_int(&f, "count", 0), 3);
	assert_int_equal(f.nargs, 1);
	assert_string_equal(f.args[0], "extra");

	config_init(&cfg);
	assert_true(flags_apply_to_config(&f, &cfg));
	assert_string_equal(config_get(&cfg, S_PGDATA), "/d");
	assert_int_equal(config_get_int(&cfg, S_PGPORT), 6010);
	config_free(&cfg);
	flags_free(&f);
}

static void makes_relative_paths_absolute(void **state)
{
	char *argv[] = {"cmd", "--pgdata", "./node_b", NULL};
	char cwd[4096], want[4200];
	Flags f;
	bool help;
	(void)state;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(want, sizeof(want), "%s/node_b", cwd);
	assert_true(parse(3, argv, &f, &help));
	assert_string_equal(flags_get(&f, "pgdata"), want);
	flags_free(&f);
}

static void rejects_bad_values(void **state)
{
	char *bad_port[] = {"cmd", "--pgdata", "/d", "--pgport", "x", NULL};
	char *out_of_range[] = {"cmd", "--pgdata", "/d", "--count", "11", NULL};
	char *unknown[] = {"cmd", "--pgdata", "/d", "--nope", NULL};
	char *no_value[] = {"cmd", "--pgdata", NULL};
	char *missing[] = {"cmd", "--json", NULL};
	Flags f;
	bool help;
	(void)state;

	assert_false(parse(5, bad_port, &f, &help));
	assert_false(parse(5, out_of_range, &f, &help));
	assert_false(parse(4, unknown, &f, &help));
	assert_false(parse(2, no_value, &f, &help));
	assert_false(parse(2, missing, &f, &help));
}

static void help_short_circuits(void **state)
{
	char *argv[] = {"cmd", "--help", NULL};
	Flags f;
	bool help;
	(void)state;

	assert_true(parse(2, argv, &f, &help));
	assert_true(help);
}

/* Found by the flags fuzz target: a parse that stopped inside a cluster
 * of short options ("-hx": help) left getopt half-way, and the next parse
 * read the rest ("x") as an unknown flag. */
static void a_parse_does_not_depend_on_the_one_before(void **state)
{
	char *first[] = {"cmd", "-hx", NULL};
	char *second[] = {"cmd", "--pgdata", "/d", NULL};
	Flags f;
	bool help;
	(void)state;

	assert_true(parse(2, first, &f, &help));
	assert_true(help);
	flags_free(&f);
	assert_true(parse(3, second, &f, &help));
	assert_false(help);
	assert_string_equal(flags_get(&f, "pgdata"), "/d");
	flags_free(&f);
}

/* Every command's flags fit the parser (a command with more was refused
 * at every run). */
static void fits(const Command *c)
{
	if (c->nflags > FLAGS_MAX)
		fail_msg("%s has %zu flags, more than FLAGS_MAX", c->name,
			 c->nflags);
	for (size_t i = 0; c->subs && c->subs[i]; i++)
		fits(c->subs[i]);
}

static void every_command_fits_the_parser(void **state)
{
	const Command *groups[] = {&cmd_create, &cmd_run, &cmd_stop,
				   &cmd_status, &cmd_show, &cmd_explain,
				   &cmd_perform, &cmd_enable, &cmd_disable,
				   &cmd_drop, &cmd_config, &cmd_watch,
				   &cmd_do, &cmd_rotate, &cmd_drill,
				   &cmd_store};
	(void)state;

	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		fits(groups[i]);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(every_command_fits_the_parser),
	  cmocka_unit_test(parses_values_switches_and_args),
	  cmocka_unit_test(makes_relative_paths_absolute),
	  cmocka_unit_test(rejects_bad_values),
	  cmocka_unit_test(help_short_circuits),
	  cmocka_unit_test(a_parse_does_not_depend_on_the_one_before))
