/*
 * test_explain.c - the explanation of a formation (fsm/explain.h) on
 * constructed snapshots: what it says agrees with what the state
 * machine decides on the same snapshot.
 */
#include "unit.h"

#include "fsm_helpers.h"
#include <stdlib.h>

#include "fsm/explain.h"

static FsmExplanation *x;

static int setup(void **state)
{
	(void)state;
	x = calloc(1, sizeof(*x));
	return x ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(x);
	return 0;
}

/* The sentence of l containing text, or NULL. */
static const char *said(const FsmLines *l, const char *text)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strstr(l->text[i], text))
			return l->text[i];
	}
	return NULL;
}

static void assert_said(const FsmLines *l, const char *text)
{
	if (said(l, text))
		return;
	for (size_t i = 0; i < l->n; i++)
		fprintf(stderr, "  said: %s\n", l->text[i]);
	fail_msg("nothing said contains \"%s\"", text);
}

static const FsmNodeExplanation *node_x(int id)
{
	for (size_t i = 0; i < x->nnodes; i++) {
		if (x->nodes[i].node->id == id)
			return &x->nodes[i];
	}
	fail_msg("node %d not explained", id);
	return NULL;
}

/* The explanation's next decisions are fsm_step's on the same snapshot,
 * which the explanation left as it was. */
static void assert_next_is_fsm_step(TestFormation *t)
{
	FsmNode before[T_MAX_NODES];

	memcpy(before, t->nodes, sizeof(before));
	tf_step(t);
	assert_int_equal(x->nnext, t->nd);
	for (size_t i = 0; i < t->nd; i++) {
		assert_int_equal(x->next[i].node_id, t->d[i].node_id);
		assert_int_equal(x->next[i].to, t->d[i].to);
		assert_string_equal(x->next[i].why, t->d[i].why);
	}
	memcpy(t->nodes, before, sizeof(before));
}

static void healthy_formation(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	fsm_explain(&t.f, x);
	assert_int_equal(x->health, FH_HEALTHY);
	assert_int_equal(x->primary_id, 1);
	assert_false(x->primary_down);
	assert_int_equal(x->candidate_id, 2);
	assert_said(&x->lines, "node1 is the primary");
	assert_said(&x->lines, "No failover: node2 still streams WAL");
	assert_said(&x->lines, "the monitor decides nothing");
	assert_said(&node_x(1)->lines, "Verdict: not down");
	assert_said(&node_x(2)->lines, "a failover now would promote it");
	assert_said(&node_x(2)->lines, "In the synchronous set");
	assert_said(&node_x(2)->lines, "No rule fires");
	assert_true(node_x(2)->sync_member);
	assert_int_equal(node_x(2)->flaws, 0);
	assert_next_is_fsm_step(&t);
}

/* A standby formation: the leader is named as such, never "the
 * primary", and the way out is said. */
static void standby_formation(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	t.f.settings.standby_of = true;
	tf_replicating(&t, NS_WAIT_PRIMARY);
	fsm_explain(&t.f, x);
	assert_said(&x->lines, "This is a standby formation");
	assert_said(&x->lines, "node1 is the standby leader");
	assert_said(&x->lines, "perform promotion");
	for (size_t i = 0; i < x->lines.n; i++)
		assert_null(strstr(x->lines.text[i], "is the primary"));
}

/* The primary's keeper is gone and its checks fail, but node2 still
 * streams from it: not down, no failover. */
static void standby_still_streaming_means_no_failover(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	FsmNode *p = fsm_node(&t.f, 1);
	p->health_ok = false;
	p->health_fail_since_ms = t.f.now_ms;
	tf_advance(&t, 5000);
	p->last_report_ms = t.f.now_ms - 5000;
	FsmNode *s3 = fsm_node(&t.f, 3);
	s3->receiver_streaming = false;
	s3->streaming_from = 0;
	s3->not_streaming_since_ms = t.f.now_ms - 5000;

	fsm_explain(&t.f, x);
	assert_false(x->primary_down);
	assert_int_equal(node_x(1)->down.streaming_standby, 2);
	assert_true(node_x(1)->down.keeper_lost);
	assert_true(node_x(1)->down.health_lost);
	assert_said(&x->lines, "node2 still streams WAL from the primary, so "
			       "it is not down");
	assert_said(&node_x(1)->lines, "Its keeper is silent");
	assert_said(&node_x(1)->lines, "no standby holding it (no: node2 "
				       "streams from it)");
	assert_next_is_fsm_step(&t);
	for (size_t i = 0; i < x->nnext; i++)
		assert_int_not_equal(x->next[i].to, NS_PREPARE_PROMOTION);

	/* node2 lets go of it too: down, and the failover is the decision */
	FsmNode *s2 = fsm_node(&t.f, 2);
	s2->receiver_streaming = false;
	s2->streaming_from = 0;
	s2->not_streaming_since_ms = t.f.now_ms - 5000;
	fsm_explain(&t.f, x);
	assert_true(x->primary_down);
	assert_said(&x->lines, "The primary is down (every signal lost it)");
	assert_said(&x->lines, "Next decision: node2 secondary -> "
			       "prepare_promotion");
	assert_next_is_fsm_step(&t);
}

/* node2 is preferred (priority) but node3 received more WAL; node4 is
 * catching up, far behind. */
static void lagging_candidate(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 4);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 1)->lsn = 0x9000000;
	fsm_node(&t.f, 2)->priority = 100;
	fsm_node(&t.f, 3)->lsn = 0x3001000;
	FsmNode *s4 = fsm_node(&t.f, 4);
	s4->goal = s4->reported = NS_CATCHINGUP;
	tf_kill(&t, 1);
	tf_advance(&t, 4000);

	fsm_explain(&t.f, x);
	assert_true(x->primary_down);
	assert_int_equal(x->candidate_id, 2);
	assert_said(&x->lines, "fetches the WAL it misses from node3");
	assert_int_equal(node_x(2)->ahead_id, 3);
	assert_int_equal(node_x(2)->behind_bytes, 0x1000);
	assert_said(&node_x(2)->lines, "node3 received 4096 bytes more WAL");
	assert_said(&node_x(3)->lines, "promote another standby first");
	assert_true(node_x(4)->flaws & FC_NOT_IN_SYNC);
	assert_said(&node_x(4)->lines, "Not a failover candidate: not in "
				       "sync");
	assert_said(&node_x(4)->lines, "100663296 bytes behind the primary");
	assert_next_is_fsm_step(&t);
}

static void paused_formation(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	t.f.settings.paused = true;
	tf_kill(&t, 1);
	tf_advance(&t, 10000);

	fsm_explain(&t.f, x);
	assert_true(x->paused);
	assert_int_equal(x->health, FH_PAUSED);
	assert_int_equal(x->nnext, 0);
	assert_said(&x->lines, "The formation is paused");
	assert_said(&node_x(2)->lines, "Paused: no decision for it");
	assert_false(node_x(2)->has_next);
	assert_next_is_fsm_step(&t);
}

static void switchover_pending(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	FsmNode *s2 = fsm_node(&t.f, 2);
	s2->goal = s2->reported = NS_CATCHINGUP;
	t.f.settings.switchover_to = 2;

	fsm_explain(&t.f, x);
	assert_true(x->switchover_pending);
	assert_said(&x->lines, "A switchover to node2 is pending: waits, "
			       "since the rule's condition does not hold");
	assert_said(&x->lines, "node2 cannot take over now");
	assert_said(&node_x(2)->lines, "its goal is not secondary");
	assert_next_is_fsm_step(&t);

	/* once node2 is in sync, the switchover starts */
	s2->goal = s2->reported = NS_SECONDARY;
	fsm_explain(&t.f, x);
	assert_said(&x->lines, "A switchover to node2 is pending: due now");
	assert_said(&x->lines, "Next decision: node1 primary -> draining");
	assert_next_is_fsm_step(&t);
}

static void priority_zero_is_no_candidate(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 2)->priority = 0;

	fsm_explain(&t.f, x);
	assert_int_equal(node_x(2)->flaws, FC_PRIORITY_ZERO);
	assert_said(&node_x(2)->lines, "Not a failover candidate: candidate "
				       "priority 0");
	assert_int_equal(x->candidate_id, 3);
	fsm_node(&t.f, 3)->quorum = false;
	fsm_node(&t.f, 3)->priority = 0;
	fsm_explain(&t.f, x);
	assert_int_equal(x->candidate_id, 0);
	assert_said(&node_x(3)->lines, "Not in the replication quorum");
	assert_next_is_fsm_step(&t);
}

static void nofailover_is_no_candidate(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 2)->nofailover = true;

	fsm_explain(&t.f, x);
	assert_int_equal(node_x(2)->flaws, FC_NOFAILOVER);
	assert_said(&node_x(2)->lines, "Not a failover candidate: tagged "
				       "nofailover");
	assert_int_equal(x->candidate_id, 0);
}

/* a delayed standby says so and is no candidate; one that replicates
 * from a failed standby says it follows the primary */
static void delayed_and_cascaded_standbys(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 2)->apply_delay_ms = 3600000;
	fsm_node(&t.f, 3)->replicate_from = 2;
	fsm_node(&t.f, 2)->health_ok = false;

	fsm_explain(&t.f, x);
	assert_int_equal(node_x(2)->flaws, FC_DELAYED);
	assert_said(&node_x(2)->lines, "Replays WAL 60min late");
	assert_said(&node_x(2)->lines, "Not a failover candidate: it applies "
				       "WAL late (node.apply_delay)");
	assert_said(&node_x(3)->lines, "node.replicate_from names node2, not "
				       "a healthy standby of the primary now");
	fsm_node(&t.f, 2)->health_ok = true;
	fsm_explain(&t.f, x);
	assert_said(&node_x(3)->lines, "Replicates from the standby node2");
}

/* A request waits on the rule that carries it out. */
static void maintenance_waits_for_the_keeper(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	FsmNode *s2 = fsm_node(&t.f, 2);
	s2->maintenance = true;
	s2->reported = NS_CATCHINGUP;
	fsm_node(&t.f, 1)->restart_pending = true;

	fsm_explain(&t.f, x);
	assert_true(node_x(2)->maintenance_pending);
	assert_said(&node_x(2)->lines, "Maintenance requested: waits for its "
				       "keeper to reach secondary");
	assert_said(&node_x(1)->lines, "Restart of Postgres requested");
	s2->reported = NS_SECONDARY;
	fsm_explain(&t.f, x);
	assert_said(&node_x(2)->lines, "Maintenance requested: due now");
	assert_next_is_fsm_step(&t);
}

/* A primary with standbys is dropped only once alone; the store's
 * guesses at durations read as "at least". */
static void drop_of_a_primary_waits(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 1)->drop = true;
	FsmNode *s2 = fsm_node(&t.f, 2);
	s2->health_ok = false;
	s2->health_fail_since_ms = t.f.now_ms - 1500;
	t.f.since_at_least = true;

	fsm_explain(&t.f, x);
	assert_true(node_x(1)->drop_pending);
	assert_said(&node_x(1)->lines, "Drop requested: waits, since the "
				       "rule's condition does not hold yet (an "
				       "operator drops a node (a primary only "
				       "once it is alone))");
	assert_said(&node_x(2)->lines, "The monitor's checks fail, for at "
				       "least 1.5 s");
	assert_next_is_fsm_step(&t);
}

UNIT_MAIN(setup, teardown, cmocka_unit_test(healthy_formation),
	  cmocka_unit_test(standby_still_streaming_means_no_failover),
	  cmocka_unit_test(lagging_candidate),
	  cmocka_unit_test(paused_formation),
	  cmocka_unit_test(switchover_pending),
	  cmocka_unit_test(priority_zero_is_no_candidate),
	  cmocka_unit_test(nofailover_is_no_candidate),
	  cmocka_unit_test(delayed_and_cascaded_standbys),
	  cmocka_unit_test(maintenance_waits_for_the_keeper),
	  cmocka_unit_test(drop_of_a_primary_waits),
	  cmocka_unit_test(standby_formation))
