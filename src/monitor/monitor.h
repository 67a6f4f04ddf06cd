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
#include "pg/pgnode.h"
#include "pg/supervisor.h"
#include "store/store.h"

#define MONITOR_MAX_TRACKED 4096

/* What the monitor remembers of a node between cycles (its own clock). */
typedef struct {
	int node_id;
	int64_t report_seq;
	int64_t last_report_ms;
	int64_t health_fail_since_ms;
	int64_t not_streaming_since_ms;
	int64_t health_checked_ms; /* last connection test, or 0 */
	bool health_ok;            /* its result */
	bool reachable;
	char sync_names[512];
	bool written; /* reachable/sync_names stored at least once */
} NodeMemory;

typedef struct {
	Config cfg;
	NodePaths paths;
	PgNode node; /* the monitor's own Postgres */
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
	int64_t sync_timeout_ms;
	int64_t last_cycle_us; /* duration of the last decision cycle */
} Monitor;

/* create monitor: initdb, configuration, the store's database and role. */
bool monitor_create(const Config *cfg, char *err, size_t errlen);
/* The URI keepers use (with the pgkeel_node password), malloc'd. */
char *monitor_uri(const Config *cfg);

bool monitor_init(Monitor *m, const Config *cfg, char *err, size_t errlen);
int monitor_run(Monitor *m);
void monitor_free(Monitor *m);
/* One decision round over every formation; now_ms monotonic. */
void monitor_cycle(Monitor *m, int64_t now_ms);

#endif
