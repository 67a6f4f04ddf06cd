/*
 * pgbackrest.h - pgBackRest as pgkeel uses it (docs/pgbackrest.md): the
 * archive_command and restore_command every node runs with when its
 * formation names a stanza, and `pgbackrest restore` into an empty data
 * directory, for a standby cloned from the latest backup or a primary
 * restored to a point in time.
 *
 * Both commands run through Postgres's shell, so the stanza, the
 * configuration file and the data directory they name are checked first:
 * a stanza is a name (common/idents.h), a path is absolute and made of
 * letters, digits and "_./-" only. Nothing else reaches a command line.
 */
#ifndef PGK_PGBACKREST_H
#define PGK_PGBACKREST_H

#include <stdbool.h>
#include <stddef.h>

#include "pg/pgbin.h"

#define PGBACKREST_PROGRAM "pgbackrest"
#define PGBACKREST_DEFAULT_CONFIG "/etc/pgbackrest/pgbackrest.conf"

typedef struct {
	const char *stanza; /* NAME_PATTERN */
	const char *config; /* pgbackrest.conf, an absolute path */
	const char *pgdata; /* this node's data directory (pg1-path) */
} PgBackRest;

/* True when a path may be named in a command Postgres hands to the
 * shell; false (nothing else said) otherwise. */
bool pgbackrest_path_ok(const char *path);
/* True when stanza, config and pgdata are all safe; false with err set
 * (which one is not). */
bool pgbackrest_check(const PgBackRest *br, char *err, size_t errlen);

/*
 * "pgbackrest --stanza=S --config=C --pg1-path=D archive-push %p", and
 * archive-get %f "%p" for restore_command: the text of the parameter,
 * before pgconf_quote, into buf. True when written; false with err set
 * when pgbackrest_check fails or buf is too small. Both of
 * pgbackrest_archive_command and pgbackrest_restore_command.
 */
bool pgbackrest_archive_command(const PgBackRest *br, char *buf, size_t len,
				char *err, size_t errlen);
bool pgbackrest_restore_command(const PgBackRest *br, char *buf, size_t len,
				char *err, size_t errlen);

/*
 * `pgbackrest restore` of the stanza's latest backup into br->pgdata
 * (empty or absent), its output logged line by line as it comes.
 * target_time NULL: --type=preserve, no recovery settings written
 * (pgkeel writes standby.signal and restore_command itself, for a
 * standby); otherwise --type=time --target=target_time
 * --target-action=promote, or --type=default for "" (the whole archive,
 * then promotion): pgBackRest writes recovery.signal and its recovery
 * settings into postgresql.auto.conf (pgbackrest_recovery_settings).
 * True when pgBackRest succeeded; false with err set (a name or path
 * refused, pgbackrest not in PATH, or the end of its output), the
 * directory then holding whatever the restore left: the caller empties it.
 */
bool pgbackrest_restore(const PgBackRest *br, const char *target_time,
			char *err, size_t errlen);

/* The recovery settings pgbackrest_restore had pgBackRest write into
 * postgresql.auto.conf, for ALTER SYSTEM RESET once promoted. */
extern const char *const pgbackrest_recovery_settings[];

#endif
