/*
 * monitor_stats.c - counting failovers and switchovers per formation and
 * timing each from the promotion order to the new primary reporting that
 * it accepts writes. A switchover is a promotion while the old primary is
 * draining; every other promotion is a failover (forced ones included).
 */
#include <stdio.h>
#include <string.h>

#include "monitor/monitor.h"

FormationStats *monitor_stats(Monitor *m, const char *formation)
{
	for (size_t i = 0; i < m->nstats; i++) {
		if (strcmp(m->stats[i].name, formation) == 0)
			return &m->stats[i];
	}
	if (m->nstats == MONITOR_MAX_FORMATIONS)
		return NULL;
	FormationStats *s = &m->stats[m->nstats++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", formation);
	return s;
}

/* The old primary drains (now, or in these same decisions). */
static bool draining(const StoreFormation *sf, const FsmDecision *d,
		     size_t nd)
{
	for (size_t i = 0; i < sf->nnodes; i++) {
		if (sf->nodes[i].goal == NS_DRAINING)
			return true;
	}
	for (size_t i = 0; i < nd; i++) {
		if (d[i].to == NS_DRAINING)
			return true;
	}
	return false;
}

/* The promoted node now reports a primary state: the promotion ended. */
static void finish(FormationStats *s, const StoreFormation *sf,
		   int64_t now_ms)
{
	const StoreNode *n = store_formation_node(sf, s->promoting);
	if (!n) {
		s->promoting = 0;
		return;
	}
	if (!state_is_primary(n->reported))
		return;
	double took = (double)(now_ms - s->promo_start_ms) / 1000;
	if (s->promo_switchover)
		s->last_switchover_s = took;
	else
		s->last_failover_s = took;
	s->promoting = 0;
}

void monitor_count_promotions(Monitor *m, const StoreFormation *sf,
			      const FsmDecision *d, size_t nd, int64_t now_ms)
{
	FormationStats *s = monitor_stats(m, sf->name);
	if (!s)
		return;
	if (s->promoting != 0)
		finish(s, sf, now_ms);
	for (size_t i = 0; i < nd; i++) {
		if (d[i].to != NS_PREPARE_PROMOTION)
			continue;
		bool switchover = draining(sf, d, nd);
		if (switchover)
			s->switchovers++;
		else
			s->failovers++;
		s->promoting = d[i].node_id;
		s->promo_switchover = switchover;
		s->promo_start_ms = now_ms;
	}
}
