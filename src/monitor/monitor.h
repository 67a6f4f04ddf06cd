/*
 * monitor.h - the monitor: owns the state store (its own Postgres, for
 * the postgres driver), health-checks every node, runs the state machine
 * on each formation and writes the goal states it decides, fenced by the
 * lease term it holds.
 */
#ifndef PGK_MONITOR_H
#define PGK_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "common/nodepaths.h"
#include "fsm/fsm.h"
#include "monitor/monitor_peer.h"
#include "pg/pgnode.h"
#include "pg/restartpolicy.h"
#include "store/store.h"

#define MONITOR_MAX_TRACKED 4096
#define MONITOR_MAX_FORMATIONS 256

/* Promotions the monitor ordered in a formation, for its metrics. */
typedef struct {
	char name[STORE_NAME_LEN];
	long long failovers;
	long long switchovers;
	int promoting;           /* node being promoted, or 0 */
	bool promo_switchover;   /* ... by a switchover */
	int64_t promo_start_ms;
	double last_failover_s;  /* order to accepting writes, last failover */
	double last_switchover_s;
} FormationStats;

struct MonitorApi;
struct HealthThread;

/* What the monitor remembers of a node between cycles (its own clock). */
typedef struct {
	int node_id;
	int64_t report_seq;
	int64_t last_report_ms;
	int64_t beat_seq;          /* the last beat heard: its report_seq */
	int64_t beat_ms;           /* ... and when (monitor_quiet.c) */
	int64_t health_fail_since_ms;
	int64_t not_streaming_since_ms;
	bool health_ok;            /* the latest connection test passed */
	bool port_closed;          /* ... failed: the connection refused */
	int64_t health_down_since_ms; /* ... failed: the first failed test
				       * was sent then (monotonic) */
	int64_t forgiven_ms;       /* the detector's signals count from here
				    * (a pause ended; 0: never paused) */
	int fence_ms;              /* the fence_timeout its keeper reported */
	bool reachable;
	char sync_names[512];
	bool written; /* reachable/sync_names stored at least once */
	bool sync_too_long; /* said once that the names did not fit */
} NodeMemory;

typedef struct {
	Config cfg;
	NodePaths paths;
	PgNode node; /* the monitor's own Postgres (a shared store's
			monitor: only its pgdata and TLS settings) */
	bool own_store; /* the state is in node; else pgkeel.store's */
	Supervisor sup;
	Store *store;
	int64_t term;
	bool active;
	char holder[128];
	NodeMemory mem[MONITOR_MAX_TRACKED];
	size_t nmem;
	StoreFormation *formation; /* scratch for one formation */
	int64_t interval_ms;
	int64_t node_down_ms;
	int64_t restart_allowance_ms;
	int64_t sync_timeout_ms;
	int64_t last_cycle_us; /* duration of the last decision cycle */
	int64_t last_cycle_ms; /* when it started (monotonic) */
	int64_t cycles;        /* decision cycles run */
	bool quiet;            /* cycles may be left out (monitor_quiet.h) */
	size_t quiet_mem[MONITOR_MAX_TRACKED]; /* the quiet nodes' memories */
	bool quiet_standby[MONITOR_MAX_TRACKED]; /* ... which is a standby's */
	size_t nquiet;
	bool said_memory_full;     /* logged once: nodes beyond the memory */
	bool said_formations_cut;  /* logged once: formations beyond 256 */
	FormationStats stats[MONITOR_MAX_FORMATIONS];
	size_t nstats;
	struct MonitorApi *api;      /* NULL when http.port is 0 */
	int64_t view_built_ms;
	int64_t last_view_us;        /* building the last view, for it */
	struct HealthThread *health; /* the connection tests */
	char api_addr[256];          /* listed with the lease: host:port */
	MonitorPeerWatch peer;       /* standing by: the active monitor */
} Monitor;

/* create monitor: initdb, configuration, the store's database, roles and
 * the operator's passfile. True when done; false with err set by the
 * step that failed (what was done before it stays: running it again
 * goes on from there). */
bool monitor_create(const Config *cfg, char *err, size_t errlen);
/* The operator's URI (the password stays in the passfile it names), for
 * `create postgres --monitor` and operator commands; malloc'd. NULL when
 * the node's paths cannot be computed or memory ran out (no message). */
char *monitor_uri(const Config *cfg);
/* Gives the operator's role a new password (operator.pgpass too); false
 * with err, the old password still working. */
bool monitor_rotate_password(const Config *cfg, char *err, size_t errlen);
/* monitor_rotate.c: a new random replication or health-check password
 * ("replication" or "health") for cfg's formation; the keepers apply it.
 * False with err set: the store cannot be opened, the formation does
 * not exist, or the statement failed (store_rotate_secret). */
bool monitor_rotate_secret(const Config *cfg, const char *which, char *err,
			   size_t errlen);

/* monitor_store.c: the URI of the store cfg's monitor shares with other
 * monitors (pgkeel.store), or NULL when it keeps the state in its own
 * Postgres. */
const char *monitor_shared_store(const Config *cfg);
/* The monitor's own connection to its store (upgrade: bring an older
 * schema of its own Postgres up first); NULL with err set. */
Store *monitor_open_store(const Config *cfg, bool upgrade, char *err,
			  size_t errlen);
/* create monitor --store: the monitor's directory and configuration,
 * once the store answered; false with err set (a store that is not
 * shareable, a Postgres data directory, the store's refusal). */
bool monitor_create_shared(const Config *cfg, char *err, size_t errlen);

/* monitor_init: true when m is ready to run; false with err set (node
 * paths, Postgres binaries, unsafe timeouts), except out of memory,
 * which leaves err unset. Call monitor_free either way. monitor_run:
 * until a stop signal; an exit code (EXIT_FAILED when the health-check
 * thread cannot start, logged). */
bool monitor_init(Monitor *m, const Config *cfg, char *err, size_t errlen);
int monitor_run(Monitor *m);
void monitor_free(Monitor *m);
/* One decision round over every formation; now_ms monotonic. */
void monitor_cycle(Monitor *m, int64_t now_ms);

/* monitor_sched.c: carries out the scheduled operations of sf whose
 * time (wall_ms, the wall clock) has come, each ended done or failed
 * with an event; a store that does not answer leaves them for the next
 * round. */
void monitor_run_scheduled(Monitor *m, const StoreFormation *sf,
			   int64_t wall_ms);

/* monitor_stats.c: counting the promotions the decisions order.
 * monitor_stats: the formation's counters, made on first use; NULL when
 * MONITOR_MAX_FORMATIONS are counted already. */
FormationStats *monitor_stats(Monitor *m, const char *formation);
void monitor_count_promotions(Monitor *m, const StoreFormation *sf,
			      const FsmDecision *d, size_t nd, int64_t now_ms);

/* monitor_snapshot.c: the state machine's view of sf (never fails):
 * its settings, with the timeouts given, and a node's row, with its
 * memory fields (last_report_ms, health_ok, health_fail_since_ms,
 * not_streaming_since_ms, port_closed) left for the caller: 0, false,
 * -1, -1, false. */
void monitor_fsm_settings(const StoreFormation *sf, int64_t node_down_ms,
			  int64_t restart_allowance_ms,
			  int64_t sync_timeout_ms, FsmSettings *s);
void monitor_fsm_node(const StoreFormation *sf, const StoreNode *n,
		      FsmNode *f);

/* monitor_view.c: the HTTP API's view, built again at most once per
 * interval, during the decision cycle. */
typedef struct MonitorView MonitorView;
/* True when the API runs and the view is due again. */
bool monitor_view_due(const Monitor *m, int64_t now_ms);
/* A new, empty view; NULL when out of memory (said in the log). */
MonitorView *monitor_view_begin(void);
/* Adds one formation as it stands after the cycle. */
void monitor_view_add(Monitor *m, MonitorView *v, const StoreFormation *sf);
/* The time spent adding formations to v so far, in microseconds. */
int64_t monitor_view_spent_us(const MonitorView *v);
/* Publishes v to the API and frees it (a monitor standing by publishes
 * one with no formation). */
void monitor_view_end(Monitor *m, MonitorView *v, int64_t now_ms);

#endif
