/*
 * test_monitor_quiet.c - the monitor's quiet cadence (monitor_quiet.c)
 * and the beats in a node's memory (nodememory.c): a beat keeps the time
 * of the report it stands for; a cycle is left out only while quiet,
 * without news, within the quiet period and with every keeper heard.
 */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor.h"
#include "monitor/monitor_quiet.h"
#include "monitor/nodememory.h"
#include "store/store.h"

#define INTERVAL_MS 250
#define PERIOD_MS (MONITOR_QUIET_CYCLES * INTERVAL_MS)

typedef struct {
	Monitor *m;
	Store *s;
	NodeMemory *nm;
} Fixture;

/* A monitor, quiet since t=1000, over a store that hears beats, with
 * node 7 last heard at t=1000 (report_seq 5). */
static Fixture quiet_monitor(void)
{
	Fixture x = {calloc(1, sizeof(Monitor)), calloc(1, sizeof(Store)),
		     NULL};
	StoreNode n = {.id = 7, .report_seq = 5};

	assert_non_null(x.m);
	assert_non_null(x.s);
	x.s->hears_beats = true;
	x.m->store = x.s;
	x.m->interval_ms = INTERVAL_MS;
	x.nm = nodememory_get(x.m, 7, 1000);
	nodememory_observe(x.nm, &n, true, 1000);
	monitor_quiet_begin(x.m, 1000);
	x.m->quiet_mem[x.m->nquiet++] = 0;
	return x;
}

static void done(Fixture *x)
{
	free(x->s);
	free(x->m);
}

static void beat(Fixture *x, int64_t seq, int64_t at)
{
	store_heard_beat(x->s, (StoreBeat){7, seq, at});
}

static void a_read_keeps_the_time_its_beat_was_heard(void **state)
{
	Fixture x = quiet_monitor();
	StoreNode n = {.id = 7, .report_seq = 6};
	(void)state;

	beat(&x, 6, 1400);
	assert_true(monitor_quiet_skip(x.m, 1500, false));
	assert_int_equal(x.nm->last_report_ms, 1400);
	/* read at 1900: report 6 is the one heard at 1400 */
	nodememory_observe(x.nm, &n, true, 1900);
	assert_int_equal(x.nm->last_report_ms, 1400);
	/* report 7 came without a beat (it changed something): seen now */
	n.report_seq = 7;
	nodememory_observe(x.nm, &n, true, 2100);
	assert_int_equal(x.nm->last_report_ms, 2100);
	done(&x);
}

static void cycles_are_left_out_only_while_nothing_can_change(void **state)
{
	Fixture x = quiet_monitor();
	(void)state;

	assert_true(monitor_quiet_skip(x.m, 1250, false));
	/* news from the health checks, or news that ended the wait */
	assert_false(monitor_quiet_skip(x.m, 1250, true));
	x.s->woken = true;
	assert_false(monitor_quiet_skip(x.m, 1250, false));
	x.s->woken = false;
	/* the quiet period is over: a cycle */
	assert_false(monitor_quiet_skip(x.m, 1000 + PERIOD_MS, false));
	/* a keeper not heard for a period: every cycle, until it is */
	monitor_quiet_begin(x.m, 1900);
	x.m->quiet_mem[x.m->nquiet++] = 0;
	assert_false(monitor_quiet_skip(x.m, 2000, false));
	beat(&x, 6, 2050);
	assert_true(monitor_quiet_skip(x.m, 2100, false));
	/* a store that hears no beats is never quiet */
	x.s->hears_beats = false;
	monitor_quiet_begin(x.m, 2200);
	assert_false(monitor_quiet_skip(x.m, 2300, false));
	/* nor a monitor whose wait failed */
	x.s->hears_beats = true;
	monitor_quiet_begin(x.m, 2400);
	monitor_quiet_end(x.m);
	assert_false(monitor_quiet_skip(x.m, 2500, false));
	done(&x);
}

/* A steady standby's keeper beats every other keeper interval: its
 * silence ends the quiet after two periods, a primary's after one. */
static void a_standby_keeper_may_be_unheard_twice_as_long(void **state)
{
	Fixture x = quiet_monitor();
	(void)state;

	monitor_quiet_begin(x.m, 1000 + PERIOD_MS);
	x.m->quiet_standby[x.m->nquiet] = false;
	x.m->quiet_mem[x.m->nquiet++] = 0;
	assert_false(monitor_quiet_skip(x.m, 1100 + PERIOD_MS, false));
	x.m->quiet_standby[0] = true;
	assert_true(monitor_quiet_skip(x.m, 1100 + PERIOD_MS, false));
	assert_false(monitor_quiet_skip(x.m, 1000 + 2 * PERIOD_MS, false));
	done(&x);
}

/* The loop's wait: until the next cycle is due or a keeper has been
 * unheard too long, an interval at least; an interval when not quiet. */
static void the_loop_waits_until_the_next_cycle_is_due(void **state)
{
	Fixture x = quiet_monitor();
	(void)state;

	/* node 7 (a primary's keeper) heard at 1000, the cycle at 1000 */
	assert_int_equal(monitor_quiet_wait(x.m, 1000), PERIOD_MS);
	x.nm->last_report_ms = 800;
	assert_int_equal(monitor_quiet_wait(x.m, 1000), PERIOD_MS - 200);
	x.m->quiet_standby[0] = true; /* a standby's: the cycle first */
	assert_int_equal(monitor_quiet_wait(x.m, 1000), PERIOD_MS);
	assert_int_equal(monitor_quiet_wait(x.m, 900 + PERIOD_MS),
			 INTERVAL_MS);
	monitor_quiet_end(x.m);
	assert_int_equal(monitor_quiet_wait(x.m, 1000), INTERVAL_MS);
	done(&x);
}

/* While a node's connection tests fail, the loop wakes when the next
 * signal crosses its threshold; with none failing, never for them. */
static void a_failing_node_is_decided_on_at_its_thresholds(void **state)
{
	Fixture x = quiet_monitor(); /* node 7 heard at 1000 */
	(void)state;

	x.nm->fence_ms = 1000;
	x.nm->not_streaming_since_ms = -1; /* a standby streaming */
	assert_int_equal(nodememory_next_deadline(x.m, 3000, 1100), -1);
	x.nm->health_fail_since_ms = 1200;
	x.nm->port_closed = true;
	/* silent past its fencing time (1000 + 250 ms margin) first */
	assert_int_equal(nodememory_next_deadline(x.m, 3000, 1300), 2250);
	/* then silent for node_down, then failing for it */
	assert_int_equal(nodememory_next_deadline(x.m, 3000, 2250), 4000);
	assert_int_equal(nodememory_next_deadline(x.m, 3000, 4000), 4200);
	/* a standby that stopped streaming is let go after the window */
	x.nm->not_streaming_since_ms = 4100;
	assert_int_equal(nodememory_next_deadline(x.m, 3000, 4200),
			 4100 + STANDBY_LET_GO_MS);
	assert_int_equal(nodememory_next_deadline(x.m, 3000, 9000), -1);
	done(&x);
}

/* A formation without nodes (made, or every node dropped) has nothing
 * to time: it does not keep the monitor from being quiet. */
static void an_empty_formation_lets_the_monitor_be_quiet(void **state)
{
	Fixture x = quiet_monitor();
	FsmFormation *f = calloc(1, sizeof(FsmFormation));
	(void)state;

	assert_non_null(f);
	monitor_quiet_formation(x.m, f, NULL, false);
	assert_true(x.m->quiet);
	monitor_quiet_formation(x.m, f, NULL, true);
	assert_false(x.m->quiet);
	free(f);
	done(&x);
}

/* A keeper already unheard too long at a cycle ends the quiet there,
 * so that the connection tests go back to the usual cadence too. */
static void a_silent_keeper_ends_the_quiet_at_the_cycle(void **state)
{
	Fixture x = quiet_monitor(); /* node 7 heard at 1000 */
	FsmFormation *f = calloc(1, sizeof(FsmFormation));
	FsmNode node = {.id = 7, .goal = NS_SINGLE, .reported = NS_SINGLE,
			.pg_running = true, .health_ok = true,
			.last_report_ms = 1000};
	NodeMemory *mem[1] = {x.nm};
	(void)state;

	assert_non_null(f);
	fsm_settings_default(&f->settings);
	f->nodes = &node;
	f->nnodes = 1;
	f->now_ms = 1000 + PERIOD_MS / 2;
	monitor_quiet_begin(x.m, f->now_ms);
	monitor_quiet_formation(x.m, f, mem, false);
	assert_true(x.m->quiet);
	f->now_ms = 1000 + PERIOD_MS;
	monitor_quiet_begin(x.m, f->now_ms);
	monitor_quiet_formation(x.m, f, mem, false);
	assert_false(x.m->quiet);
	free(f);
	done(&x);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(a_silent_keeper_ends_the_quiet_at_the_cycle),
	  cmocka_unit_test(an_empty_formation_lets_the_monitor_be_quiet),
	  cmocka_unit_test(a_failing_node_is_decided_on_at_its_thresholds),
	  cmocka_unit_test(a_standby_keeper_may_be_unheard_twice_as_long),
	  cmocka_unit_test(the_loop_waits_until_the_next_cycle_is_due),
	  cmocka_unit_test(a_read_keeps_the_time_its_beat_was_heard),
	  cmocka_unit_test(cycles_are_left_out_only_while_nothing_can_change))
