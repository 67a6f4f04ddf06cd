/*
 * pgctl.h - the life of a local Postgres server: initdb, start, stop,
 * reload, and whether it is running (read from postmaster.pid, cheap
 * enough for every keeper cycle).
 */
#ifndef PGK_PGCTL_H
#define PGK_PGCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/lsn.h"
#include "pg/pgbin.h"

typedef enum { STOP_SMART, STOP_FAST, STOP_IMMEDIATE } PgStopMode;

typedef enum {
	PM_NOT_RUNNING = 0,
	PM_STARTING,
	PM_READY,    /* accepting connections (primary or hot standby) */
	PM_STOPPING,
	PM_UNKNOWN   /* running, status line not understood */
} PgPmStatus;

typedef struct {
	pid_t pid;
	int port;
	char sockdir[512];
	PgPmStatus status;
} PgPostmaster;

/* initdb with data checksums, UTF8, peer auth on the socket. False with
 * err set: "initdb failed" and the end of its output. */
bool pgctl_initdb(const PgBin *bin, const char *datadir, char *err,
		  size_t errlen);
/*
 * pg_ctl start, logging to logfile, waiting up to timeout_ms for the
 * server to accept connections. True also when it was running already.
 * On failure (false) err carries the end of the server log, which names
 * the cause (port in use, disk full, ...).
 */
bool pgctl_start(const PgBin *bin, const char *datadir, const char *logfile,
		 int timeout_ms, char *err, size_t errlen);
/*
 * pg_ctl start without waiting: the server is on its way (recovering,
 * then accepting connections, which pgctl_status tells) or has already
 * failed; the caller looks at it again later. False, with err set (the
 * server log's lines), only when pg_ctl could not launch it or no
 * postmaster appeared at all.
 */
bool pgctl_launch(const PgBin *bin, const char *datadir, const char *logfile,
		  char *err, size_t errlen);
/* pgctl_log_size: the server log's size, before a start (0 when it
 * cannot be read); pgctl_start_log: then what that start wrote there
 * that names why it failed (or its last lines), into buf, which it
 * returns (never NULL). */
size_t pgctl_log_size(const char *logfile);
const char *pgctl_start_log(const char *logfile, size_t offset, char *buf,
			    size_t len);
/* Stops the server if it runs; true when it is not running after (pg_ctl
 * may have failed); false with err set: "Postgres did not stop" and the
 * end of pg_ctl's output. */
bool pgctl_stop(const PgBin *bin, const char *datadir, PgStopMode mode,
		int timeout_ms, char *err, size_t errlen);
/* SIGHUP to the postmaster. False with err set when it is not running
 * or cannot be signalled. */
bool pgctl_reload(const char *datadir, char *err, size_t errlen);
/* Reads postmaster.pid; PM_NOT_RUNNING when absent or stale (out's pid
 * is then 0). */
PgPmStatus pgctl_status(const char *datadir, PgPostmaster *out);
/* True when datadir holds a Postgres data directory (PG_VERSION). */
bool pgctl_is_datadir(const char *datadir);
/* The major version in datadir/PG_VERSION, or 0 when it is unreadable. */
int pgctl_datadir_major(const char *datadir);
/* "smart", "fast" or "immediate"; never NULL. */
const char *pgctl_stop_mode_name(PgStopMode mode);
/* "Latest checkpoint location" of a stopped server, from pg_controldata:
 * false when pg_controldata fails or prints no readable location
 * (nothing is logged; *out is then unchanged). */
bool pgctl_checkpoint_lsn(const PgBin *bin, const char *datadir, Lsn *out);

#endif
