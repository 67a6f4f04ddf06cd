/*
 * healthcheck.h - the monitor's own view of each node: does its Postgres
 * answer? The monitor keeps one connection per node, logged in as the
 * health-check role (pg/pghealth.h) with the formation's password, and
 * sends an empty query every interval; every node's connection is driven
 * from one poll() loop, so one silent node does not delay the others.
 * The connections are pg/pgprobe.h's: libpq stays inside src/pg/.
 *
 * A server that answers (a ping, or a login refused on authentication or
 * authorization) is up; one that refuses connections, is starting or
 * stopping, or does not answer in time is not. An open connection that
 * the server closes (its postmaster died, a shutdown) is followed at once
 * by a new login, so a dead server is seen at once, not at the next
 * interval.
 *
 * After a refused login the next one waits (1 s, doubling up to
 * HEALTH_LOGIN_BACKOFF_MAX_MS, and at once when the password changes);
 * until then each interval only knocks (a bare TCP connection, which
 * Postgres does not log), so a misconfigured node's log is not filled
 * with failed logins and a dead server is still seen.
 */
#ifndef PGK_HEALTHCHECK_H
#define PGK_HEALTHCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/sslconn.h"
#include "pg/pgprobe.h"
#include "store/store.h"

#define HEALTH_LOGIN_BACKOFF_MS 1000
#define HEALTH_LOGIN_BACKOFF_MAX_MS 30000

typedef struct {
	int timeout_ms;      /* a login's or a ping's time limit */
	int64_t interval_ms; /* the usual cadence of the checks */
	const char *sslmode; /* of the connections to the nodes */
	SslSpec ssl;         /* the monitor's CA and CRL to verify them */
} HealthOptions;

typedef struct {
	int node_id;
	char host[STORE_HOST_LEN];
	int port;
	char password[128]; /* the formation's, for the next login */
	PgProbe probe;
	bool tested;        /* ok holds a result */
	bool ok;
	bool port_closed;   /* not ok: the connection was refused */
	int64_t down_since_ms; /* not ok: when the first check that failed
				* was sent (monotonic): no answer since; or,
				* when the checks were spaced out, when one
				* would have been sent at the usual cadence
				* after the last answer, if earlier */
	int64_t answered_ms;   /* when the last check answered was sent */
	bool refusal_logged;
	int login_backoff_ms; /* after a refused login: until the next */
	int64_t next_login_ms; /* monotonic; knocks only until then */
} HealthNode;

/* The start of an interval: a ping on each open connection, a login on
 * each closed one (nodes still waiting for an answer keep waiting).
 * True when a node's result changed. */
bool health_tick(HealthNode *nodes, size_t n, const HealthOptions *o);
/*
 * Waits once for answers (until until_ms at the latest, or wake_fd is
 * readable) and records the results decided; true when one changed.
 */
bool health_poll(HealthNode *nodes, size_t n, int64_t until_ms, int wake_fd,
		 const HealthOptions *o);
void health_close(HealthNode *node);

#endif
