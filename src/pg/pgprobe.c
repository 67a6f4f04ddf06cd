/*
 * pgprobe.c - the health-check connection: a non-blocking login, empty
 * queries as pings, and an idle socket watched for its closing.
 */
#include "pg/pgprobe.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

static void knock_close(PgProbe *p)
{
	if (p->state == PROBE_KNOCKING && p->knock_fd >= 0)
		close(p->knock_fd);
	if (p->knock_addrs)
		freeaddrinfo(p->knock_addrs);
	p->knock_addrs = p->knock_next = NULL;
	p->knock_fd = -1;
}

void pgprobe_close(PgProbe *p)
{
	knock_close(p);
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

/*
 * Starts a non-blocking connect to the next address of the host; one
 * that fails at once moves on to the one after. DOWN when none is left:
 * port_closed when the last of them refused the connection.
 */
static PgProbeVerdict knock_next(PgProbe *p)
{
	int err = 0;

	while (p->knock_next) {
		struct addrinfo *a = p->knock_next;
		p->knock_next = a->ai_next;
		int fd = socket(a->ai_family,
				a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
				a->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0 ||
		    errno == EINPROGRESS) {
			p->knock_fd = fd;
			p->state = PROBE_KNOCKING;
			return PROBE_NONE;
		}
		err = errno;
		close(fd);
	}
	char msg[160];
	snprintf(msg, sizeof(msg), "could not connect to server: %s",
		 strerror(err ? err : ECONNREFUSED));
	PgProbeVerdict v = fail(p, PROBE_DOWN, msg);
	p->port_closed = err == ECONNREFUSED;
	return v;
}

PgProbeVerdict pgprobe_knock(PgProbe *p, const char *host, int port,
			     int64_t deadline_ms)
{
	char service[16];
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICSERV};

	pgprobe_close(p);
	snprintf(service, sizeof(service), "%d", port);
	int rc = getaddrinfo(host, service, &hints, &p->knock_addrs);
	if (rc != 0) {
		p->knock_addrs = NULL;
		return fail(p, PROBE_DOWN, gai_strerror(rc));
	}
	p->knock_next = p->knock_addrs;
	p->deadline_ms = deadline_ms;
	return knock_next(p);
}

/* The knock's connection accepted (UP, closed at once), refused (the
 * next address, if any) or still waiting. */
static PgProbeVerdict advance_knock(PgProbe *p, bool ready, int64_t now)
{
	if (ready) {
		int err = 0;
		socklen_t len = sizeof(err);
		if (getsockopt(p->knock_fd, SOL_SOCKET, SO_ERROR, &err,
			       &len) != 0)
			err = errno;
		if (err == 0) {
			pgprobe_close(p);
			return PROBE_UP;
		}
		close(p->knock_fd);
		p->knock_fd = -1;
		if (p->knock_next)
			return knock_next(p);
		PgProbeVerdict v = fail(p, PROBE_DOWN, strerror(err));
		p->port_closed = err == ECONNREFUSED;
		return v;
	}
	if (now >= p->deadline_ms)
		return fail(p, PROBE_DOWN, "no answer to a connection in time");
	return PROBE_NONE;
}

int pgprobe_socket(const PgProbe *p, short *events)
{
	*events = 0;
	if (p->state == PROBE_KNOCKING) {
		*events = POLLOUT;
		return p->knock_fd;
	}
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
	case PROBE_KNOCKING:
		return advance_knock(p, ready, now_ms);
	default:
		return PROBE_NONE;
	}
}
