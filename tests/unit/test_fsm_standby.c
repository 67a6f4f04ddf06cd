/*
 * test_fsm_standby.c - standby formations in the state machine
 * (docs/state-machine.md, "Standby formations"): the leader never makes
 * commits synchronous, one in primary goes back to wait_primary, the
 * formation is healthy without it; the leader's failure chooses the most
 * advanced standby as in any formation; once the formation is promoted
 * (standby_of cleared), synchronous replication resumes.
 */
#include "unit.h"

#include "fsm_helpers.h"

#define GOAL(t, id) (fsm_node(&(t)->f, (id))->goal)

/* node 1 the standby leader, 2 and 3 its standbys */
static void standby_formation(TestFormation *t, NodeState leader)
{
	tf_init(t, 3);
	t->f.settings.standby_of = true;
	tf_replicating(t, leader);
	fsm_node(&t->f, 1)->in_recovery = true;
}

static void the_leader_is_never_synchronous(void **state)
{
	TestFormation t;
	char names[256];
	(void)state;

	standby_formation(&t, NS_WAIT_PRIMARY);
	assert_int_equal(tf_step(&t), 0); /* stays in wait_primary */
	assert_int_equal(GOAL(&t, 1), NS_WAIT_PRIMARY);
	assert_int_equal(fsm_health(&t.f), FH_HEALTHY);
	assert_true(fsm_sync_names(&t.f, fsm_node(&t.f, 1), names,
				   sizeof(names)));
	assert_string_equal(names, "");

	/* a leader in primary (a formation made a standby one) goes back */
	standby_formation(&t, NS_PRIMARY);
	assert_true(fsm_sync_names(&t.f, fsm_node(&t.f, 1), names,
				   sizeof(names)));
	assert_string_equal(names, "");
	assert_int_equal(tf_step(&t), 1);
	assert_int_equal(GOAL(&t, 1), NS_WAIT_PRIMARY);
	assert_non_null(strstr(t.d[0].why, "standby formation"));
}

static void the_most_advanced_standby_becomes_the_leader(void **state)
{
	TestFormation t;
	(void)state;

	standby_formation(&t, NS_WAIT_PRIMARY);
	fsm_node(&t.f, 3)->lsn += 4096;
	tf_kill(&t, 1);
	tf_advance(&t, 3100);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 3), NS_PREPARE_PROMOTION);
	assert_int_equal(GOAL(&t, 2), NS_SECONDARY);
	assert_int_equal(GOAL(&t, 1), NS_DEMOTED);
	tf_reach(&t, 3);
	tf_reach(&t, 1);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 3), NS_WAIT_PRIMARY);
	tf_reach(&t, 3);
	tf_step(&t);
	/* the other standby follows the new leader */
	assert_int_equal(fsm_node(&t.f, 2)->upstream_id, 3);
	tf_reach_all(&t);
	fsm_node(&t.f, 2)->streaming_from = 3;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 3), NS_WAIT_PRIMARY); /* never primary */
}

static void a_promoted_formation_is_synchronous_again(void **state)
{
	TestFormation t;
	char names[256];
	(void)state;

	standby_formation(&t, NS_WAIT_PRIMARY);
	assert_int_equal(tf_step(&t), 0);
	t.f.settings.standby_of = false; /* `perform promotion` */
	fsm_node(&t.f, 1)->in_recovery = false;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 1), NS_PRIMARY);
	assert_true(fsm_sync_names(&t.f, fsm_node(&t.f, 1), names,
				   sizeof(names)));
	assert_string_equal(names, "ANY 1 (\"node2\", \"node3\")");
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(the_leader_is_never_synchronous),
	  cmocka_unit_test(the_most_advanced_standby_becomes_the_leader),
	  cmocka_unit_test(a_promoted_formation_is_synchronous_again))
