/*
 * svcenv.c - executing the service again with svcenv.h's variable set.
 */
#include "common/svcenv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* The name ps and top show (comm): started through /proc/self/exe it
 * would be "exe"; it is the program's name, as when it was started. */
static void keep_name(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
	const char *base = slash ? slash + 1 : argv0;

	if (base && *base)
		prctl(PR_SET_NAME, base, 0, 0, 0);
}

int svcenv_reexec(char *const argv[])
{
	if (getenv(SVCENV_NAME)) { /* set: by the unit, by hand, or by the
				    * exec below */
		keep_name(argv[0]);
		return 0;
	}
	if (setenv(SVCENV_NAME, SVCENV_VALUE, 1) != 0)
		return errno;
	fflush(NULL); /* nothing is written yet; should it ever be */
	execv("/proc/self/exe", argv);
	int err = errno;
	unsetenv(SVCENV_NAME);
	return err;
}
