/*
 * test_pidfile.c - a PID file naming a PID that another program now has
 * is not taken for a running pgkeel (so `pgkeel stop` signals nothing).
 */
#include "unit.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/pidfile.h"

static void a_reused_pid_is_not_followed(void **state)
{
	char path[64], text[32];
	(void)state;

	pid_t child = fork();
	if (child == 0) {
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	assert_true(child > 0);
	snprintf(path, sizeof(path), "/tmp/pgkeel-test-pid-%d", (int)getpid());
	snprintf(text, sizeof(text), "%d\n", (int)child);
	assert_true(fs_write_file_atomic(path, text, strlen(text), 0600));
	assert_false(pidfile_is_pgkeel(child));
	assert_int_equal(pidfile_read(path), 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	unlink(path);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(a_reused_pid_is_not_followed))
