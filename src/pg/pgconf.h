/*
 * pgconf.h - the Postgres configuration pgkeel manages.
 *
 * pgkeel writes its settings to one file, postgresql.pgkeel.conf in the
 * data directory, included at the end of postgresql.conf so that it wins
 * over earlier lines while the user's own settings elsewhere in
 * postgresql.conf stay untouched. The file is regenerated as a whole from
 * a PgConfSpec (never edited in place), so writing it is idempotent.
 * standby.signal is created or removed to match the role.
 */
#ifndef PGK_PGCONF_H
#define PGK_PGCONF_H

#include <stdbool.h>
#include <stddef.h>

#define PGCONF_FILE "postgresql.pgkeel.conf"
#define PGCONF_MAX_PARAMS 64

typedef struct {
	const char *name;
	const char *value;
} PgParam;

typedef struct {
	int port;
	const char *listen_addresses;
	const char *socket_dir;
	const char *cluster_name;
	/* TLS: ssl = on when cert_file and key_file are set (else off) */
	const char *ssl_cert_file;
	const char *ssl_key_file;
	const char *ssl_ca_file;  /* NULL or "": none */
	const char *ssl_crl_file; /* NULL or "": none */
	/* standby only (NULL on a primary) */
	const char *primary_conninfo;
	const char *primary_slot_name;
	int apply_delay_ms; /* recovery_min_apply_delay; 0: not written */
	/* primary only; "" for none */
	const char *synchronous_standby_names;
	/* archiving (docs/pgbackrest.md): archive_mode = on with this
	 * archive_command, and restore_command; NULL for none */
	const char *archive_command;
	const char *restore_command;
	/* formation-wide parameters, applied after ours */
	const PgParam *params;
	size_t nparams;
} PgConfSpec;

/* The text of postgresql.pgkeel.conf for spec (malloc'd); NULL when out
 * of memory. */
char *pgconf_render(const PgConfSpec *spec);
/*
 * Writes the file if its content differs; *changed tells whether it did.
 * Also makes sure postgresql.conf includes it (appending one line).
 * False with err naming the file that could not be read, written or
 * appended to (the errno after a failed write may be stale: the write's
 * own reason is logged).
 */
bool pgconf_write(const char *datadir, const PgConfSpec *spec, bool *changed,
		  char *err, size_t errlen);
/* The include line of pgconf_write alone: true when present or added;
 * false with err naming postgresql.conf and the system's reason. */
bool pgconf_ensure_include(const char *datadir, char *err, size_t errlen);
/* Creates (on) or removes (off) standby.signal: true when it is as asked;
 * false with err naming the file and the system's reason. */
bool pgconf_standby_signal(const char *datadir, bool on, char *err,
			   size_t errlen);
/* True when datadir has a standby.signal. */
bool pgconf_has_standby_signal(const char *datadir);

/*
 * synchronous_standby_names for n of the given application names:
 * "ANY n (\"a\", \"b\")" (quorum) or "" when count or n is 0. Malloc'd;
 * NULL when out of memory.
 */
char *pgconf_sync_names(int n, const char *const *names, size_t count);
/* Single-quotes a value for postgresql.conf, doubling quotes and
 * backslashes (malloc'd); NULL for a value with a control character
 * (a line break would start another parameter). */
char *pgconf_quote(const char *value);
/* True when name can be a parameter name (letters, digits, '_' and '.',
 * not starting with a digit or '.'); pgconf_render leaves out the
 * others, which could otherwise add lines to the file. */
bool pgconf_name_is_valid(const char *name);

#endif
