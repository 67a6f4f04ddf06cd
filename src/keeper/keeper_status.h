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
	/* freshness (docs/http-api.md#freshness): monotonic times of the
	 * WAL receiver's last message from the primary (0: none seen since
	 * the keeper started) and, while received WAL waits to be
	 * replayed, of the last replayed commit (0: replay caught up) */
	int64_t contact_ms;
	int64_t replayed_ms;
	bool noloadbalance;   /* tagged noloadbalance (node.tags) */
	long long promotions;
	double last_promotion_s;
} KeeperStatus;

typedef enum {
	CHECK_PRIMARY,   /* /primary, /read-write */
	CHECK_REPLICA,   /* /replica[?lag=BYTES&max_staleness=DURATION] */
	CHECK_READ_ONLY, /* /read-only */
	CHECK_HEALTH,    /* /health */
	CHECK_LIVENESS,  /* /liveness */
	CHECK_READINESS, /* /readiness */
	CHECK_SYNC,      /* /sync */
	CHECK_ASYNC,     /* /async */
	CHECK_STANDBY_LEADER, /* /standby-leader */
	CHECK_NONE
} KeeperCheck;

/* The check a path names, or CHECK_NONE. keeper_check_name: its name,
 * never NULL for a KeeperCheck value (not range-checked). */
KeeperCheck keeper_check_for_path(const char *path);
const char *keeper_check_name(KeeperCheck c);

/* The limits a read check may be asked for: ?lag (bytes) and
 * ?max_staleness (milliseconds); negative: none. */
typedef struct {
	long long max_lag;
	int64_t max_staleness_ms;
} KeeperLimits;

/*
 * Whether the node passes check c at now_ms: true when it does ("ok" in
 * why), false with why saying what fails. lim (NULL: none) applies to
 * the read checks of a standby (/replica, /read-only, /sync, /async).
 */
bool keeper_check(const KeeperStatus *st, KeeperCheck c,
		  const KeeperLimits *lim, int64_t now_ms, char *why,
		  size_t len);

/* Bytes behind the primary (0 when it is the primary or unknown). */
long long keeper_status_lag(const KeeperStatus *st);

/*
 * How stale a standby's data may be at now_ms, in milliseconds: the time
 * since the WAL receiver last heard from the primary, or, when received
 * WAL waits to be replayed, since the last replayed commit if that is
 * longer. -1 when the primary has not been heard from since the keeper
 * started.
 */
int64_t keeper_status_staleness_ms(const KeeperStatus *st, int64_t now_ms);

/* Parses a ?lag value: bytes, or a number with kB, MB or GB (1024s).
 * False (and *out unchanged) when malformed, negative or too large. */
bool keeper_parse_lag(const char *text, long long *out);

#endif
