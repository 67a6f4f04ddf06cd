/*
 * monitor_quiet.c - the monitor's quiet cadence. While every formation
 * is steady (healthy, nothing decided, written or scheduled, every node's
 * connection test passing and every standby streaming) and the store's
 * waits hear beats (the postgres store: a keeper's report that changed
 * nothing is a notification, not a row to read; pgstore_wait.c), a
 * decision cycle reads the store once in MONITOR_QUIET_CYCLES intervals.
 *
 * Nothing a rule reads can change unseen meanwhile. A changed report, an
 * operator's action and a changed connection test each end the wait,
 * and the next cycle runs at once. The one clock a steady formation's
 * rules read is each keeper's last report: beats keep it, each heard
 * after its report was committed (as a read would have seen it), and a
 * keeper not heard for a quiet period (a standby's: two, as a steady
 * standby's keeper beats about once a period: keeper/keeper_quiet.c)
 * ends the quiet, so that its silence is timed at the usual cadence
 * (docs/architecture.md).
 */
#include "monitor/monitor_quiet.h"

#include <stdint.h>

#include "monitor/nodememory.h"
#include "store/store.h"

void monitor_quiet_begin(Monitor *m, int64_t now_ms)
{
	m->quiet = m->store && m->store->hears_beats;
	m->nquiet = 0;
	m->last_cycle_ms = now_ms;
	m->cycles++;
}

void monitor_quiet_end(Monitor *m)
{
	m->quiet = false;
}

static bool node_steady(const FsmNode *n, const FsmNode *p)
{
	if (!n->health_ok)
		return false;
	return n == p || n->goal == NS_MAINTENANCE || n->receiver_streaming;
}

/* The time between two cycles while quiet. */
static int64_t period(const Monitor *m)
{
	return MONITOR_QUIET_CYCLES * m->interval_ms;
}

/* When the keeper of quiet node i has been unheard too long (a
 * standby's may be for two periods); INT64_MIN when its memory is gone. */
static int64_t unheard_at(const Monitor *m, size_t i)
{
	if (m->quiet_mem[i] >= m->nmem)
		return INT64_MIN;
	return m->mem[m->quiet_mem[i]].last_report_ms +
	       (m->quiet_standby[i] ? 2 : 1) * period(m);
}

/* The first time a quiet node's keeper has been unheard too long. */
static int64_t first_unheard(const Monitor *m)
{
	int64_t first = INT64_MAX;

	for (size_t i = 0; i < m->nquiet; i++) {
		int64_t t = unheard_at(m, i);
		if (t < first)
			first = t;
	}
	return first;
}

void monitor_quiet_formation(Monitor *m, const FsmFormation *f,
			     NodeMemory *const *mem, bool acted)
{
	FormationHealth h = fsm_health(f);
	const FsmNode *p = fsm_primary(f);

	if (!m->quiet)
		return;
	/* a formation with no node yet (or none left) has nothing to time */
	m->quiet = !acted && (h == FH_HEALTHY || h == FH_NO_STANDBY ||
			      f->nnodes == 0);
	for (size_t i = 0; m->quiet && i < f->nnodes; i++) {
		m->quiet = node_steady(&f->nodes[i], p) &&
			   m->nquiet < MONITOR_MAX_TRACKED;
		if (!m->quiet)
			break;
		m->quiet_standby[m->nquiet] = &f->nodes[i] != p;
		m->quiet_mem[m->nquiet++] = (size_t)(mem[i] - m->mem);
		/* a keeper unheard too long: its silence is timed at the
		 * usual cadence, and the connection tests with it */
		m->quiet = m->last_cycle_ms < unheard_at(m, m->nquiet - 1);
	}
}

static void hear_beats(Monitor *m)
{
	StoreBeat beats[STORE_MAX_BEATS];
	size_t n = m->store ? store_take_beats(m->store, beats,
					       STORE_MAX_BEATS)
			    : 0;

	for (size_t i = 0; i < n; i++) {
		NodeMemory *nm = nodememory_find(m, beats[i].node_id);
		if (!nm)
			continue;
		nm->beat_seq = beats[i].report_seq;
		nm->beat_ms = beats[i].heard_ms;
		if (nm->beat_ms > nm->last_report_ms)
			nm->last_report_ms = nm->beat_ms;
	}
}

int64_t monitor_quiet_wait(const Monitor *m, int64_t now_ms)
{
	int64_t until = m->last_cycle_ms + period(m);
	int64_t unheard = first_unheard(m);

	if (unheard < until)
		until = unheard;
	if (!m->quiet || until - now_ms < m->interval_ms)
		return m->interval_ms;
	return until - now_ms;
}

bool monitor_quiet_skip(Monitor *m, int64_t now_ms, bool news)
{
	hear_beats(m);
	return m->quiet && !news && m->store && !m->store->woken &&
	       now_ms - m->last_cycle_ms < period(m) && now_ms < first_unheard(m);
}
