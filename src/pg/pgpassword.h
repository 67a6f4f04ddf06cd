/*
 * pgpassword.h - changing a role's password without sending it in clear
 * text: libpq hashes it (SCRAM-SHA-256) on the client, so the statement
 * that reaches the server, and any server log of it, holds a verifier.
 */
#ifndef PGK_PGPASSWORD_H
#define PGK_PGPASSWORD_H

#include <stdbool.h>

#include "pg/pgsql.h"

/* Sets role's password (NULL role: the connected user's own). False with
 * pc->error set; the password never appears in it. */
bool pg_set_password(PgConn *pc, const char *role, const char *password);

/*
 * Gives role (NULL: the connected user) a new random password and writes
 * it to passfile: first to passfile.new, then the role, then the rename,
 * so that a failure at any step leaves a password that works. Sessions
 * already open stay up. False with err.
 */
bool pg_rotate_password(PgConn *pc, const char *role, const char *passfile,
			char *err, size_t errlen);

#endif
