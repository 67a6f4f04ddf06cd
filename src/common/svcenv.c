/*
 * svcenv.c - executing the service again with svcenv.h's variable set.
 */
#include "common/svcenv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int svcenv_reexec(char *const argv[])
{
	if (getenv(SVCENV_NAME))
		return 0; /* set: by the unit, by hand, or by the exec below */
	if (setenv(SVCENV_NAME, SVCENV_VALUE, 1) != 0)
		return errno;
	fflush(NULL); /* nothing is written yet; should it ever be */
	execv("/proc/self/exe", argv);
	int err = errno;
	unsetenv(SVCENV_NAME);
	return err;
}
