/*
 * test_monitor_decide.c - the monitor's decision cycle (monitor_cycle)
 * on the in-memory store, with the cycle's clock in the test's hands: a
 * primary whose reports stop is failed over only once node_down_timeout
 * passed. The health checks are the monitor's own thread, probing
 * loopback ports nothing listens on: every node's Postgres is refused,
 * as for a primary whose host is up and its Postgres gone.
 */
#include "unit.h"
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "monitor/healththread.h"
#include "monitor/monitor.h"
#include "store/memstore.h"
#include "loopback.h"

#define DOWN_MS 3000
#define STEP_MS 100

/* A loopback port nothing listens on (the kernel's pick, closed again). */
static int closed_port(void)
{
	int port, fd = loopback_socket(&port, false);

	close(fd);
	return port;
}

static RegisteredNode add(Store *op, const char *name)
{
	NodeRegistration reg = {.port = closed_port(), .priority = 50,
				.quorum = true};
	RegisteredNode out;

	snprintf(reg.formation, sizeof(reg.formation), "default");
	snprintf(reg.name, sizeof(reg.name), "%s", name);
	snprintf(reg.host, sizeof(reg.host), "127.0.0.1");
	assert_true(store_register_node(op, &reg, &out));
	return out;
}

/* What a keeper of goal g reports: its Postgres running in that role;
 * a standby streaming from the primary while streaming is true. */
static void report(Store *s, const RegisteredNode *n, NodeState g,
		   const StoreNode *primary, bool streaming)
{
	NodeReport r;

	memset(&r, 0, sizeof(r));
	r.current = g;
	r.pg_running = true;
	r.in_recovery = !state_is_primary(g);
	r.lsn = 0x3000000;
	r.timeline = 1;
	r.receiver_streaming = streaming && r.in_recovery;
	if (r.receiver_streaming) {
		snprintf(r.upstream_host, sizeof(r.upstream_host), "%s",
			 primary->host);
		r.upstream_port = primary->port;
	}
	assert_true(store_report(s, n->node_id, &r));
}

static NodeState goal_of(Store *op, int id)
{
	static StoreFormation f;
	assert_true(store_get_formation(op, "default", &f));
	return store_formation_node(&f, id)->goal;
}

static void seed_goals(Store *m, int64_t term, int a, int b)
{
	StoreDecision d[2] = {{.node_id = a, .goal = NS_PRIMARY},
			      {.node_id = b, .goal = NS_SECONDARY,
			       .upstream_id = a}};
	assert_true(store_apply(m, term, "default", d, 2, NULL, 0,
				"healthy", false));
}

/* The health thread's first verdict on node id: refused. */
static void wait_tested(Monitor *mon, int id)
{
	int64_t deadline = time_monotonic_ms() + 10000;
	bool ok = true, closed = false;
	int64_t since = 0;

	while (!healththread_result(mon->health, id, &ok, &closed, &since) &&
	       time_monotonic_ms() < deadline)
		time_sleep_ms(20);
	assert_false(ok);
	assert_true(closed);
	assert_true(since > 0 && since <= time_monotonic_ms());
}

static void a_silent_primary_is_failed_over_after_node_down(void **state)
{
	MemStoreDb *db = memstore_db_new();
	Store *op = memstore_open(db, MEMSTORE_OPERATOR, 0, 1000);
	RegisteredNode a = add(op, "a"), b = add(op, "b");
	Store *ka = memstore_open(db, MEMSTORE_NODE, a.node_id, 1000);
	Store *kb = memstore_open(db, MEMSTORE_NODE, b.node_id, 1000);
	Monitor *mon = calloc(1, sizeof(Monitor));
	SslSpec ssl = {.mode = "disable"};
	StoreFormation f;
	(void)state;

	mon->store = memstore_open(db, MEMSTORE_MONITOR, 0, 1000);
	mon->formation = calloc(1, sizeof(StoreFormation));
	mon->interval_ms = STEP_MS;
	mon->node_down_ms = DOWN_MS;
	mon->restart_allowance_ms = 10000;
	mon->sync_timeout_ms = 10000;
	mon->health = healththread_start(STEP_MS, 1000, "disable", &ssl);
	assert_non_null(mon->health);
	assert_true(store_acquire(mon->store, "test", "", &mon->term));
	assert_true(mon->term > 0);
	mon->active = true;
	seed_goals(mon->store, mon->term, a.node_id, b.node_id);
	assert_true(store_get_formation(op, "default", &f));
	const StoreNode pa = *store_formation_node(&f, a.node_id);

	/* both report: the primary stays, refused checks or not */
	int64_t now = 1000000;
	monitor_cycle(mon, now);
	wait_tested(mon, a.node_id);
	for (int64_t t = 0; t < 2 * DOWN_MS; t += STEP_MS, now += STEP_MS) {
		report(ka, &a, NS_PRIMARY, &pa, false);
		report(kb, &b, NS_SECONDARY, &pa, true);
		monitor_cycle(mon, now);
	}
	assert_int_equal(goal_of(op, a.node_id), NS_PRIMARY);
	assert_int_equal(goal_of(op, b.node_id), NS_SECONDARY);

	/* a falls silent; b's stream ends with it */
	int64_t silent = now;
	while (goal_of(op, b.node_id) == NS_SECONDARY &&
	       now - silent < 10 * DOWN_MS) {
		report(kb, &b, NS_SECONDARY, &pa, false);
		monitor_cycle(mon, now);
		now += STEP_MS;
	}
	assert_true(now - silent > DOWN_MS);
	assert_int_equal(goal_of(op, b.node_id), NS_PREPARE_PROMOTION);
	assert_int_not_equal(goal_of(op, a.node_id), NS_PRIMARY);

	healththread_stop(mon->health);
	store_close(mon->store);
	free(mon->formation);
	free(mon);
	store_close(kb);
	store_close(ka);
	store_close(op);
	memstore_db_free(db);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(a_silent_primary_is_failed_over_after_node_down))
