/*
 * test_fsm_gone.c - a primary whose host stays up while its keeper and
 * its Postgres died (docs/guarantees.md, "When the primary is declared
 * down"): its port refuses connections and its keeper's store session
 * ended, so it is failed over once the keeper missed a report, without
 * waiting out the standbys' reply window; and never on part of that
 * evidence.
 */
#include "unit.h"

#include "fsm_helpers.h"

#define GOAL(t, id) (fsm_node(&(t)->f, (id))->goal)

/* Node 1, the primary, crashed whole: its port refuses, its keeper's
 * store session ended. */
static void crashed(TestFormation *t)
{
	tf_init(t, 2);
	tf_replicating(t, NS_PRIMARY);
	tf_kill(t, 1);
	FsmNode *p = fsm_node(&t->f, 1);
	p->port_closed = true;
	p->fence_ms = 1000;
	p->keeper_session_closed = true;
}

static void a_gone_keeper_is_failed_over_early(void **state)
{
	TestFormation t;
	(void)state;

	crashed(&t);
	tf_advance(&t, KEEPER_GONE_SILENT_MS - 10);
	assert_int_equal(tf_step(&t), 0); /* a report may still come */
	tf_advance(&t, 10);
	assert_int_equal(tf_step(&t), 2);
	assert_int_equal(GOAL(&t, 2), NS_PREPARE_PROMOTION);
	assert_int_equal(GOAL(&t, 1), NS_DEMOTED);
	/* well before the reply window the other evidence waits for */
	assert_true(KEEPER_GONE_SILENT_MS <
		    STANDBY_REPLY_FRESH_MS + FENCE_MARGIN_MS);
}

static void part_of_the_evidence_is_not_enough(void **state)
{
	(void)state;
	for (int c = 0; c < 5; c++) {
		TestFormation t;
		crashed(&t);
		FsmNode *p = fsm_node(&t.f, 1), *s = fsm_node(&t.f, 2);
		if (c == 0)
			p->port_closed = false; /* a timeout: frozen, cut */
		if (c == 1)
			p->keeper_session_closed = false; /* its keeper runs */
		tf_advance(&t, KEEPER_GONE_SILENT_MS + 100);
		if (c == 2)
			p->last_report_ms = t.f.now_ms; /* it logged in again */
		if (c == 3) /* the standby went silent: it may be streaming */
			s->last_report_ms = t.f.now_ms - 3001;
		if (c == 4) { /* the standby still streams from it */
			s->receiver_streaming = true;
			s->streaming_from = 1;
		}
		assert_int_equal(tf_step(&t), 0);
	}
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(a_gone_keeper_is_failed_over_early),
	  cmocka_unit_test(part_of_the_evidence_is_not_enough))
