/*
 * keeper_metrics.c - a node's status as JSON (GET /node) and as
 * Prometheus metrics (GET /metrics), labelled by formation and node.
 */
#define _GNU_SOURCE /* open_memstream */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/version.h"
#include "http/promtext.h"
#include "keeper/keeper_api.h"

char *keeper_status_json(const KeeperStatus *st)
{
	char lsn[LSN_TEXT_LEN], plsn[LSN_TEXT_LEN];
	json_t *j = json_pack(
		"{s:s, s:s, s:i, s:s, s:i, s:s, s:s, s:b, s:b, s:b, s:b, s:b,"
		" s:b, s:b, s:b, s:b, s:s, s:s, s:I, s:f, s:i, s:b, s:I, s:f}",
		"formation", st->formation, "name", st->name, "node_id",
		st->node_id, "host", st->host, "port", st->port,
		"current_state", state_name(st->current), "assigned_state",
		state_name(st->goal), "pg_running", st->pg_running,
		"in_recovery", st->in_recovery, "streaming", st->streaming,
		"fenced", st->fenced, "paused", st->paused, "maintenance",
		st->maintenance, "store_reachable", st->store_ok,
		"pending_restart", st->pending_restart, "synchronous",
		st->in_sync_set, "lsn", lsn_format(st->lsn, lsn, sizeof(lsn)),
		"primary_lsn", lsn_format(st->primary_lsn, plsn, sizeof(plsn)),
		"lag_bytes", (json_int_t)keeper_status_lag(st), "lag_seconds",
		st->replay_lag_s, "timeline", st->timeline, "busy", st->busy,
		"promotions", (json_int_t)st->promotions,
		"last_promotion_seconds", st->last_promotion_s);
	char *text = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
	json_decref(j);
	return text;
}

static void gauge(FILE *f, const KeeperStatus *st, const char *name,
		  const char *help, double v)
{
	const char *labels[] = {"formation", st->formation, "node", st->name,
				NULL};
	prom_family(f, name, "gauge", help);
	prom_sample(f, name, labels, v);
}

static void one_hot(FILE *f, const KeeperStatus *st, const char *name,
		    const char *label, const char *const *values, size_t n,
		    const char *current, const char *help)
{
	prom_family(f, name, "gauge", help);
	for (size_t i = 0; i < n; i++) {
		const char *labels[] = {"formation", st->formation, "node",
					st->name, label, values[i], NULL};
		prom_sample(f, name, labels,
			    strcmp(values[i], current) == 0 ? 1 : 0);
	}
}

static void states(FILE *f, const KeeperStatus *st)
{
	const char *names[NS_COUNT];
	for (int s = 0; s < NS_COUNT; s++)
		names[s] = state_name((NodeState)s);
	one_hot(f, st, "pgkeel_node_state", "state", names, NS_COUNT,
		state_name(st->current),
		"1 for the state the keeper reached, 0 for the others");
	const char *roles[] = {"primary", "standby", "none"};
	one_hot(f, st, "pgkeel_node_role", "role", roles, 3,
		state_role_name(st->current),
		"1 for the node's role (primary, standby or none)");
}

static void render(FILE *f, const KeeperStatus *st)
{
	const char *info[] = {"formation", st->formation, "node", st->name,
			      "version", PGKEEL_VERSION, NULL};
	prom_family(f, "pgkeel_build_info", "gauge",
		    "pgkeel's version, as a label");
	prom_sample(f, "pgkeel_build_info", info, 1);
	states(f, st);
	gauge(f, st, "pgkeel_postgres_up", "1 when Postgres accepts "
	      "connections", st->pg_running);
	gauge(f, st, "pgkeel_replication_lag_bytes",
	      "bytes of WAL the node has not replayed yet, behind the "
	      "primary's last report", (double)keeper_status_lag(st));
	gauge(f, st, "pgkeel_replication_lag_seconds",
	      "age of the last replayed commit while WAL waits to be "
	      "replayed", st->replay_lag_s);
	gauge(f, st, "pgkeel_timeline", "Postgres timeline", st->timeline);
	gauge(f, st, "pgkeel_store_reachable",
	      "1 when the keeper's last report reached the state store",
	      st->store_ok);
	gauge(f, st, "pgkeel_fenced", "1 while the keeper fences its primary",
	      st->fenced);
	gauge(f, st, "pgkeel_pending_restart",
	      "1 when a parameter change waits for a restart",
	      st->pending_restart);
	gauge(f, st, "pgkeel_last_promotion_duration_seconds",
	      "from the promotion order to accepting writes, last time",
	      st->last_promotion_s);
	const char *labels[] = {"formation", st->formation, "node", st->name,
				NULL};
	prom_family(f, "pgkeel_promotions_total", "counter",
		    "promotions of this node since the keeper started");
	prom_sample(f, "pgkeel_promotions_total", labels,
		    (double)st->promotions);
}

char *keeper_status_metrics(const KeeperStatus *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	render(f, st);
	fs_memstream_close(f, &buf);
	return buf;
}
