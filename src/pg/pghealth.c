/*
 * pghealth.c - the one place the health-check conninfo is built: the
 * node's address, the role and database it may log in to, the
 * formation's password and the monitor's TLS settings.
 */
#include "pg/pghealth.h"

#include <stdio.h>

#include "pg/pgdbroles.h"

PgProbeVerdict pghealth_login(PgProbe *p, const char *host, int port,
			      const char *password, const char *sslmode,
			      const SslSpec *ssl, int64_t deadline_ms)
{
	char portbuf[16];
	const char *keys[11] = {"host", "port", "user", "password", "dbname",
				"application_name", "sslmode", "gssencmode"};
	const char *vals[11] = {host, portbuf, PG_HEALTH_ROLE, password,
				PG_HEALTH_DB, "pgkeel_monitor", sslmode,
				"disable"};
	size_t n = 8;

	if (ssl->ca_file[0]) {
		keys[n] = "sslrootcert";
		vals[n++] = ssl->ca_file;
	}
	if (ssl->crl_file[0]) {
		keys[n] = "sslcrl";
		vals[n++] = ssl->crl_file;
	}
	keys[n] = vals[n] = NULL;
	snprintf(portbuf, sizeof(portbuf), "%d", port);
	return pgprobe_connect(p, keys, vals, deadline_ms);
}
