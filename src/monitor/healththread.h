/*
 * healththread.h - the monitor's connection tests, on a thread of their
 * own: every monitor_interval it tests every node the decision loop last
 * handed it (all at once, healthcheck.c) and keeps the latest result per
 * node. The decision cycle only reads results, so a node that does not
 * answer (a silent partition waits for the test's timeout) never slows
 * the decisions about the others.
 */
#ifndef PGK_HEALTHTHREAD_H
#define PGK_HEALTHTHREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct HealthThread HealthThread;

HealthThread *healththread_start(int64_t interval_ms, int timeout_ms);
void healththread_stop(HealthThread *ht);
/* Adds a node to the list being collected for the next round. */
void healththread_collect(HealthThread *ht, int node_id, const char *host,
			  int port);
/* Makes the collected list the one tested from now on. */
void healththread_commit(HealthThread *ht);
/* The latest result for node_id: false when it was not tested yet. */
bool healththread_result(HealthThread *ht, int node_id, bool *ok);

#endif
