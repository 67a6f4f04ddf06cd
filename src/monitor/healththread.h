/*
 * healththread.h - the monitor's health checks, on a thread of their
 * own: it keeps a connection to every node the decision loop last handed
 * it, pings each every monitor_interval (healthcheck.c), and keeps the
 * latest result per node, updated as soon as an answer, a timeout or a
 * closed connection decides it. The decision cycle only reads results,
 * so a node that does not answer (a silent partition waits for the
 * check's timeout) never slows the decisions about the others.
 */
#ifndef PGK_HEALTHTHREAD_H
#define PGK_HEALTHTHREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/sslconn.h"

typedef struct HealthThread HealthThread;

/* sslmode: of the connections to the nodes (copied). NULL when memory,
 * a pipe or the thread cannot be had (no message: the caller logs). */
HealthThread *healththread_start(int64_t interval_ms, int timeout_ms,
				 const char *sslmode, const SslSpec *ssl);
void healththread_stop(HealthThread *ht);
/* Adds a node to the list being collected for the next round, with the
 * password of its formation's health-check role. */
void healththread_collect(HealthThread *ht, int node_id, const char *host,
			  int port, const char *password);
/* Readable once a node's result changed since the last
 * healththread_drain, for the decision loop's wait; -1 without a
 * thread. */
int healththread_changed_fd(const HealthThread *ht);
/* Takes the news of changed results (the results stay readable): true
 * when there was some. */
bool healththread_drain(HealthThread *ht);
/* Makes the collected list the one tested from now on. */
void healththread_commit(HealthThread *ht);
/* While quiet, the checks are sent every HEALTH_QUIET_INTERVALS
 * intervals (the monitor's quiet cadence: monitor_quiet.h), but often
 * enough that a failed one is known within node_down_ms; a node that
 * stopped answering is counted down from when the usual cadence would
 * have found it (healthcheck.h), and a closed connection is seen at once
 * as always. */
#define HEALTH_QUIET_INTERVALS 4
void healththread_set_quiet(HealthThread *ht, bool quiet,
			    int64_t node_down_ms);
/* The latest result for node_id (port_closed: not ok, and the
 * connection was refused; down_since_ms: not ok, the monotonic time the
 * first check that failed was sent): false when it was not tested yet. */
bool healththread_result(HealthThread *ht, int node_id, bool *ok,
			 bool *port_closed, int64_t *down_since_ms);

#endif
