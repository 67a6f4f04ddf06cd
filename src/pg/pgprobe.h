/*
 * pgprobe.h - one long-lived, non-blocking connection used to tell
 * whether a Postgres server is alive, for the monitor's health checks.
 *
 * The caller drives many probes from one poll() loop: it starts a
 * connection or a ping (an empty query: one round trip, no snapshot, no
 * plan), waits on pgprobe_socket()'s events until the probe's deadline,
 * and calls pgprobe_advance() when the socket is ready or the deadline
 * passed (the caller owns the event loop, so probes of many servers run
 * at once). An idle connection is watched too: a server that closes it
 * (its postmaster died, a shutdown) is noticed at once, not at the next
 * ping.
 *
 * A server that answers a login with an error (authentication, no such
 * role or database, too many connections) is alive, and so is one that
 * accepts a bare TCP connection (pgprobe_knock); one that refuses
 * the TCP connection, is starting up or shutting down, or does not
 * answer by the deadline is not.
 */
#ifndef PGK_PGPROBE_H
#define PGK_PGPROBE_H

#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum {
	PROBE_CLOSED,     /* no connection */
	PROBE_CONNECTING, /* a login under way */
	PROBE_IDLE,       /* connected, nothing asked */
	PROBE_PINGING,    /* an empty query sent, its answer awaited */
	PROBE_KNOCKING,   /* a bare TCP connection under way, no login */
} PgProbeState;

typedef enum {
	PROBE_NONE,    /* nothing decided yet */
	PROBE_UP,      /* the server answered */
	PROBE_REFUSED, /* it answered, refusing the login: up as well */
	PROBE_DOWN,    /* refused the connection, or no answer in time */
	PROBE_LOST,    /* an open connection broke: connect again now */
} PgProbeVerdict;

/* libpq's connection (PGconn), not seen outside src/pg/. */
struct pg_conn;

typedef struct {
	struct pg_conn *conn;
	int knock_fd;                   /* while knocking; else unused */
	struct addrinfo *knock_addrs;   /* while knocking: the host's */
	struct addrinfo *knock_next;    /* the address to try after this */
	PgProbeState state;
	int poll; /* while connecting: libpq's PostgresPollingStatusType */
	bool flushing;                  /* a ping still being sent */
	int64_t deadline_ms;            /* monotonic, while busy */
	char error[256];                /* of the last DOWN or REFUSED */
	bool port_closed; /* the last DOWN: the host refused the connection
			     (nothing listens), not a timeout */
} PgProbe;

/* Starts a login with keyword/value arrays; the answer is due by
 * deadline_ms (monotonic). May decide at once (PROBE_DOWN). Every
 * verdict of a probe that is DOWN or REFUSED leaves libpq's reason in
 * p->error. */
PgProbeVerdict pgprobe_connect(PgProbe *p, const char *const *keys,
			       const char *const *values, int64_t deadline_ms);
/*
 * Starts a bare TCP connection to host:port, closed as soon as it is
 * accepted, with no login: PROBE_UP once the server accepts it,
 * PROBE_DOWN (port_closed) when refused. Postgres logs nothing for a
 * connection that sends no startup packet, so this tells a live server
 * from a dead one while its logins are refused, without a failed login
 * in its log each time.
 */
PgProbeVerdict pgprobe_knock(PgProbe *p, const char *host, int port,
			     int64_t deadline_ms);
/* Sends an empty query on an idle connection (PROBE_LOST if it broke). */
PgProbeVerdict pgprobe_ping(PgProbe *p, int64_t deadline_ms);
/* The socket to poll and the events to wait for; -1 when closed. */
int pgprobe_socket(const PgProbe *p, short *events);
/* After poll() said the socket is ready (ready), or to check the
 * deadline (not ready). */
PgProbeVerdict pgprobe_advance(PgProbe *p, bool ready, int64_t now_ms);
void pgprobe_close(PgProbe *p);

#endif
