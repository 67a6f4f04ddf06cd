/*
 * reaper.c - child subreaper and non-blocking reaping.
 */
#include "common/reaper.h"

#include <stddef.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "common/log.h"

void reaper_adopt_orphans(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		log_warn("cannot become a child subreaper; crashed Postgres "
			 "servers may linger as zombies");
}

void reaper_reap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}
