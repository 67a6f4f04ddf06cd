/*
 * test_fsm_veto.c - a candidate whose pre_promote hook vetoed its
 * promotion (docs/state-machine.md): it stays a standby and is no
 * candidate while its keeper reports the veto; another standby is
 * promoted when there is one, otherwise the formation has no writable
 * primary and the explanation says why.
 */
#include "unit.h"

#include "fsm_helpers.h"
#include <stdlib.h>

#include "fsm/explain.h"

#define GOAL(t, id) (fsm_node(&(t)->f, (id))->goal)

/* Node 1, the primary, fails; the candidate (node 2, the highest
 * priority) is chosen, the primary demoted, and the candidate told to
 * promote; its keeper then reports that its hook said no. */
static void fail_over_to_a_vetoing_node(TestFormation *t, size_t n)
{
	tf_init(t, n);
	tf_replicating(t, NS_PRIMARY);
	fsm_node(&t->f, 2)->priority = 90;
	tf_kill(t, 1);
	tf_advance(t, 3100);
	tf_step(t);
	assert_int_equal(GOAL(t, 2), NS_PREPARE_PROMOTION);
	assert_int_equal(GOAL(t, 1), NS_DEMOTED);
	tf_reach(t, 2);
	tf_step(t);
	assert_int_equal(GOAL(t, 2), NS_WAIT_PRIMARY);
	fsm_node(&t->f, 2)->promote_vetoed = true; /* still prepare_promotion */
	tf_advance(t, 100);
}

static void a_veto_promotes_the_other_standby(void **state)
{
	TestFormation t;
	(void)state;

	fail_over_to_a_vetoing_node(&t, 3);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_SECONDARY);
	assert_int_equal(GOAL(&t, 3), NS_PREPARE_PROMOTION);
	assert_non_null(strstr(t.d[0].why, "pre_promote"));
	tf_reach_all(&t);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 3), NS_WAIT_PRIMARY);
	assert_int_equal(GOAL(&t, 2), NS_SECONDARY); /* never chosen again */
}

static void a_veto_of_the_only_standby_leaves_no_primary(void **state)
{
	TestFormation t;
	FsmExplanation *x = calloc(1, sizeof(*x));
	(void)state;

	assert_non_null(x);
	fail_over_to_a_vetoing_node(&t, 2);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_SECONDARY);
	tf_reach(&t, 2);
	assert_int_equal(tf_step(&t), 0); /* nobody to promote */
	assert_null(fsm_primary(&t.f));
	assert_true(fsm_candidate_flaws(&t.f, fsm_node(&t.f, 2)) & FC_VETOED);
	fsm_explain(&t.f, x);
	bool said = false;
	for (size_t i = 0; i < x->lines.n; i++)
		said = said || strstr(x->lines.text[i], "pre_promote hook of "
							"node2 vetoed");
	assert_true(said);
	/* the veto is over (the keeper stopped reporting it): chosen again */
	fsm_node(&t.f, 2)->promote_vetoed = false;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_PREPARE_PROMOTION);
	free(x);
}

/* A switchover's candidate vetoed: the drained old primary stays
 * stopped, another standby takes over from it. */
static void a_vetoed_switchover_goes_to_the_other_standby(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	t.f.settings.switchover_to = 2;
	tf_step(&t);
	t.f.settings.switchover_to = -1; /* the monitor cleared the request */
	assert_int_equal(GOAL(&t, 1), NS_DRAINING);
	tf_reach_all(&t);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_WAIT_PRIMARY);
	fsm_node(&t.f, 2)->promote_vetoed = true;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_SECONDARY);
	assert_int_equal(GOAL(&t, 3), NS_PREPARE_PROMOTION);
	tf_reach_all(&t);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 3), NS_WAIT_PRIMARY);
	assert_int_equal(GOAL(&t, 1), NS_DEMOTED);
}

/* A veto reported by a node that is already the primary changes
 * nothing: the rule is about a promotion not carried out. */
static void a_primary_is_not_taken_back(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_WAIT_PRIMARY);
	fsm_node(&t.f, 1)->promote_vetoed = true;
	tf_step(&t);
	assert_true(state_is_primary(GOAL(&t, 1)));
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(a_veto_promotes_the_other_standby),
	  cmocka_unit_test(a_veto_of_the_only_standby_leaves_no_primary),
	  cmocka_unit_test(a_vetoed_switchover_goes_to_the_other_standby),
	  cmocka_unit_test(a_primary_is_not_taken_back))
