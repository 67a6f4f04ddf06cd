/*
 * monitor_view.c - building what the monitor's HTTP API serves: every
 * formation as JSON (nodes, health, settings, last events) and the
 * Prometheus metrics. Built during a decision cycle, at most once per
 * monitor interval, from each formation as the cycle read it, or read
 * again when the cycle wrote to it (so the view shows the goals just
 * decided and their events); its time is its own, not the cycle's.
 */
#define _GNU_SOURCE /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "common/version.h"
#include "http/promtext.h"
#include "monitor/monitor.h"
#include "monitor/monitor_api.h"
#include "store/storejson.h"

#define VIEW_EVENTS 20

typedef struct {
	const char *name, *type, *help;
} Family;

/* The per-node families, in the order they are served. */
enum { F_REACHABLE, F_CURRENT, F_ASSIGNED, F_LAG, NODE_FAMILIES };

static const Family node_families[NODE_FAMILIES] = {
	{"pgkeel_node_reachable", "gauge",
	 "1 when the monitor's last connection test succeeded"},
	{"pgkeel_node_current_state", "gauge",
	 "the state each node reported (always 1, state as a label)"},
	{"pgkeel_node_assigned_state", "gauge",
	 "the state the monitor assigned (always 1, state as a label)"},
	{"pgkeel_node_lag_bytes", "gauge",
	 "bytes of WAL behind the primary, as reported"},
};

/* A view being built: the formations and one stream of samples per
 * per-node family, filled formation after formation. */
struct MonitorView {
	json_t *formations;
	json_t *monitors; /* the monitors of the store, in each formation */
	FILE *samples[NODE_FAMILIES];
	char *text[NODE_FAMILIES];
	size_t len[NODE_FAMILIES];
	int64_t spent_us; /* building it, so far */
};
typedef struct MonitorView View;

static void view_free(View *v)
{
	json_decref(v->formations);
	json_decref(v->monitors);
	for (int k = 0; k < NODE_FAMILIES; k++) {
		if (v->samples[k])
			fclose(v->samples[k]);
		free(v->text[k]);
	}
}

static bool view_open(View *v)
{
	memset(v, 0, sizeof(*v));
	v->formations = json_array();
	bool ok = v->formations != NULL;
	for (int k = 0; k < NODE_FAMILIES; k++) {
		v->samples[k] = open_memstream(&v->text[k], &v->len[k]);
		ok = ok && v->samples[k];
	}
	if (!ok)
		view_free(v);
	return ok;
}

/* Closes the sample streams (their text stays); false when one failed. */
static bool view_close_samples(View *v)
{
	bool ok = true;
	for (int k = 0; k < NODE_FAMILIES; k++) {
		ok = !ferror(v->samples[k]) && ok;
		ok = fclose(v->samples[k]) == 0 && ok;
		v->samples[k] = NULL;
	}
	return ok;
}

static json_t *events_of(Monitor *m, const char *formation)
{
	StoreEvent ev[VIEW_EVENTS];
	size_t n = 0;
	json_t *arr = json_array();

	if (store_events(m->store, formation, VIEW_EVENTS, ev, &n)) {
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, store_event_json(&ev[i]));
	}
	return arr;
}

/* The monitors on the store, as show monitors lists them; NULL when
 * the store cannot say. */
static json_t *monitors_json(Monitor *m)
{
	StoreMonitor mon[32];
	size_t n = 0;
	json_t *list;

	if (!store_list_monitors(m->store, mon, 32, &n)) {
		log_warn("HTTP API view: %s", m->store->error);
		return NULL;
	}
	list = json_array();
	for (size_t i = 0; list && i < n; i++)
		json_array_append_new(list, store_monitor_json(&mon[i]));
	return list;
}

static json_t *formation_json(Monitor *m, const StoreFormation *sf,
			      json_t *monitors)
{
	json_t *nodes = json_array();
	for (size_t i = 0; i < sf->nnodes; i++)
		json_array_append_new(nodes,
				      store_node_json(sf, &sf->nodes[i]));
	FormationStats *st = monitor_stats(m, sf->name);
	return json_pack(
		"{s:s, s:s, s:b, s:i, s:b, s:o, s:o, s:I, s:I, s:f, s:f, s:O*}",
		"name", sf->name, "health", sf->health, "paused", sf->paused,
		"number_sync_standbys", sf->number_sync_standbys,
		"strict_sync", sf->strict_sync, "nodes", nodes, "events",
		events_of(m, sf->name), "failovers",
		(json_int_t)(st ? st->failovers : 0), "switchovers",
		(json_int_t)(st ? st->switchovers : 0),
		"last_failover_seconds", st ? st->last_failover_s : 0.0,
		"last_switchover_seconds", st ? st->last_switchover_s : 0.0,
		"monitors", monitors);
}

/* The formation's samples, each into its family's stream. */
static void formation_samples(View *v, const StoreFormation *sf)
{
	const StoreNode *p = store_formation_primary(sf);
	Lsn plsn = p ? p->report.lsn : 0;
	for (size_t i = 0; i < sf->nnodes; i++) {
		const StoreNode *n = &sf->nodes[i];
		const char *l[] = {"formation", sf->name, "node", n->name,
				   NULL};
		const char *ls[] = {"formation", sf->name, "node", n->name,
				    "state", state_name(n->reported), NULL};
		const char *lg[] = {"formation", sf->name, "node", n->name,
				    "state", state_name(n->goal), NULL};
		FILE **s = v->samples;
		prom_sample(s[F_REACHABLE], node_families[F_REACHABLE].name, l,
			    n->reachable);
		prom_sample(s[F_CURRENT], node_families[F_CURRENT].name, ls, 1);
		prom_sample(s[F_ASSIGNED], node_families[F_ASSIGNED].name, lg,
			    1);
		prom_sample(s[F_LAG], node_families[F_LAG].name, l,
			    plsn > n->report.lsn ? (double)(plsn - n->report.lsn)
						 : 0);
	}
}

void monitor_view_add(Monitor *m, MonitorView *v, const StoreFormation *sf)
{
	int64_t start = time_monotonic_us();

	if (!v->monitors)
		v->monitors = monitors_json(m);
	json_t *j = formation_json(m, sf, v->monitors);
	if (j)
		json_array_append_new(v->formations, j);
	formation_samples(v, sf);
	v->spent_us += time_monotonic_us() - start;
}

static void formation_stats(FILE *f, const Monitor *m)
{
	static const Family fams[] = {
		{"pgkeel_failovers_total", "counter",
		 "failovers the monitor ordered since it started"},
		{"pgkeel_switchovers_total", "counter",
		 "switchovers the monitor carried out since it started"},
		{"pgkeel_last_failover_duration_seconds", "gauge",
		 "last failover, from the promotion order to writes accepted"},
		{"pgkeel_last_switchover_duration_seconds", "gauge",
		 "last switchover, from the promotion order to writes "
		 "accepted"},
	};
	for (size_t k = 0; k < 4; k++) {
		prom_family(f, fams[k].name, fams[k].type, fams[k].help);
		for (size_t i = 0; i < m->nstats; i++) {
			const FormationStats *s = &m->stats[i];
			const char *l[] = {"formation", s->name, NULL};
			double v[] = {(double)s->failovers,
				      (double)s->switchovers, s->last_failover_s,
				      s->last_switchover_s};
			prom_sample(f, fams[k].name, l, v[k]);
		}
	}
}

static void gauge(FILE *f, const char *name, const char *help,
		  const char *const *labels, double value)
{
	prom_family(f, name, "gauge", help);
	prom_sample(f, name, labels, value);
}

static void monitor_metrics(FILE *f, const Monitor *m, const View *v)
{
	const char *info[] = {"version", PGKEEL_VERSION, NULL};
	gauge(f, "pgkeel_monitor_build_info", "pgkeel's version, as a label",
	      info, 1);
	gauge(f, "pgkeel_monitor_active",
	      "1 while this monitor holds the lease and decides", NULL,
	      m->active);
	gauge(f, "pgkeel_monitor_lease_term",
	      "the lease term this monitor holds (0: none)", NULL,
	      m->active ? (double)m->term : 0);
	gauge(f, "pgkeel_monitor_cycle_seconds",
	      "duration of the last decision cycle", NULL,
	      (double)m->last_cycle_us / 1e6);
	prom_family(f, "pgkeel_monitor_cycles_total", "counter",
		    "decision cycles run since the monitor started");
	prom_sample(f, "pgkeel_monitor_cycles_total", NULL, (double)m->cycles);
	gauge(f, "pgkeel_monitor_quiet",
	      "1 while every formation is steady and cycles are left out "
	      "(docs/architecture.md)",
	      NULL, m->quiet);
	gauge(f, "pgkeel_monitor_view_seconds",
	      "time spent reading and rendering the formations for this view",
	      NULL, (double)m->last_view_us / 1e6);
	gauge(f, "pgkeel_store_reachable",
	      "1 when the monitor reaches its state store", NULL,
	      m->store != NULL);
	for (int k = 0; k < NODE_FAMILIES; k++) {
		prom_family(f, node_families[k].name, node_families[k].type,
			    node_families[k].help);
		fwrite(v->text[k], 1, v->len[k], f);
	}
	formation_stats(f, m);
}

/* The metrics text (malloc'd), or NULL when it could not be written. */
static char *render_metrics(const Monitor *m, const View *v)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	monitor_metrics(f, m, v);
	bool ok = !ferror(f);
	if (fclose(f) != 0 || !ok) {
		free(text);
		return NULL;
	}
	return text;
}

bool monitor_view_due(const Monitor *m, int64_t now_ms)
{
	return m->api && now_ms - m->view_built_ms >= m->interval_ms;
}

MonitorView *monitor_view_begin(void)
{
	View *v = malloc(sizeof(View));

	if (!v || !view_open(v)) {
		free(v);
		log_warn("HTTP API: out of memory building the view");
		return NULL;
	}
	v->spent_us = 0;
	return v;
}

int64_t monitor_view_spent_us(const MonitorView *v)
{
	return v->spent_us;
}

void monitor_view_end(Monitor *m, MonitorView *v, int64_t now_ms)
{
	int64_t start = time_monotonic_us();
	bool ok = view_close_samples(v);
	m->last_view_us = v->spent_us + time_monotonic_us() - start;
	char *text = ok ? render_metrics(m, v) : NULL;
	if (!text) {
		log_warn("HTTP API: out of memory building the view");
		view_free(v);
		free(v);
		return;
	}
	monitor_api_publish(m->api, v->formations, text,
			    !m->own_store || pgnode_is_running(&m->node), now_ms,
			    m->interval_ms);
	v->formations = NULL; /* the API owns it now */
	view_free(v);
	free(v);
	m->view_built_ms = now_ms;
}
