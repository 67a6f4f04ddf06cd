/*
 * reaper.h - the keeper and the monitor adopt the Postgres they start.
 *
 * pg_ctl starts the postmaster and exits, so the postmaster is orphaned.
 * Where PID 1 does not reap orphans (many containers), a postmaster that
 * crashed stays a zombie, and the next start fails because its old PID
 * still looks alive. Declaring the daemon a child subreaper (Linux
 * prctl) makes it the postmaster's parent, and reaping it each cycle
 * clears the zombie at once.
 */
#ifndef PGK_REAPER_H
#define PGK_REAPER_H

/* Makes this process a child subreaper; when the system refuses, a
 * warning is logged and orphans are left to PID 1. */
void reaper_adopt_orphans(void);
/* Collects every exited child without blocking. */
void reaper_reap(void);

#endif
