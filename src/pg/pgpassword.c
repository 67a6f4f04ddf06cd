/*
 * pgpassword.c - ALTER ROLE ... PASSWORD with a client-side SCRAM verifier.
 */
#define _GNU_SOURCE /* asprintf */
#include "pg/pgpassword.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/passfile.h"

bool pg_set_password(PgConn *pc, const char *role, const char *password)
{
	char user[256];

	if (!role && !pg_query_value(pc, "SELECT current_user", 0, NULL, user,
				     sizeof(user)))
		return false;
	const char *who = role ? role : user;
	char *verifier = PQencryptPasswordConn(pc->conn, password, who,
					       "scram-sha-256");
	char *ident = verifier ? pg_quote_ident(pc, who) : NULL;
	char *lit = ident ? pg_quote_literal(pc, verifier) : NULL;
	char *sql = NULL;
	bool ok = lit && asprintf(&sql, "ALTER ROLE %s PASSWORD %s", ident,
				  lit) > 0;
	if (!ok)
		snprintf(pc->error, sizeof(pc->error),
			 "cannot hash the new password: %s",
			 PQerrorMessage(pc->conn));
	ok = ok && pg_exec(pc, sql, 0, NULL);
	PQfreemem(verifier);
	free(ident);
	free(lit);
	free(sql);
	return ok;
}

/* The new password goes to a new file first, then to the store, then the
 * file replaces the old one: a failure at any step leaves a password
 * that works. Sessions already open stay up. */
bool pg_rotate_password(PgConn *pc, const char *role, const char *passfile,
			char *err, size_t errlen)
{
	char pw[49], tmp[1300], user[80];
	bool ok = passfile_random_password(pw, sizeof(pw)) &&
		  (role || pg_query_value(pc, "SELECT current_user", 0, NULL,
					  user, sizeof(user)));

	snprintf(tmp, sizeof(tmp), "%s.new", passfile);
	if (!ok)
		snprintf(err, errlen, "cannot make a new password: %s",
			 pc->error);
	ok = ok && passfile_write(tmp, role ? role : user, pw, err, errlen);
	if (ok && !pg_set_password(pc, role, pw)) {
		snprintf(err, errlen, "%s", pc->error);
		unlink(tmp);
		ok = false;
	}
	memset(pw, 0, sizeof(pw));
	if (ok && rename(tmp, passfile) != 0) {
		snprintf(err, errlen, "the password changed but %s could not "
				      "replace %s (%s): move it by hand",
			 tmp, passfile, strerror(errno));
		ok = false;
	}
	return ok;
}
