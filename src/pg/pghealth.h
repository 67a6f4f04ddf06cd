/*
 * pghealth.h - the monitor's health-check login to a data node: the
 * node's address, the health-check role and its database (pgdbroles.h),
 * the formation's password and the monitor's TLS settings, turned into
 * a non-blocking login on a PgProbe (pgprobe.h). The monitor drives the
 * probes; only src/pg/ speaks libpq.
 */
#ifndef PGK_PGHEALTH_H
#define PGK_PGHEALTH_H

#include <stdint.h>

#include "common/sslconn.h"
#include "pg/pgprobe.h"
#include "pg/pgsql.h"

/* Starts the login as the health-check role; its answer is due by
 * deadline_ms (monotonic). sslmode is the connection's, ssl gives the
 * CA and CRL to verify the node with. May decide at once (PROBE_DOWN). */
PgProbeVerdict pghealth_login(PgProbe *p, const char *host, int port,
			      const char *password, const char *sslmode,
			      const SslSpec *ssl, int64_t deadline_ms);

/* The same login, blocking, for a few queries (a parameter's check):
 * true with pc connected; false with pc->error set. */
bool pghealth_connect(PgConn *pc, const char *host, int port,
		      const char *password, const char *sslmode,
		      const SslSpec *ssl, int timeout_ms);

#endif
