/*
 * sdnotify.h - telling systemd how the service is doing (docs/systemd.md).
 *
 * Under a unit with Type=notify, `pgkeel run` says READY=1 once its loop
 * runs, WATCHDOG=1 after every cycle of that loop (so that WatchdogSec=
 * restarts a keeper or monitor that hangs), and STOPPING=1 when it
 * leaves the loop. Every call is a no-op when NOTIFY_SOCKET is unset,
 * that is, when not started by systemd.
 *
 * The programs pgkeel starts (pg_ctl, Postgres, hooks) must not inherit
 * NOTIFY_SOCKET: Postgres would send its own READY=1 and STOPPING=1 to
 * pgkeel's socket. runprog.c and hookrun.c leave it out of their
 * children's environment.
 */
#ifndef PGK_SDNOTIFY_H
#define PGK_SDNOTIFY_H

#include <stdbool.h>

#define SDNOTIFY_SOCKET_ENV "NOTIFY_SOCKET"

/* True when pgkeel was started with a notification socket (systemd
 * set NOTIFY_SOCKET), false otherwise. */
bool sdnotify_enabled(void);
/* The loop runs: READY=1, with a STATUS= line. */
void sdnotify_ready(const char *status);
/* One more cycle of the loop completed: WATCHDOG=1. */
void sdnotify_watchdog(void);
/* The loop ended; Postgres is being stopped: STOPPING=1. */
void sdnotify_stopping(void);

#endif
