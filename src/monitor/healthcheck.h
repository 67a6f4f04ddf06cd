/*
 * healthcheck.h - the monitor's own view of each node: can it open a
 * connection to the node's Postgres? Checks run in parallel with libpq's
 * non-blocking connect, so one unreachable node does not delay the
 * others. A server that answers with an authentication request or an
 * authorization error is up; one that refuses connections, is starting
 * or stopping, or does not answer in time is not.
 */
#ifndef PGK_HEALTHCHECK_H
#define PGK_HEALTHCHECK_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	const char *host;
	int port;
	bool ok; /* result */
} HealthTarget;

/* Checks every target, all at once, within timeout_ms. */
void health_check_all(HealthTarget *targets, size_t n, int timeout_ms);

#endif
