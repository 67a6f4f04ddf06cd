/*
 * test_procwatch.c - a watched process's end makes the descriptor
 * readable; once taken, it is not readable again for that PID, and a
 * PID that is gone already counts as ended.
 */
#include "unit.h"
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/procwatch.h"

static bool readable(const ProcWatch *w, int ms)
{
	struct pollfd p = {.fd = procwatch_fd(w), .events = POLLIN};
	return poll(&p, 1, ms) == 1;
}

static pid_t sleeper(void)
{
	pid_t child = fork();
	if (child == 0) {
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	assert_true(child > 0);
	return child;
}

static void an_end_wakes_once(void **state)
{
	ProcWatch w;
	(void)state;

	assert_true(procwatch_open(&w));
	pid_t a = sleeper(), b = sleeper();
	procwatch_set(&w, 0, a);
	procwatch_set(&w, 1, b);
	assert_true(procwatch_live(&w, 0) && procwatch_live(&w, 1));
	assert_false(readable(&w, 50));

	kill(a, SIGKILL); /* a zombie until reaped: ended all the same */
	assert_true(readable(&w, 5000));
	assert_true(procwatch_take(&w));
	assert_false(procwatch_live(&w, 0));
	assert_true(procwatch_live(&w, 1));
	assert_false(readable(&w, 50));

	procwatch_set(&w, 0, a); /* the same dead PID: not armed again */
	assert_false(procwatch_live(&w, 0));
	assert_false(readable(&w, 50));

	waitpid(a, NULL, 0);
	procwatch_set(&w, 0, 0);
	procwatch_set(&w, 0, a); /* gone: ended at once */
	assert_false(procwatch_live(&w, 0));

	kill(b, SIGKILL);
	waitpid(b, NULL, 0);
	assert_true(readable(&w, 5000));
	assert_true(procwatch_take(&w));
	assert_false(procwatch_take(&w));
	procwatch_close(&w);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(an_end_wakes_once))
