/*
 * pgbouncer.h - a pgBouncer in front of a formation: the [databases]
 * section that sends its pool to the primary, and the admin console's
 * commands (SHOW DATABASES, PAUSE, RESUME, RELOAD), which speak the
 * simple query protocol only. Who sends them, and when, is in
 * docs/pgbouncer.md.
 */
#ifndef PGK_PGBOUNCER_H
#define PGK_PGBOUNCER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/config.h"
#include "pg/pgsql.h"

typedef struct {
	bool enabled;            /* pgbouncer.admin_uri is set */
	char admin_uri[4096];    /* its password is in the passfile it names */
	char databases_file[4096];
	char database[64];       /* the pool, and the database it opens */
	char formation[64];      /* named in the file's comment */
	int pause_timeout_ms;    /* 0: switchovers do not pause */
	int timeout_ms;          /* connecting, and every other command */
	PgConn admin;            /* kept across calls; closed on failure */
	int64_t retry_ms;        /* monotonic: no new connection before */
	char last_error[256];    /* the caller's last logged failure */
} PgBouncer;

/* What SHOW DATABASES says of the pool. */
typedef struct {
	bool found;
	char host[256];
	int port;
	bool paused;
} PgbPool;

/* Reads the [pgbouncer] settings (the admin connection is opened when
 * first needed); timeout_ms limits each connection and command. */
void pgbouncer_from_config(const Config *cfg, int timeout_ms, PgBouncer *b);
void pgbouncer_close(PgBouncer *b);
/* True when b's admin URI holds a password itself rather than naming a
 * passfile (false also for a URI libpq cannot parse). */
bool pgbouncer_uri_has_password(const PgBouncer *b);

/* The [databases] section for a pool named database served by
 * host:port; `pgkeel show pgbouncer-config` and the keeper both write
 * it. False, writing nothing, when the host or the name could add a
 * field or a line (the store checks them too: not relied upon). */
bool pgbouncer_write_databases(FILE *out, const char *formation,
			       const char *database, const char *host,
			       int port);

/* SHOW DATABASES, the row of b's pool; false with err when the console
 * does not answer. */
bool pgbouncer_show(PgBouncer *b, PgbPool *pool, char *err, size_t errlen);
/*
 * PAUSE of b's pool, which returns once its server connections are
 * released. Not done within pause_timeout (or failed): RESUMEd again,
 * false with err, and the caller goes on without the pause.
 */
bool pgbouncer_pause(PgBouncer *b, char *err, size_t errlen);
/* RESUME of b's pool when it is paused; true when it is not paused. */
bool pgbouncer_resume(PgBouncer *b, char *err, size_t errlen);
/*
 * Points b's pool at host:port, each step only when needed: the
 * databases file rewritten and RELOAD when SHOW DATABASES names another
 * server, RESUME when it is paused. True when the pool goes to
 * host:port unpaused (*changed: whether anything was sent); false with
 * err set by the step that failed.
 */
bool pgbouncer_point(PgBouncer *b, const char *host, int port,
		     bool *changed, char *err, size_t errlen);

#endif
