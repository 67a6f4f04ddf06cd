/*
 * pgclone.h - copying a data directory from another node: a fresh clone
 * with pg_basebackup, or a pg_rewind of a diverged old primary.
 */
#ifndef PGK_PGCLONE_H
#define PGK_PGCLONE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/sslconn.h"
#include "pg/pgbin.h"

typedef struct {
	const char *host;
	int port;
	const char *user;
	const char *passfile; /* the password's file; NULL: none (trust) */
	const char *dbname;
	const SslSpec *ssl;   /* NULL: libpq's defaults */
	const char *uri;      /* not NULL: the upstream is this URI (hosts,
				 user, passfile and all), the fields above
				 unused (a standby formation's leader) */
} Upstream;

/*
 * A keyword/value connection string to the upstream for replication
 * (primary_conninfo), with application_name set so the primary can name
 * this standby in synchronous_standby_names, and the node's TLS settings
 * (sslmode, sslrootcert, sslcrl). The password is never in it: libpq
 * reads it from the passfile the string names. With up->uri, that URI
 * as keyword/value text with application_name. Returns malloc'd text;
 * NULL when out of memory (or up->uri does not parse).
 */
char *upstream_conninfo(const Upstream *up, const char *application_name);

/*
 * pg_basebackup into target (which must not exist or be empty), streaming
 * WAL, through the given physical slot when slot is not NULL. Progress
 * lines are logged as they come. False with err set: "out of memory",
 * or how pg_basebackup ended and its last output (target may then hold
 * a partial copy).
 */
bool pgclone_basebackup(const PgBin *bin, const Upstream *up, const char *slot,
			const char *target, char *err, size_t errlen);
/* Runs a copying tool (argv[0] an absolute path), its output lines
 * logged as "what: line" as they come. True when it exited 0; false with
 * err set (how it ended and the end of its output). */
bool pgclone_run(const char *const *argv, const char *what, char *err,
		 size_t errlen);
/* pg_rewind of datadir (stopped) against the upstream server. False with
 * err set as pgclone_basebackup sets it (for pg_rewind). */
bool pgclone_rewind(const PgBin *bin, const Upstream *up, const char *datadir,
		    char *err, size_t errlen);

#endif
