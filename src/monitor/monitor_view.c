/*
 * monitor_view.c - building what the monitor's HTTP API serves: every
 * formation as JSON (nodes, health, settings, last events) and the
 * Prometheus metrics, rebuilt at most once per monitor interval from the
 * formations the cycle has just read.
 */
#define _GNU_SOURCE /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "common/version.h"
#include "http/promtext.h"
#include "monitor/monitor.h"
#include "monitor/monitor_api.h"
#include "store/storejson.h"

#define VIEW_EVENTS 20

typedef struct MonitorView {
	json_t *formations;
	char *text;
	size_t len;
	FILE *metrics;      /* per-formation samples, collected here */
} MonitorView;

void monitor_view_begin(Monitor *m, int64_t now_ms)
{
	if (!m->api || m->view || now_ms - m->view_built_ms < m->interval_ms)
		return;
	MonitorView *v = calloc(1, sizeof(*v));
	if (!v)
		return;
	v->formations = json_array();
	v->metrics = open_memstream(&v->text, &v->len);
	if (!v->formations || !v->metrics) {
		json_decref(v->formations);
		if (v->metrics)
			fclose(v->metrics);
		free(v->text);
		free(v);
		return;
	}
	m->view = v;
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

static json_t *formation_json(Monitor *m, const StoreFormation *sf)
{
	json_t *nodes = json_array();
	for (size_t i = 0; i < sf->nnodes; i++)
		json_array_append_new(nodes,
				      store_node_json(sf, &sf->nodes[i]));
	FormationStats *st = monitor_stats(m, sf->name);
	return json_pack(
		"{s:s, s:s, s:b, s:i, s:b, s:o, s:o, s:I, s:I, s:f, s:f}",
		"name", sf->name, "health", sf->health, "paused", sf->paused,
		"number_sync_standbys", sf->number_sync_standbys,
		"strict_sync", sf->strict_sync, "nodes", nodes, "events",
		events_of(m, sf->name), "failovers",
		(json_int_t)(st ? st->failovers : 0), "switchovers",
		(json_int_t)(st ? st->switchovers : 0),
		"last_failover_seconds", st ? st->last_failover_s : 0.0,
		"last_switchover_seconds", st ? st->last_switchover_s : 0.0);
}

/* Samples only: the families' HELP and TYPE come once, in end(). */
static void formation_metrics(FILE *f, const Monitor *m,
			      const StoreFormation *sf)
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
		prom_sample(f, "pgkeel_node_reachable", l, n->reachable);
		prom_sample(f, "pgkeel_node_current_state", ls, 1);
		prom_sample(f, "pgkeel_node_assigned_state", lg, 1);
		prom_sample(f, "pgkeel_node_lag_bytes", l,
			    plsn > n->report.lsn ? (double)(plsn - n->report.lsn)
						 : 0);
	}
	(void)m;
}

void monitor_view_add(Monitor *m, const StoreFormation *sf)
{
	if (!m->view)
		return;
	int64_t start = time_monotonic_us();
	json_t *j = formation_json(m, sf);
	if (j)
		json_array_append_new(m->view->formations, j);
	formation_metrics(m->view->metrics, m, sf);
	m->view_us += time_monotonic_us() - start;
}

static void family(FILE *f, const char *name, const char *type,
		   const char *help, const char *samples, const char *prefix)
{
	prom_family(f, name, type, help);
	size_t plen = strlen(prefix);
	for (const char *line = samples; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
		if (strncmp(line, prefix, plen) == 0 &&
		    (line[plen] == '{' || line[plen] == ' '))
			fwrite(line, 1, len, f);
		line += len;
	}
}

static void formation_stats(FILE *f, const Monitor *m)
{
	struct {
		const char *name, *type, *help;
	} fams[] = {
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

static void monitor_metrics(FILE *f, const Monitor *m, const char *samples)
{
	const char *info[] = {"version", PGKEEL_VERSION, NULL};
	prom_family(f, "pgkeel_monitor_build_info", "gauge",
		    "pgkeel's version, as a label");
	prom_sample(f, "pgkeel_monitor_build_info", info, 1);
	prom_family(f, "pgkeel_monitor_active", "gauge",
		    "1 while this monitor holds the lease and decides");
	prom_sample(f, "pgkeel_monitor_active", NULL, m->active);
	prom_family(f, "pgkeel_monitor_lease_term", "gauge",
		    "the lease term this monitor holds (0: none)");
	prom_sample(f, "pgkeel_monitor_lease_term", NULL,
		    m->active ? (double)m->term : 0);
	prom_family(f, "pgkeel_monitor_cycle_seconds", "gauge",
		    "duration of the last decision cycle");
	prom_sample(f, "pgkeel_monitor_cycle_seconds", NULL,
		    (double)m->last_cycle_us / 1e6);
	prom_family(f, "pgkeel_store_reachable", "gauge",
		    "1 when the monitor reaches its state store");
	prom_sample(f, "pgkeel_store_reachable", NULL, m->store != NULL);
	family(f, "pgkeel_node_reachable", "gauge",
	       "1 when the monitor's last connection test succeeded", samples,
	       "pgkeel_node_reachable");
	family(f, "pgkeel_node_current_state", "gauge",
	       "the state each node reported (always 1, state as a label)",
	       samples, "pgkeel_node_current_state");
	family(f, "pgkeel_node_assigned_state", "gauge",
	       "the state the monitor assigned (always 1, state as a label)",
	       samples, "pgkeel_node_assigned_state");
	family(f, "pgkeel_node_lag_bytes", "gauge",
	       "bytes of WAL behind the primary, as reported", samples,
	       "pgkeel_node_lag_bytes");
	formation_stats(f, m);
}

void monitor_view_end(Monitor *m, int64_t now_ms)
{
	MonitorView *v = m->view;
	char *text = NULL;
	size_t len = 0;

	if (!v)
		return;
	m->view = NULL;
	fclose(v->metrics);
	FILE *f = open_memstream(&text, &len);
	if (f) {
		monitor_metrics(f, m, v->text);
		fclose(f);
	}
	monitor_api_publish(m->api, v->formations, text,
			    pgnode_is_running(&m->node), now_ms,
			    m->interval_ms);
	m->view_built_ms = now_ms;
	free(v->text);
	free(v);
}
