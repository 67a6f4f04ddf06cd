/*
 * pgdbroles.h - the roles pgkeel creates on a data node's Postgres: the
 * replication role its nodes use between themselves (LOGIN REPLICATION,
 * a password or none with trust, and the grants pg_rewind needs to read
 * files from a source server without being a superuser), and the role
 * the monitor's health checks log in as (LOGIN and nothing else).
 */
#ifndef PGK_PGDBROLES_H
#define PGK_PGDBROLES_H

#include <stdbool.h>

#include "pg/pgsql.h"

/* Creates or updates the role; password "" leaves it without one. The
 * password is sent as a SCRAM verifier computed here. True when done;
 * false with the failed statement's error logged (and in pc->error),
 * or with nothing logged when the role's name could not be quoted (no
 * connection, out of memory). */
bool pgdbroles_ensure_replication(PgConn *pc, const char *user,
				const char *password);

/*
 * The health-check role: the monitor holds one connection per node as
 * this role to PG_HEALTH_DB and sends an empty query every interval.
 */
#define PG_HEALTH_ROLE "pgkeel_health"
#define PG_HEALTH_DB "postgres"
#define PG_HEALTH_CONN_LIMIT 4

/*
 * Creates or updates the health-check role: LOGIN, no other attribute,
 * CONNECTION LIMIT PG_HEALTH_CONN_LIMIT, a short statement_timeout and
 * idle_in_transaction_session_timeout, read-only transactions, and the
 * password (sent as a SCRAM verifier computed here, so the secret never
 * reaches the server's log).
 * Runs on a primary; standbys get the role by replication. True when
 * done; false with the failed step's error logged (pc->error holds a
 * failed statement's).
 */
bool pgdbroles_ensure_health(PgConn *pc, const char *password);

#endif
