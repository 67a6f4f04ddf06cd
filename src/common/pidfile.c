/*
 * pidfile.c - writing, reading and releasing a service's PID file.
 */
#include "common/pidfile.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/log.h"

/* Whether pid runs a pgkeel binary: a PID file left by a crash may
 * name a number the system gave to another program since. */
bool pidfile_is_pgkeel(pid_t pid)
{
	char link[64], exe[4096];

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(link, exe, sizeof(exe) - 1);
	if (n <= 0)
		return false; /* gone, or another user's: not our service */
	exe[n] = '\0';
	const char *base = strrchr(exe, '/');
	return strncmp(base ? base + 1 : exe, "pgkeel", 6) == 0;
}

pid_t pidfile_read(const char *path)
{
	char *text = fs_read_file(path, NULL);
	pid_t pid = text ? (pid_t)atoi(text) : 0;

	free(text);
	if (pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH) ||
	    !pidfile_is_pgkeel(pid))
		return 0;
	return pid;
}

bool pidfile_acquire(const char *path, char *err, size_t errlen)
{
	char text[32];
	pid_t other = pidfile_read(path);

	if (other > 0 && other != getpid()) {
		snprintf(err, errlen,
			 "pgkeel is already running for this node (pid %d, "
			 "%s)",
			 (int)other, path);
		return false;
	}
	snprintf(text, sizeof(text), "%d\n", (int)getpid());
	if (!fs_write_file_atomic(path, text, strlen(text), 0600)) {
		snprintf(err, errlen, "cannot write %s", path);
		return false;
	}
	return true;
}

void pidfile_release(const char *path)
{
	if (pidfile_read(path) == getpid() && unlink(path) != 0 &&
	    errno != ENOENT)
		log_warn("cannot remove %s: %s", path, strerror(errno));
}
