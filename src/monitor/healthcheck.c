/*
 * healthcheck.c - parallel connection checks with PQconnectStartParams.
 */
#include "monitor/healthcheck.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sslconn.h"
#include "common/timeutil.h"

typedef struct {
	PGconn *conn;
	PostgresPollingStatusType st;
	bool done;
} Probe;

/* Refusals that prove the server is up and accepting connections. */
static bool server_answered(const char *msg)
{
	static const char *const up[] = {
		"password", "authentication", "pg_hba.conf", "does not exist",
		"permission denied", "too many connections"};
	if (strstr(msg, "starting up") || strstr(msg, "shutting down") ||
	    strstr(msg, "recovery mode"))
		return false;
	for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
		if (strstr(msg, up[i]))
			return true;
	}
	return false;
}

static void start_probe(Probe *p, const HealthTarget *t)
{
	char port[16];
	/* dbname carries the monitor's TLS settings (expanded by libpq) */
	char *db = conninfo_append_ssl(strdup("dbname=postgres"),
				       sslspec_process());
	const char *keys[] = {"host", "port", "user", "dbname",
			      "application_name", "gssencmode", NULL};
	const char *vals[] = {t->host, port, "pgkeel_health", db,
			      "pgkeel_monitor", "disable", NULL};

	snprintf(port, sizeof(port), "%d", t->port);
	p->conn = db ? PQconnectStartParams(keys, vals, 1) : NULL;
	free(db);
	p->st = PGRES_POLLING_WRITING;
	p->done = !p->conn || PQstatus(p->conn) == CONNECTION_BAD;
}

static void finish_probe(Probe *p, HealthTarget *t)
{
	if (!p->conn) {
		t->ok = false;
		return;
	}
	if (PQstatus(p->conn) == CONNECTION_OK)
		t->ok = true;
	else
		t->ok = p->done && server_answered(PQerrorMessage(p->conn));
	PQfinish(p->conn);
	p->conn = NULL;
}

static size_t build_pollset(Probe *probes, size_t n, struct pollfd *pfds,
			    size_t *map)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (probes[i].done)
			continue;
		pfds[k].fd = PQsocket(probes[i].conn);
		pfds[k].events = probes[i].st == PGRES_POLLING_READING
					 ? POLLIN
					 : POLLOUT;
		map[k++] = i;
	}
	return k;
}

static void advance(Probe *p)
{
	p->st = PQconnectPoll(p->conn);
	if (p->st == PGRES_POLLING_OK || p->st == PGRES_POLLING_FAILED)
		p->done = true;
}

void health_check_all(HealthTarget *targets, size_t n, int timeout_ms)
{
	Probe *probes = calloc(n ? n : 1, sizeof(Probe));
	struct pollfd *pfds = calloc(n ? n : 1, sizeof(struct pollfd));
	size_t *map = calloc(n ? n : 1, sizeof(size_t));
	int64_t deadline = time_monotonic_ms() + timeout_ms;

	for (size_t i = 0; probes && i < n; i++)
		start_probe(&probes[i], &targets[i]);
	while (probes && pfds && map) {
		size_t k = build_pollset(probes, n, pfds, map);
		int64_t left = deadline - time_monotonic_ms();
		if (k == 0 || left <= 0)
			break;
		if (poll(pfds, k, (int)left) <= 0)
			continue;
		for (size_t j = 0; j < k; j++) {
			if (pfds[j].revents)
				advance(&probes[map[j]]);
		}
	}
	for (size_t i = 0; probes && i < n; i++)
		finish_probe(&probes[i], &targets[i]);
	free(probes);
	free(pfds);
	free(map);
}
