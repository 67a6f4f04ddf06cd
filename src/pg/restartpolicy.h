/*
 * restartpolicy.h - deciding when to restart a crashed Postgres, and when to
 * stop trying and report it failed instead (a disk full, a broken
 * configuration). Pure: the caller passes what it observed and the time.
 *
 * Restarts are immediate for the first crash, then spaced by a growing
 * delay. After max_retries restarts that did not stay up, the supervisor
 * gives up until reset (the keeper reports the node failed, and the
 * monitor may fail over). A server that ran stable_ms counts as healthy
 * again and clears the count.
 */
#ifndef PGK_RESTARTPOLICY_H
#define PGK_RESTARTPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	SUPERVISE_NOTHING,  /* running, or not supposed to run */
	SUPERVISE_RESTART,  /* start it now */
	SUPERVISE_WAIT,     /* down, next attempt later */
	SUPERVISE_GAVE_UP,  /* down for good: report it */
	SUPERVISE_CLEARING  /* due, but the dead server's processes are
			       still going: look again in a moment */
} SuperviseAction;

/* How long a dead postmaster's orphaned processes get to exit by
 * themselves before they are killed (pgnode_supervise.c). */
#define SUPERVISE_CLEAR_MS 1000

typedef struct {
	int max_retries;
	int64_t stable_ms;   /* uptime after which failures are forgotten */
	int64_t backoff_ms;  /* delay before the 2nd attempt, doubled after */
	int failures;        /* consecutive failed or short-lived runs */
	int64_t up_since;    /* when it was last seen running, or -1 */
	int64_t next_try;    /* earliest time for the next attempt */
	int64_t clearing_since; /* waiting for a dead server's processes,
				   or -1 */
	bool cleared_by_kill;   /* those processes were killed */
	bool launching;         /* a restart launched, not ready yet */
	size_t launch_log;      /* the server log's size at that launch */
} Supervisor;

void supervisor_init(Supervisor *s, int max_retries);
/* What to do now, given whether Postgres runs and should run. */
SuperviseAction supervisor_step(Supervisor *s, bool running, bool should_run,
				int64_t now_ms);
/* Records the outcome of a restart attempt made at now_ms. */
void supervisor_attempted(Supervisor *s, bool started, int64_t now_ms);
/* Forgets past failures (after an operator fixed the cause). */
void supervisor_reset(Supervisor *s);


#endif
