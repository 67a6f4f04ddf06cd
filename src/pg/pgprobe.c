/*
 * pgprobe.c - the health-check connection: a non-blocking login, empty
 * queries as pings, and an idle socket watched for its closing.
 */
#include "pg/pgprobe.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>

/* Notices and a dying backend's last words are not ours to print. */
static void quiet(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;
}

/* Login refusals that prove the server is up and accepting connections. */
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

static void set_error(PgProbe *p, const char *msg)
{
	snprintf(p->error, sizeof(p->error), "%s", msg ? msg : "unknown");
	for (char *c = p->error; *c; c++) {
		if (*c == '\n')
			*c = (c[1] ? ' ' : '\0');
	}
}

void pgprobe_close(PgProbe *p)
{
	if (p->conn)
		PQfinish(p->conn);
	p->conn = NULL;
	p->state = PROBE_CLOSED;
	p->flushing = false;
}

/* Records msg (before the connection holding it goes) and closes. */
static PgProbeVerdict fail(PgProbe *p, PgProbeVerdict v, const char *msg)
{
	set_error(p, msg);
	/* libpq's words for ECONNREFUSED: pgkeel never calls setlocale(),
	 * so its messages stay untranslated */
	p->port_closed =
		v == PROBE_DOWN && strstr(p->error, "Connection refused") != NULL;
	pgprobe_close(p);
	return v;
}

static PgProbeVerdict login_failed(PgProbe *p)
{
	const char *msg = PQerrorMessage(p->conn);
	return fail(p, server_answered(msg) ? PROBE_REFUSED : PROBE_DOWN, msg);
}

static PgProbeVerdict lost(PgProbe *p)
{
	return fail(p, PROBE_LOST, PQerrorMessage(p->conn));
}

PgProbeVerdict pgprobe_connect(PgProbe *p, const char *const *keys,
			       const char *const *values, int64_t deadline_ms)
{
	pgprobe_close(p);
	p->conn = PQconnectStartParams(keys, values, 0);
	if (!p->conn)
		return fail(p, PROBE_DOWN, "out of memory");
	if (PQstatus(p->conn) == CONNECTION_BAD)
		return login_failed(p);
	PQsetNoticeReceiver(p->conn, quiet, NULL);
	p->state = PROBE_CONNECTING;
	p->poll = PGRES_POLLING_WRITING;
	p->deadline_ms = deadline_ms;
	return PROBE_NONE;
}

PgProbeVerdict pgprobe_ping(PgProbe *p, int64_t deadline_ms)
{
	if (p->state != PROBE_IDLE)
		return PROBE_NONE;
	if (!PQsendQuery(p->conn, ""))
		return lost(p);
	int pending = PQflush(p->conn);
	if (pending < 0)
		return lost(p);
	p->flushing = pending == 1;
	p->state = PROBE_PINGING;
	p->deadline_ms = deadline_ms;
	return PROBE_NONE;
}

int pgprobe_socket(const PgProbe *p, short *events)
{
	*events = 0;
	if (!p->conn || p->state == PROBE_CLOSED)
		return -1;
	if (p->state == PROBE_CONNECTING)
		*events = p->poll == PGRES_POLLING_READING ? POLLIN : POLLOUT;
	else
		*events = (short)(POLLIN | (p->flushing ? POLLOUT : 0));
	return PQsocket(p->conn);
}

static PgProbeVerdict advance_connect(PgProbe *p, bool ready, int64_t now)
{
	if (ready)
		p->poll = PQconnectPoll(p->conn);
	if (p->poll == PGRES_POLLING_OK) {
		PQsetnonblocking(p->conn, 1);
		p->state = PROBE_IDLE;
		return PROBE_UP;
	}
	if (p->poll == PGRES_POLLING_FAILED)
		return login_failed(p);
	if (now >= p->deadline_ms)
		return fail(p, PROBE_DOWN, "no answer to the login in time");
	return PROBE_NONE;
}

/* Input on an idle connection: the server is closing it, as a rule. */
static PgProbeVerdict advance_idle(PgProbe *p, bool ready)
{
	PGnotify *n;

	if (!ready)
		return PROBE_NONE;
	if (!PQconsumeInput(p->conn) || PQstatus(p->conn) == CONNECTION_BAD)
		return lost(p);
	while ((n = PQnotifies(p->conn)) != NULL)
		PQfreemem(n);
	return PROBE_NONE;
}

/* The ping's answer: an empty-query result, then the end. An error
 * there means the session is ending (a shutdown, a terminated backend). */
static PgProbeVerdict advance_ping(PgProbe *p, bool ready, int64_t now)
{
	if (ready) {
		int pending = p->flushing ? PQflush(p->conn) : 0;
		if (pending < 0 || !PQconsumeInput(p->conn))
			return lost(p);
		p->flushing = pending == 1;
		bool failed = false;
		while (!PQisBusy(p->conn)) {
			PGresult *r = PQgetResult(p->conn);
			if (!r) {
				if (failed || PQstatus(p->conn) == CONNECTION_BAD)
					return lost(p);
				p->state = PROBE_IDLE;
				return PROBE_UP;
			}
			failed = failed ||
				 PQresultStatus(r) == PGRES_FATAL_ERROR;
			PQclear(r);
		}
	}
	if (now >= p->deadline_ms)
		return fail(p, PROBE_DOWN, "no answer to a ping in time");
	return PROBE_NONE;
}

PgProbeVerdict pgprobe_advance(PgProbe *p, bool ready, int64_t now_ms)
{
	switch (p->state) {
	case PROBE_CONNECTING:
		return advance_connect(p, ready, now_ms);
	case PROBE_IDLE:
		return advance_idle(p, ready);
	case PROBE_PINGING:
		return advance_ping(p, ready, now_ms);
	default:
		return PROBE_NONE;
	}
}
