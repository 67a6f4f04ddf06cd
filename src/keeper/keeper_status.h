/*
 * keeper_status.h - what a keeper publishes about its node for the HTTP
 * API: a plain snapshot taken after each cycle, and the routing checks
 * load balancers ask (/primary, /replica, ...), decided from the snapshot
 * alone (pure: no I/O, time passed in) so that they are unit-tested.
 *
 * The checks follow the state the monitor assigned, not only what
 * Postgres says: a fenced or demoted old primary is not /primary even
 * while its Postgres still accepts connections.
 */
#ifndef PGK_KEEPER_STATUS_H
#define PGK_KEEPER_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/lsn.h"
#include "fsm/fsm.h"

typedef struct {
	int64_t published_ms; /* monotonic time of the last cycle */
	bool busy;            /* inside a long transition (clone, rewind) */
	int64_t interval_ms;
	bool known;           /* the formation was read and has this node */
	char formation[64];
	char name[64];
	int node_id;
	char host[256];
	int port;
	NodeState current;
	NodeState goal;
	bool fenced;
	bool paused;
	bool maintenance;
	bool store_ok;        /* the last report reached the store */
	bool pg_running;
	bool in_recovery;
	bool streaming;       /* the WAL receiver streams */
	bool pending_restart;
	bool in_sync_set;     /* named in the primary's synchronous set */
	Lsn lsn;
	Lsn primary_lsn;      /* as last reported by the primary; 0 unknown */
	int timeline;
	double replay_lag_s;
	long long promotions;
	double last_promotion_s;
} KeeperStatus;

typedef enum {
	CHECK_PRIMARY,   /* /primary, /read-write */
	CHECK_REPLICA,   /* /replica[?lag=BYTES] */
	CHECK_READ_ONLY, /* /read-only */
	CHECK_HEALTH,    /* /health */
	CHECK_LIVENESS,  /* /liveness */
	CHECK_READINESS, /* /readiness */
	CHECK_SYNC,      /* /sync */
	CHECK_ASYNC,     /* /async */
	CHECK_NONE
} KeeperCheck;

/* The check a path names, or CHECK_NONE. keeper_check_name: its name,
 * never NULL for a KeeperCheck value (not range-checked). */
KeeperCheck keeper_check_for_path(const char *path);
const char *keeper_check_name(KeeperCheck c);

/*
 * Whether the node passes check c at now_ms: true when it does ("ok" in
 * why), false with why saying what fails; max_lag is the ?lag limit in
 * bytes (negative: none).
 */
bool keeper_check(const KeeperStatus *st, KeeperCheck c, long long max_lag,
		  int64_t now_ms, char *why, size_t len);

/* Bytes behind the primary (0 when it is the primary or unknown). */
long long keeper_status_lag(const KeeperStatus *st);

/* Parses a ?lag value: bytes, or a number with kB, MB or GB (1024s).
 * False (and *out unchanged) when malformed, negative or too large. */
bool keeper_parse_lag(const char *text, long long *out);

#endif
