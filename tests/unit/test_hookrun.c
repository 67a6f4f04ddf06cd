/*
 * test_hookrun.c - the hook queue runs real /bin/sh commands in order,
 * with the event's variables, never blocks its caller, and kills a hook
 * that outlives its timeout.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>

#include "common/hookrun.h"
#include "common/timeutil.h"

static void run_until_idle(HookRunner *h, int64_t limit_ms)
{
	int64_t start = time_monotonic_ms();
	while ((h->pid > 0 || h->count > 0) &&
	       time_monotonic_ms() - start < limit_ms) {
		hookrun_poll(h, time_monotonic_ms());
		time_sleep_ms(10);
	}
}

static void events_run_in_order_with_their_variables(void **state)
{
	char path[] = "/tmp/pgkeel-hook-XXXXXX", cmd[256], buf[256] = "";
	HookRunner h;
	(void)state;

	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "echo \"$PGKEEL_OLD_STATE>$PGKEEL_NEW_STATE\""
				   " >> %s",
		 path);
	hookrun_init(&h, cmd, 5000);
	const char *states[][2] = {{"init", "single"}, {"single", "primary"},
				   {"primary", "draining"}};
	for (int i = 0; i < 3; i++) {
		HookEvent e = {.nvars = 0};
		hookrun_var(&e, "PGKEEL_OLD_STATE", states[i][0]);
		hookrun_var(&e, "PGKEEL_NEW_STATE", states[i][1]);
		assert_true(hookrun_fire(&h, &e));
	}
	run_until_idle(&h, 5000);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	assert_string_equal(buf, "init>single\nsingle>primary\nprimary>draining\n");
}

static void a_slow_hook_is_killed_and_never_blocks(void **state)
{
	HookRunner h;
	HookEvent e = {.nvars = 0};
	(void)state;

	hookrun_init(&h, "sleep 30", 200);
	int64_t t0 = time_monotonic_ms();
	assert_true(hookrun_fire(&h, &e));
	hookrun_poll(&h, time_monotonic_ms());
	assert_true(h.pid > 0);
	assert_true(time_monotonic_ms() - t0 < 1000); /* did not wait */
	run_until_idle(&h, 5000);
	assert_int_equal(h.pid, 0);
	assert_true(time_monotonic_ms() - t0 < 3000);
}

static void a_full_queue_drops_and_counts(void **state)
{
	HookRunner h;
	HookEvent e = {.nvars = 0};
	(void)state;

	hookrun_init(&h, "true", 1000);
	for (int i = 0; i < HOOK_MAX_QUEUE; i++)
		assert_true(hookrun_fire(&h, &e));
	assert_false(hookrun_fire(&h, &e));
	assert_int_equal(h.dropped, 1);
	hookrun_stop(&h);
	hookrun_init(&h, "", 1000); /* no command: nothing queued */
	assert_true(hookrun_fire(&h, &e));
	assert_int_equal(h.count, 0);
}

/* Found by the hookenv fuzz target: a value longer than a variable holds
 * was cut short (a PGDATA of /data/pg10... could reach the hook as
 * /data/pg1); it is now left out whole, and the rest still pass. */
static void a_variable_too_long_is_left_out_not_cut(void **state)
{
	char value[400];
	HookEvent e = {.nvars = 0};
	(void)state;

	memset(value, 'd', sizeof(value) - 1);
	value[0] = '/';
	value[sizeof(value) - 1] = '\0';
	assert_false(hookrun_var(&e, "PGKEEL_PGDATA", value));
	assert_int_equal(e.nvars, 0);
	value[300] = '\0';
	assert_true(hookrun_var(&e, "PGKEEL_PGDATA", value));
	assert_int_equal(e.nvars, 1);
	assert_string_equal(e.vars[0] + strlen("PGKEEL_PGDATA="), value);
	for (int i = 1; i < HOOK_MAX_VARS; i++)
		assert_true(hookrun_var(&e, "PGKEEL_X", "x"));
	assert_false(hookrun_var(&e, "PGKEEL_X", "x"));
	assert_int_equal(e.nvars, HOOK_MAX_VARS);
}

/* hookrun_wait gives the hook's answer: its exit status, with the
 * event's variables in its environment. */
static void a_waited_hook_answers_with_its_exit_status(void **state)
{
	HookEvent e = {.nvars = 0};
	int status;
	(void)state;

	hookrun_var(&e, "PGKEEL_EVENT", "pre_promote");
	assert_int_equal(hookrun_wait("test \"$PGKEEL_EVENT\" = pre_promote",
				      &e, 5000, &status),
			 HOOK_OK);
	assert_int_equal(status, 0);
	assert_int_equal(hookrun_wait("exit 3", &e, 5000, &status),
			 HOOK_FAILED);
	assert_int_equal(status, 3);
	assert_int_equal(hookrun_wait("kill -9 $$", &e, 5000, &status),
			 HOOK_FAILED);
	assert_int_equal(status, -1);
}

/* A waited hook past its timeout is killed with everything it started
 * (its process group), and the caller waited no longer than that. */
static void a_waited_hook_past_its_timeout_is_killed(void **state)
{
	char path[] = "/tmp/pgkeel-hook-XXXXXX", cmd[256], buf[32] = "";
	HookEvent e = {.nvars = 0};
	int status;
	(void)state;

	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "sleep 30 & echo $! > %s; wait", path);
	int64_t t0 = time_monotonic_ms();
	assert_int_equal(hookrun_wait(cmd, &e, 300, &status), HOOK_TIMED_OUT);
	int64_t took = time_monotonic_ms() - t0;
	assert_true(took >= 300 && took < 2000);
	assert_int_equal(status, -1);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	unlink(path);
	pid_t child = (pid_t)atoi(buf);
	assert_true(child > 0);
	int64_t deadline = time_monotonic_ms() + 5000;
	while (kill(child, 0) == 0 && time_monotonic_ms() < deadline)
		time_sleep_ms(10); /* killed; init reaps it */
	assert_int_not_equal(kill(child, 0), 0);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(events_run_in_order_with_their_variables),
	  cmocka_unit_test(a_waited_hook_answers_with_its_exit_status),
	  cmocka_unit_test(a_waited_hook_past_its_timeout_is_killed),
	  cmocka_unit_test(a_slow_hook_is_killed_and_never_blocks),
	  cmocka_unit_test(a_full_queue_drops_and_counts),
	  cmocka_unit_test(a_variable_too_long_is_left_out_not_cut))
