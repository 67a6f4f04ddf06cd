/*
 * test_runprog.c - running programs: output, exit codes, signals,
 * timeouts and line callbacks.
 */
#include "unit.h"
#include <string.h>

#include "common/runprog.h"

static void captures_output_and_status(void **state)
{
	const char *argv[] = {"/bin/sh", "-c", "echo out; echo err >&2; exit 3",
			      NULL};
	RunSpec spec = {.argv = argv};
	RunResult r;
	(void)state;

	assert_false(run_program(&spec, &r));
	assert_int_equal(r.exit_code, 3);
	assert_non_null(strstr(r.output, "out\n"));
	assert_non_null(strstr(r.output, "err\n"));
	run_result_free(&r);
}

static void succeeds_on_zero(void **state)
{
	const char *argv[] = {"/bin/true", NULL};
	RunSpec spec = {.argv = argv};
	RunResult r;
	(void)state;

	assert_true(run_program(&spec, &r));
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.output, "");
	run_result_free(&r);
}

static void reports_missing_program(void **state)
{
	const char *argv[] = {"/nonexistent/prog", NULL};
	RunSpec spec = {.argv = argv};
	RunResult r;
	char buf[64];
	(void)state;

	assert_false(run_program(&spec, &r));
	assert_true(r.spawn_failed);
	assert_string_equal(run_result_describe(&r, buf, sizeof(buf)),
			    "could not be started");
	run_result_free(&r);
}

static void kills_on_timeout(void **state)
{
	const char *argv[] = {"/bin/sleep", "10", NULL};
	RunSpec spec = {.argv = argv, .timeout_ms = 200};
	RunResult r;
	(void)state;

	assert_false(run_program(&spec, &r));
	assert_true(r.timed_out);
	assert_int_equal(r.term_signal, 9);
	run_result_free(&r);
}

static void count_line(const char *line, void *arg)
{
	int *n = arg;
	if (strncmp(line, "line", 4) == 0)
		(*n)++;
}

static void calls_back_per_line(void **state)
{
	const char *argv[] = {"/bin/sh", "-c",
			      "printf 'line1\\nline2\\rline3'", NULL};
	int lines = 0;
	RunSpec spec = {.argv = argv, .on_line = count_line,
			.on_line_arg = &lines};
	RunResult r;
	(void)state;

	assert_true(run_program(&spec, &r));
	assert_int_equal(lines, 3);
	run_result_free(&r);
}

static void passes_environment(void **state)
{
	const char *argv[] = {"/bin/sh", "-c", "echo \"$PGK_TEST_VAR\"", NULL};
	const char *env[] = {"PGK_TEST_VAR=hello world", NULL};
	RunSpec spec = {.argv = argv, .env = env};
	RunResult r;
	(void)state;

	assert_true(run_program(&spec, &r));
	assert_string_equal(r.output, "hello world\n");
	run_result_free(&r);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(captures_output_and_status),
	  cmocka_unit_test(succeeds_on_zero),
	  cmocka_unit_test(reports_missing_program),
	  cmocka_unit_test(kills_on_timeout),
	  cmocka_unit_test(calls_back_per_line),
	  cmocka_unit_test(passes_environment))
