/*
 * pgbin.h - finding the PostgreSQL server programs and their version.
 *
 * The directory comes from --pg-bindir (or --pgctl's directory); without
 * it, the one version installed under /usr/lib/postgresql is used, or the
 * pg_ctl found on PATH. Several installed versions and no choice is an
 * error that lists them. PostgreSQL 13 and newer are supported.
 */
#ifndef PGK_PGBIN_H
#define PGK_PGBIN_H

#include <stdbool.h>
#include <stddef.h>

#define PG_MIN_MAJOR 13

typedef struct {
	char bindir[1024];
	int major;          /* 15 */
	char version[64];   /* "15.18" */
} PgBin;

/* Finds the binaries (bindir, or as above) and their version. False with
 * err set: no or several installed versions (listed), a program missing,
 * an unreadable version, or a version older than PG_MIN_MAJOR. */
bool pgbin_resolve(const char *bindir, PgBin *out, char *err, size_t errlen);
/* Full path of prog (initdb, pg_ctl, ...) in the resolved directory,
 * into buf (cut to fit); returns buf, never NULL. */
const char *pgbin_path(const PgBin *bin, const char *prog, char *buf,
		       size_t len);
/* Parses "postgres (PostgreSQL) 15.18 (Debian ...)" into major/version;
 * false when text holds no such version. */
bool pgbin_parse_version(const char *text, int *major, char *version,
			 size_t len);

#endif
