/*
 * test_fsm_cascade.c - cascading replication and delayed replicas in the
 * state machine (docs/state-machine.md): a standby with replicate_from
 * streams from that standby while it is healthy and streams from the
 * primary, follows the primary when it fails, goes back when it
 * recovers, stays on it through that standby's promotion; a cascaded
 * standby is never synchronous and a candidate only when caught up; a
 * delayed standby is neither synchronous nor a candidate.
 */
#include "unit.h"

#include "fsm_helpers.h"

#define GOAL(t, id) (fsm_node(&(t)->f, (id))->goal)
#define UP(t, id) (fsm_node(&(t)->f, (id))->upstream_id)

/* node 1 primary, 2 and 3 secondaries of it; 3 asks to replicate from 2 */
static void three_nodes(TestFormation *t)
{
	tf_init(t, 3);
	tf_replicating(t, NS_PRIMARY);
	fsm_node(&t->f, 3)->replicate_from = 2;
}

/* node 3's keeper follows its new upstream and streams from it */
static void streams_from_upstream(TestFormation *t)
{
	FsmNode *c = fsm_node(&t->f, 3);
	tf_reach(t, 3);
	c->receiver_streaming = true;
	c->streaming_from = c->upstream_id;
	c->not_streaming_since_ms = -1;
}

static void a_standby_streams_from_its_replicate_from(void **state)
{
	TestFormation t;
	(void)state;

	three_nodes(&t);
	assert_int_equal(fsm_wanted_upstream(&t.f, fsm_node(&t.f, 3)), 2);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 3), NS_CATCHINGUP);
	assert_int_equal(UP(&t, 3), 2);
	assert_non_null(strstr(t.d[0].why, "node2"));
	assert_true(fsm_is_cascaded(&t.f, fsm_node(&t.f, 3)));
	streams_from_upstream(&t);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 3), NS_SECONDARY); /* caught up via node 2 */
	tf_reach_all(&t);
	assert_int_equal(tf_step(&t), 0); /* and stays there */
}

static void a_cascaded_standby_is_never_synchronous(void **state)
{
	TestFormation t;
	char names[256];
	(void)state;

	three_nodes(&t);
	tf_step(&t);
	streams_from_upstream(&t);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 3), NS_SECONDARY);
	assert_true(fsm_sync_names(&t.f, fsm_node(&t.f, 1), names,
				   sizeof(names)));
	assert_string_equal(names, "ANY 1 (\"node2\")");
	assert_int_equal(fsm_sync_eligible(&t.f, fsm_node(&t.f, 1)), 1);
}

/* its upstream fails: it follows the primary; the upstream comes back
 * healthy: it streams from it again */
static void a_failed_upstream_sends_it_to_the_primary(void **state)
{
	TestFormation t;
	FsmNode *b;
	(void)state;

	three_nodes(&t);
	tf_step(&t);
	streams_from_upstream(&t);
	tf_step(&t);
	tf_reach_all(&t);
	b = fsm_node(&t.f, 2);
	tf_kill(&t, 2);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 3), NS_CATCHINGUP);
	assert_int_equal(UP(&t, 3), 1);
	streams_from_upstream(&t);
	tf_advance(&t, 100);
	tf_step(&t);
	assert_int_equal(UP(&t, 3), 1);
	/* node 2 recovers and streams from the primary again */
	b->health_ok = true;
	b->health_fail_since_ms = -1;
	b->pg_running = true;
	b->receiver_streaming = true;
	b->streaming_from = 1;
	tf_advance(&t, 100);
	tf_reach_all(&t);
	tf_step(&t);
	assert_int_equal(UP(&t, 3), 2);
	assert_int_equal(GOAL(&t, 3), NS_CATCHINGUP);
}

/* maintenance of its upstream: it follows the primary meanwhile */
static void an_upstream_in_maintenance_is_left(void **state)
{
	TestFormation t;
	(void)state;

	three_nodes(&t);
	tf_step(&t);
	streams_from_upstream(&t);
	tf_step(&t);
	tf_reach_all(&t);
	fsm_node(&t.f, 2)->maintenance = true;
	tf_step(&t);
	assert_int_equal(UP(&t, 3), 1);
}

/* the primary fails and node 2 is promoted: node 3 is left alone during
 * the failover and keeps node 2, now the primary, as its upstream */
static void the_upstreams_promotion_keeps_it(void **state)
{
	TestFormation t;
	(void)state;

	three_nodes(&t);
	fsm_node(&t.f, 2)->priority = 90;
	tf_step(&t);
	streams_from_upstream(&t);
	tf_step(&t);
	tf_reach_all(&t);
	tf_kill(&t, 1);
	tf_advance(&t, 3100);
	for (int i = 0; i < 6; i++) {
		tf_step(&t);
		assert_int_equal(UP(&t, 3), 2);
		tf_reach_all(&t);
		tf_advance(&t, 100);
	}
	assert_true(state_is_primary(GOAL(&t, 2)));
	assert_int_equal(GOAL(&t, 3), NS_SECONDARY);
	assert_false(fsm_is_cascaded(&t.f, fsm_node(&t.f, 3)));
}

/* a cascaded standby behind the most advanced standby by more than
 * catchup_bytes is no candidate; caught up it is */
static void a_cascaded_candidate_must_be_caught_up(void **state)
{
	TestFormation t;
	char why[256];
	FsmNode *c;
	(void)state;

	three_nodes(&t);
	tf_step(&t);
	streams_from_upstream(&t);
	tf_step(&t);
	tf_reach_all(&t);
	c = fsm_node(&t.f, 3);
	c->priority = 90;
	fsm_node(&t.f, 2)->lsn += t.f.settings.catchup_bytes + 1;
	assert_int_equal(fsm_candidate_flaws(&t.f, c), FC_CASCADE_BEHIND);
	tf_kill(&t, 1);
	tf_advance(&t, 3100);
	assert_int_equal(fsm_choose_candidate(&t.f, why, sizeof(why))->id, 2);
	c->lsn = fsm_node(&t.f, 2)->lsn - 100;
	assert_int_equal(fsm_candidate_flaws(&t.f, c), 0);
	assert_int_equal(fsm_choose_candidate(&t.f, why, sizeof(why))->id, 3);
}

/* apply_delay: never a candidate, even of the highest priority and the
 * most advanced, and never in the synchronous set */
static void a_delayed_standby_is_never_promoted_nor_synchronous(void **state)
{
	TestFormation t;
	char names[256], why[256];
	FsmNode *c;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	c = fsm_node(&t.f, 3);
	c->apply_delay_ms = 3600000;
	c->priority = 100;
	c->lsn += 100;
	assert_int_equal(fsm_candidate_flaws(&t.f, c), FC_DELAYED);
	assert_string_equal(fsm_flaw_name(FC_DELAYED), "delayed");
	assert_true(fsm_sync_names(&t.f, fsm_node(&t.f, 1), names,
				   sizeof(names)));
	assert_string_equal(names, "ANY 1 (\"node2\")");
	t.f.settings.switchover_to = 3;
	assert_null(fsm_switchover_candidate(&t.f));
	t.f.settings.switchover_to = -1;
	tf_kill(&t, 1);
	tf_advance(&t, 3100);
	assert_int_equal(fsm_choose_candidate(&t.f, why, sizeof(why))->id, 2);
	for (int i = 0; i < 6; i++) {
		tf_step(&t);
		assert_int_not_equal(GOAL(&t, 3), NS_PREPARE_PROMOTION);
		if (UP(&t, 2) == 3) /* node 2 fetches what node 3 received */
			fsm_node(&t.f, 2)->lsn = c->lsn;
		tf_reach_all(&t);
		tf_advance(&t, 100);
	}
	assert_true(state_is_primary(GOAL(&t, 2)));
}

/* replicate_from naming itself, or a standby that itself cascades: the
 * primary (one level of cascading, no cycles) */
static void only_one_level_of_cascading(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 4);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 2)->replicate_from = 2;
	assert_int_equal(fsm_wanted_upstream(&t.f, fsm_node(&t.f, 2)), 1);
	fsm_node(&t.f, 3)->upstream_id = 4;
	fsm_node(&t.f, 3)->streaming_from = 4;
	fsm_node(&t.f, 4)->replicate_from = 3;
	assert_int_equal(fsm_wanted_upstream(&t.f, fsm_node(&t.f, 4)), 1);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(a_standby_streams_from_its_replicate_from),
	  cmocka_unit_test(a_cascaded_standby_is_never_synchronous),
	  cmocka_unit_test(a_failed_upstream_sends_it_to_the_primary),
	  cmocka_unit_test(an_upstream_in_maintenance_is_left),
	  cmocka_unit_test(the_upstreams_promotion_keeps_it),
	  cmocka_unit_test(a_cascaded_candidate_must_be_caught_up),
	  cmocka_unit_test(a_delayed_standby_is_never_promoted_nor_synchronous),
	  cmocka_unit_test(only_one_level_of_cascading))
