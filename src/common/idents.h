/*
 * idents.h - what a host and a name may look like, everywhere pgkeel
 * takes one: command-line flags and pgkeel.ini (settings.c), the store's
 * CHECK constraints (pgstore_schema.c uses the same patterns) and the
 * lines pgkeel writes into pg_hba.conf. Nothing that matches can break
 * out of a configuration line, a connection string or a terminal line.
 */
#ifndef PGK_IDENTS_H
#define PGK_IDENTS_H

#include <stdbool.h>

/* POSIX extended regular expressions, also valid in Postgres's `~`. A
 * host never starts with '-' (it would read as an option). */
#define HOST_PATTERN "^[A-Za-z0-9:][A-Za-z0-9.:-]{0,252}$"
#define NAME_PATTERN "^[A-Za-z0-9_-]{1,63}$"

/* True for a host name or IP address matching HOST_PATTERN; false for
 * anything else (NULL included). */
bool host_is_valid(const char *host);
/* True for a formation, node or role name matching NAME_PATTERN; false
 * for anything else (NULL included). */
bool name_is_valid(const char *name);

#endif
