/*
 * monitor_peer.h - monitors of a shared store telling a dead active
 * monitor from a silent one (docs/etcd.md, "Monitors"): the address a
 * monitor lists for its HTTP API, and the watch a monitor standing by
 * keeps on the active one's. When the active monitor's host refuses a
 * connection to its API port twice in a row, nothing listens there: the
 * monitor standing by ends its lease at once (store_depose) instead of
 * waiting for the lease's TTL, which stays the bound when the active
 * monitor is frozen, cut off or its host gone (no refusal).
 */
#ifndef PGK_MONITOR_PEER_H
#define PGK_MONITOR_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "store/store.h"

/* What a monitor standing by saw of the active one, between cycles. */
typedef struct {
	char holder[128];      /* the active monitor watched */
	int64_t term;          /* ... at this term */
	int refusals;          /* connections refused in a row */
	int64_t first_refusal_ms;
	int64_t last_depose_ms; /* monotonic; 0 never */
} MonitorPeerWatch;

/* The address this monitor lists for its HTTP API (host:port): "" when
 * the API is off, or when a connection to that address is not accepted
 * here (a listen address other monitors could not reach either). */
void monitor_peer_address(const Config *cfg, bool api_running, char *out,
			  size_t len);
/* One look at the active monitor by a monitor standing by: true when
 * it was deposed now (its API refused connections twice in a row), and
 * the next acquire takes the lease; false otherwise, and when the store
 * failed (logged). */
bool monitor_peer_check(Store *s, MonitorPeerWatch *w, int64_t now_ms);

#endif
