/*
 * pgsql.h - a thin libpq wrapper: connect with a time limit, run a query
 * with parameters, read single values, and report errors with the server's
 * own message.
 */
#ifndef PGK_PGSQL_H
#define PGK_PGSQL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#define PG_MAX_PREPARED 48

typedef struct {
	PGconn *conn;
	char error[1024]; /* last error, one line */
	char sqlstate[6]; /* SQLSTATE of the last failed query, or "" */
	/* > 0: a query without an answer by then fails and closes the
	 * connection (a partition drops packets silently: without this a
	 * query could wait for TCP to give up, minutes later) */
	int query_timeout_ms;
	/* statements prepared on this connection, by their SQL's address */
	const char *prepared[PG_MAX_PREPARED];
	int nprepared;
} PgConn;

/*
 * Connects with the given conninfo (keyword/value or URI), adding
 * connect_timeout when timeout_ms > 0. Returns false with pc->error set.
 */
bool pg_connect(PgConn *pc, const char *conninfo, int timeout_ms);
/* Connects to the local server of a data directory via its socket; as
 * pg_connect, false with pc->error set. */
bool pg_connect_local(PgConn *pc, const char *sockdir, int port,
		      const char *dbname, int timeout_ms);
/* Closes the connection (if any); pc->error is kept. */
void pg_disconnect(PgConn *pc);

/*
 * Runs sql with text parameters ($1...). Returns the result on success
 * (PGRES_COMMAND_OK or PGRES_TUPLES_OK), NULL with pc->error set.
 */
PGresult *pg_query(PgConn *pc, const char *sql, int nparams,
		   const char *const *params);
/*
 * pg_query for a statement run again and again: sql must be a string
 * constant (its address identifies it); it is prepared on first use on
 * each connection, which saves the parsing and planning afterwards. On a
 * connection with a query deadline, the preparation and each run keep
 * to it as pg_query does. The result, or NULL with pc->error set (the
 * connection is closed when the deadline passed).
 */
PGresult *pg_query_cached(PgConn *pc, const char *sql, int nparams,
			  const char *const *params);
/*
 * Runs sql over the simple query protocol (no parameters, no
 * preparation), as consoles that speak no more than that need (pgBouncer's
 * admin console); keeps to the connection's query deadline like pg_query.
 * The result on success, NULL with pc->error set (the connection closed
 * when no answer came in time).
 */
PGresult *pg_query_simple(PgConn *pc, const char *sql);
/* Runs a command; true on success, false with pc->error set. */
bool pg_exec(PgConn *pc, const char *sql, int nparams,
	     const char *const *params);
/*
 * Runs a query that returns one value into buf (empty string for NULL).
 * False with pc->error set on error or when the query returned no row.
 */
bool pg_query_value(PgConn *pc, const char *sql, int nparams,
		    const char *const *params, char *buf, size_t len);
/*
 * The TCP hosts named by a conninfo or URI (host=h1,h2 or
 * postgres://h1,h2/...; hostaddr when no host is given), without the
 * Unix-socket directories, into hosts[]; returns how many (up to max; 0
 * when conninfo does not parse).
 */
size_t pg_conninfo_hosts(const char *conninfo, char (*hosts)[256],
			 size_t max);
/* pg_quote_ident, pg_quote_literal: quotes an identifier (role, slot) or
 * a literal for SQL; malloc'd.
 * NULL when not connected, text is not valid in the connection's
 * encoding, or memory ran out: pc->error is NOT set then (libpq's
 * message is in PQerrorMessage(pc->conn)). */
char *pg_quote_ident(PgConn *pc, const char *ident);
char *pg_quote_literal(PgConn *pc, const char *text);

#endif
