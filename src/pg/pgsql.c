/*
 * pgsql.c - libpq connection and query helpers.
 */
#include "pg/pgsql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conninfo.h"
#include "common/log.h"

static void set_error(PgConn *pc, const char *msg)
{
	snprintf(pc->error, sizeof(pc->error), "%s", msg ? msg : "unknown");
	/* keep it one line: libpq messages end with a newline */
	for (char *p = pc->error; *p; p++) {
		if (*p == '\n')
			*p = (p[1] ? ' ' : '\0');
	}
}

bool pg_connect(PgConn *pc, const char *conninfo, int timeout_ms)
{
	const char *keys[] = {"dbname", "connect_timeout", "application_name",
			      NULL};
	const char *vals[] = {conninfo, NULL, "pgkeel", NULL};
	char timeout[16];

	memset(pc, 0, sizeof(*pc));
	if (timeout_ms > 0) {
		/* libpq's unit is whole seconds, at least 2 for a real limit */
		int secs = (timeout_ms + 999) / 1000;
		snprintf(timeout, sizeof(timeout), "%d", secs < 2 ? 2 : secs);
		vals[1] = timeout;
	} else {
		keys[1] = "application_name";
		vals[1] = "pgkeel";
		keys[2] = NULL;
	}
	pc->conn = PQconnectdbParams(keys, vals, 1);
	if (!pc->conn || PQstatus(pc->conn) != CONNECTION_OK) {
		set_error(pc, pc->conn ? PQerrorMessage(pc->conn)
				       : "out of memory");
		pg_disconnect(pc);
		return false;
	}
	return true;
}

bool pg_connect_local(PgConn *pc, const char *sockdir, int port,
		      const char *dbname, int timeout_ms)
{
	char portbuf[16];
	char *ci = NULL;

	snprintf(portbuf, sizeof(portbuf), "%d", port);
	ci = conninfo_append(ci, "host", sockdir);
	ci = conninfo_append(ci, "port", portbuf);
	ci = conninfo_append(ci, "dbname", dbname ? dbname : "postgres");
	bool ok = ci && pg_connect(pc, ci, timeout_ms);
	if (!ci)
		set_error(pc, "out of memory");
	free(ci);
	return ok;
}

void pg_disconnect(PgConn *pc)
{
	if (pc->conn)
		PQfinish(pc->conn);
	pc->conn = NULL;
}

PGresult *pg_query(PgConn *pc, const char *sql, int nparams,
		   const char *const *params)
{
	PGresult *res;

	pc->sqlstate[0] = '\0';
	if (!pc->conn) {
		set_error(pc, "not connected");
		return NULL;
	}
	res = PQexecParams(pc->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
				: NULL;
	snprintf(pc->sqlstate, sizeof(pc->sqlstate), "%s", state ? state : "");
	set_error(pc, res ? PQresultErrorMessage(res)
			  : PQerrorMessage(pc->conn));
	log_debug("query failed: %s (%s)", pc->error, sql);
	PQclear(res);
	return NULL;
}

bool pg_exec(PgConn *pc, const char *sql, int nparams,
	     const char *const *params)
{
	PGresult *res = pg_query(pc, sql, nparams, params);
	PQclear(res);
	return res != NULL;
}

bool pg_query_value(PgConn *pc, const char *sql, int nparams,
		    const char *const *params, char *buf, size_t len)
{
	PGresult *res = pg_query(pc, sql, nparams, params);

	if (!res)
		return false;
	if (PQntuples(res) < 1 || PQnfields(res) < 1) {
		set_error(pc, "query returned no row");
		PQclear(res);
		return false;
	}
	snprintf(buf, len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}

char *pg_quote_ident(PgConn *pc, const char *ident)
{
	char *q = PQescapeIdentifier(pc->conn, ident, strlen(ident));
	char *copy = q ? strdup(q) : NULL;
	PQfreemem(q);
	return copy;
}

char *pg_quote_literal(PgConn *pc, const char *text)
{
	char *q = PQescapeLiteral(pc->conn, text, strlen(text));
	char *copy = q ? strdup(q) : NULL;
	PQfreemem(q);
	return copy;
}
