/*
 * pghealth.c - the one place the health-check conninfo is built: the
 * node's address, the role and database it may log in to, the
 * formation's password and the monitor's TLS settings.
 */
#include "pg/pghealth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conninfo.h"
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

bool pghealth_connect(PgConn *pc, const char *host, int port,
		      const char *password, const char *sslmode,
		      const SslSpec *ssl, int timeout_ms)
{
	char portbuf[16];
	char *ci = NULL;

	snprintf(portbuf, sizeof(portbuf), "%d", port);
	ci = conninfo_append(ci, "host", host);
	ci = conninfo_append(ci, "port", portbuf);
	ci = conninfo_append(ci, "user", PG_HEALTH_ROLE);
	ci = conninfo_append(ci, "password", password);
	ci = conninfo_append(ci, "dbname", PG_HEALTH_DB);
	ci = conninfo_append(ci, "sslmode", sslmode);
	ci = conninfo_append(ci, "gssencmode", "disable");
	if (ssl->ca_file[0])
		ci = conninfo_append(ci, "sslrootcert", ssl->ca_file);
	if (ssl->crl_file[0])
		ci = conninfo_append(ci, "sslcrl", ssl->crl_file);
	if (!ci) {
		memset(pc, 0, sizeof(*pc));
		snprintf(pc->error, sizeof(pc->error), "out of memory");
		return false;
	}
	bool ok = pg_connect(pc, ci, timeout_ms);
	memset(ci, 0, strlen(ci)); /* it held the password */
	free(ci);
	return ok;
}
