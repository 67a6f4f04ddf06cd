/*
 * pgsql.c - libpq connection and query helpers.
 */
#include "pg/pgsql.h"

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conninfo.h"
#include "common/log.h"
#include "common/timeutil.h"

static void set_error(PgConn *pc, const char *msg)
{
	snprintf(pc->error, sizeof(pc->error), "%s", msg ? msg : "unknown");
	/* keep it one line: libpq messages end with a newline */
	for (char *p = pc->error; *p; p++) {
		if (*p == '\n')
			*p = (p[1] ? ' ' : '\0');
	}
}

/* Drives an asynchronous connection attempt until the deadline: libpq's
 * own connect_timeout counts whole seconds, at least 2, too coarse for
 * the keeper's store_timeout. */
static bool connect_until(PgConn *pc, int timeout_ms)
{
	int64_t deadline = time_monotonic_ms() + timeout_ms;
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;

	while (st != PGRES_POLLING_OK) {
		if (st == PGRES_POLLING_FAILED)
			return false;
		int64_t left = deadline - time_monotonic_ms();
		struct pollfd pfd = {
			.fd = PQsocket(pc->conn),
			.events = st == PGRES_POLLING_READING ? POLLIN
							      : POLLOUT};
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
			snprintf(pc->error, sizeof(pc->error),
				 "no connection within %d ms", timeout_ms);
			return false;
		}
		st = PQconnectPoll(pc->conn);
	}
	return true;
}

/* libpq's TLS errors say what failed; add what to check. */
static void hint_tls(PgConn *pc)
{
	static const char *const hints[][2] = {
		{"certificate verify failed",
		 "the server's certificate is not signed by the CA in "
		 "ssl.ca_file (--ssl-ca-file), or has expired"},
		{"does not match host name",
		 "the server's certificate must name the host connected to "
		 "(its --hostname) in its subjectAltName"},
		{"does not support SSL",
		 "that server runs without TLS; nodes of a formation must all "
		 "use TLS, or all --no-ssl"},
		{"root certificate file",
		 "ssl.mode verify-ca and verify-full need ssl.ca_file "
		 "(--ssl-ca-file)"},
	};
	size_t n = strlen(pc->error);

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		if (strstr(pc->error, hints[i][0])) {
			snprintf(pc->error + n, sizeof(pc->error) - n,
				 " (TLS: %s)", hints[i][1]);
			return;
		}
	}
}

bool pg_connect(PgConn *pc, const char *conninfo, int timeout_ms)
{
	const char *keys[] = {"dbname", "application_name", NULL};
	const char *vals[] = {conninfo, "pgkeel", NULL};

	memset(pc, 0, sizeof(*pc));
	if (timeout_ms > 0) {
		pc->conn = PQconnectStartParams(keys, vals, 1);
		if (pc->conn && PQstatus(pc->conn) != CONNECTION_BAD &&
		    connect_until(pc, timeout_ms))
			return true;
		if (pc->conn && !pc->error[0])
			set_error(pc, PQerrorMessage(pc->conn));
	} else {
		pc->conn = PQconnectdbParams(keys, vals, 1);
		if (pc->conn && PQstatus(pc->conn) == CONNECTION_OK)
			return true;
		if (pc->conn)
			set_error(pc, PQerrorMessage(pc->conn));
	}
	if (!pc->conn)
		set_error(pc, "out of memory");
	hint_tls(pc);
	pg_disconnect(pc);
	return false;
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
	pc->nprepared = 0; /* prepared statements die with the session */
}

/* Waits until the connection has input (or can send), or the deadline. */
static bool wait_socket(PgConn *pc, bool out, int64_t deadline)
{
	int64_t left = deadline - time_monotonic_ms();
	struct pollfd pfd = {.fd = PQsocket(pc->conn),
			     .events = (short)(POLLIN | (out ? POLLOUT : 0))};
	return left > 0 && poll(&pfd, 1, (int)left) > 0;
}

/* The results of what was just sent, read by the deadline (monotonic): the last
 * result, or NULL after a timeout (the connection is closed then) or a
 * send failure. */
static PGresult *results_until(PgConn *pc, int sent, int64_t deadline)
{
	PGresult *last = NULL, *r;

	if (!sent)
		return NULL;
	for (;;) {
		int pending = PQflush(pc->conn);
		if (pending < 0 || !PQconsumeInput(pc->conn))
			break;
		if (pending == 0 && !PQisBusy(pc->conn)) {
			if ((r = PQgetResult(pc->conn)) == NULL)
				return last;
			PQclear(last);
			last = r;
			continue;
		}
		if (!wait_socket(pc, pending == 1, deadline)) {
			PQclear(last);
			snprintf(pc->error, sizeof(pc->error),
				 "no answer within %d ms; connection closed",
				 pc->query_timeout_ms);
			pg_disconnect(pc);
			return NULL;
		}
	}
	PQclear(last);
	return NULL;
}

/* PQexecParams with a deadline (results_until). */
static PGresult *exec_until(PgConn *pc, const char *sql, int nparams,
			    const char *const *params)
{
	return results_until(pc,
			     PQsendQueryParams(pc->conn, sql, nparams, NULL,
					       params, NULL, NULL, 0),
			     time_monotonic_ms() + pc->query_timeout_ms);
}

/* A prepared statement's run, or a preparation: at once, or by the
 * deadline on a connection that has one (then both share it). */
static PGresult *exec_prepared(PgConn *pc, const char *name, int nparams,
			       const char *const *params, int64_t deadline)
{
	if (pc->query_timeout_ms <= 0)
		return PQexecPrepared(pc->conn, name, nparams, params, NULL,
				      NULL, 0);
	return results_until(pc,
			     PQsendQueryPrepared(pc->conn, name, nparams,
						 params, NULL, NULL, 0),
			     deadline);
}

static PGresult *prepare(PgConn *pc, const char *name, const char *sql,
			 int nparams, int64_t deadline)
{
	if (pc->query_timeout_ms <= 0)
		return PQprepare(pc->conn, name, sql, nparams, NULL);
	return results_until(
		pc, PQsendPrepare(pc->conn, name, sql, nparams, NULL),
		deadline);
}

static PGresult *checked(PgConn *pc, PGresult *res, const char *sql);

PGresult *pg_query(PgConn *pc, const char *sql, int nparams,
		   const char *const *params)
{
	PGresult *res;

	pc->sqlstate[0] = '\0';
	if (!pc->conn) {
		set_error(pc, "not connected");
		return NULL;
	}
	if (pc->query_timeout_ms > 0) {
		res = exec_until(pc, sql, nparams, params);
		if (!pc->conn)
			return NULL; /* timed out: pc->error says so */
	} else {
		res = PQexecParams(pc->conn, sql, nparams, NULL, params, NULL,
				   NULL, 0);
	}
	return checked(pc, res, sql);
}

PGresult *pg_query_simple(PgConn *pc, const char *sql)
{
	PGresult *res;

	pc->sqlstate[0] = '\0';
	if (!pc->conn) {
		set_error(pc, "not connected");
		return NULL;
	}
	if (pc->query_timeout_ms <= 0)
		return checked(pc, PQexec(pc->conn, sql), sql);
	res = results_until(pc, PQsendQuery(pc->conn, sql),
			    time_monotonic_ms() + pc->query_timeout_ms);
	return pc->conn ? checked(pc, res, sql) : NULL;
}

/* res if it succeeded; otherwise NULL with the error recorded. */
static PGresult *checked(PgConn *pc, PGresult *res, const char *sql)
{
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

/* The prepared statement's index for sql, preparing it if needed; -1
 * when it cannot be (no room, or the server refused). */
static int prepared_index(PgConn *pc, const char *sql, int nparams,
			  int64_t deadline)
{
	char name[16];
	for (int i = 0; i < pc->nprepared; i++) {
		if (pc->prepared[i] == sql)
			return i;
	}
	if (pc->nprepared >= PG_MAX_PREPARED)
		return -1;
	snprintf(name, sizeof(name), "pgk%d", pc->nprepared);
	PGresult *res = prepare(pc, name, sql, nparams, deadline);
	bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok)
		return -1;
	pc->prepared[pc->nprepared] = sql;
	return pc->nprepared++;
}

PGresult *pg_query_cached(PgConn *pc, const char *sql, int nparams,
			  const char *const *params)
{
	char name[16];

	if (!pc->conn)
		return pg_query(pc, sql, nparams, params);
	int64_t deadline = time_monotonic_ms() + pc->query_timeout_ms;
	int i = prepared_index(pc, sql, nparams, deadline);
	if (!pc->conn)
		return NULL; /* the preparation timed out: pc->error says so */
	if (i < 0)
		return pg_query(pc, sql, nparams, params);
	pc->sqlstate[0] = '\0';
	snprintf(name, sizeof(name), "pgk%d", i);
	PGresult *res = exec_prepared(pc, name, nparams, params, deadline);
	if (!pc->conn)
		return NULL; /* timed out */
	return checked(pc, res, sql);
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

/* The value of key in a parsed conninfo, or NULL. */
static const char *option(const PQconninfoOption *opts, const char *key)
{
	for (const PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (strcmp(o->keyword, key) == 0)
			return o->val && *o->val ? o->val : NULL;
	}
	return NULL;
}

size_t pg_conninfo_hosts(const char *conninfo, char (*hosts)[256],
			 size_t max)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	const char *list = option(opts, "host");
	size_t n = 0;

	if (!list)
		list = option(opts, "hostaddr");
	for (const char *p = list; p && *p && n < max;) {
		size_t len = strcspn(p, ",");
		if (len > 0 && len < sizeof(hosts[0]) && p[0] != '/' &&
		    p[0] != '@')
			snprintf(hosts[n++], sizeof(hosts[0]), "%.*s", (int)len,
				 p);
		p += len + (p[len] == ',');
	}
	PQconninfoFree(opts);
	return n;
}
