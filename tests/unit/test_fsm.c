/*
 * test_fsm.c - every transition of the state machine, and the decisions
 * that must not be taken (docs/guarantees.md).
 */
#include "unit.h"

#include "fsm_helpers.h"
#include <stdlib.h>

#include "docgen/docgen.h"
#include "fsm/rules.h"

#define GOAL(t, id) (fsm_node(&(t)->f, (id))->goal)

static void first_node_becomes_single_next_wait_standby(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	assert_int_equal(tf_step(&t), 2);
	assert_int_equal(GOAL(&t, 1), NS_SINGLE);
	assert_int_equal(GOAL(&t, 2), NS_WAIT_STANDBY);
	assert_int_equal(fsm_node(&t.f, 2)->upstream_id, 1);
}

static void joining_standby_path_to_primary(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_step(&t);
	tf_reach_all(&t); /* single, wait_standby */
	tf_step(&t);
	assert_int_equal(GOAL(&t, 1), NS_WAIT_PRIMARY);
	assert_int_equal(GOAL(&t, 2), NS_WAIT_STANDBY); /* primary not ready */
	tf_reach(&t, 1);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_CATCHINGUP);
	tf_reach(&t, 2);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_CATCHINGUP); /* not streaming yet */
	FsmNode *s = fsm_node(&t.f, 2);
	s->receiver_streaming = true;
	s->streaming_from = 1;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_SECONDARY);
	tf_reach(&t, 2);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 1), NS_PRIMARY);
	char names[256];
	assert_true(fsm_sync_names(&t.f, fsm_node(&t.f, 1), names,
				   sizeof(names)));
	assert_string_equal(names, "ANY 1 (\"node2\")");
	/* a list that does not fit is refused, not cut or emptied quietly */
	char tiny[12];
	assert_false(fsm_sync_names(&t.f, fsm_node(&t.f, 1), tiny,
				    sizeof(tiny)));
	tf_reach_all(&t);
	assert_int_equal(tf_step(&t), 0);
	assert_int_equal(fsm_health(&t.f), FH_HEALTHY);
}

static void a_lagging_standby_is_not_in_sync(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_WAIT_PRIMARY);
	FsmNode *s = fsm_node(&t.f, 2);
	s->goal = s->reported = NS_CATCHINGUP;
	fsm_node(&t.f, 1)->lsn = s->lsn + 64 * 1024 * 1024;
	assert_int_equal(tf_step(&t), 0);
	s->lsn = fsm_node(&t.f, 1)->lsn - 1024;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_SECONDARY);
}

static void primary_crash_fails_over_after_node_down_timeout(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	tf_kill(&t, 1);
	tf_advance(&t, 1000);
	assert_int_equal(tf_step(&t), 0); /* too early */
	tf_advance(&t, 2100);
	assert_int_equal(tf_step(&t), 2);
	assert_int_equal(GOAL(&t, 2), NS_PREPARE_PROMOTION);
	assert_int_equal(GOAL(&t, 1), NS_DEMOTED);
	assert_int_equal(fsm_health(&t.f), FH_FAILING_OVER);
	tf_reach(&t, 2);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_WAIT_PRIMARY);
	/* the old node comes back and rejoins */
	tf_reach(&t, 2);
	FsmNode *old = fsm_node(&t.f, 1);
	old->health_ok = true;
	old->health_fail_since_ms = -1;
	tf_reach(&t, 1);
	tf_step(&t);
	assert_int_equal(old->goal, NS_CATCHINGUP);
	assert_int_equal(old->upstream_id, 2);
}

/* A whole node lost while its host stays up: the port refuses, the
 * keeper fell silent. */
static void refused_port(TestFormation *t, int id)
{
	tf_kill(t, id);
	FsmNode *p = fsm_node(&t->f, id);
	p->port_closed = true;
	p->fence_ms = 1000;
}

static void refused_port_and_silent_keeper_fail_over_early(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	refused_port(&t, 1);
	/* the standby's replies may still count on the primary's side, and
	 * its keeper may not have fenced yet: the later of the two */
	int64_t fenced = fsm_node(&t.f, 1)->fence_ms + FENCE_MARGIN_MS;
	tf_advance(&t, (STANDBY_LET_GO_MS > fenced ? STANDBY_LET_GO_MS
						   : fenced) - 10);
	assert_int_equal(tf_step(&t), 0);
	tf_advance(&t, 10);
	assert_int_equal(tf_step(&t), 2);
	assert_int_equal(GOAL(&t, 2), NS_PREPARE_PROMOTION);
	assert_int_equal(GOAL(&t, 1), NS_DEMOTED);
}

static void no_early_failover_without_definitive_evidence(void **state)
{
	(void)state;
	for (int c = 0; c < 5; c++) {
		TestFormation t;
		tf_init(&t, 2);
		tf_replicating(&t, NS_PRIMARY);
		refused_port(&t, 1);
		FsmNode *p = fsm_node(&t.f, 1), *s = fsm_node(&t.f, 2);
		if (c == 0)
			p->port_closed = false; /* a timeout: host frozen, cut */
		if (c == 1)
			p->fence_ms = 0; /* a keeper that does not say */
		if (c == 2)
			p->fence_ms = 2900; /* fences later than that */
		tf_advance(&t, 2500);
		if (c == 3)
			p->last_report_ms = t.f.now_ms; /* the keeper reports */
		if (c == 4) /* the standby went silent: it may be streaming */
			s->last_report_ms = t.f.now_ms - 3001;
		assert_int_equal(tf_step(&t), 0);
	}
}

static void no_failover_while_standbys_stream(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	/* the monitor lost the primary (checks and heartbeat), but the
	 * standby still streams from it: the monitor is the isolated one */
	FsmNode *p = fsm_node(&t.f, 1);
	p->health_ok = false;
	p->health_fail_since_ms = t.f.now_ms;
	tf_advance(&t, 60000);
	assert_int_equal(tf_step(&t), 0);
}

static void no_failover_when_only_postgres_restarts(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	tf_kill(&t, 1);
	FsmNode *p = fsm_node(&t.f, 1);
	/* its keeper reports on, restarting Postgres: no failover within
	 * node_down_timeout + restart_allowance ... */
	for (int64_t ms = 0; ms < 3000 + 5000 - 100; ms += 100) {
		tf_advance(&t, 100);
		p->last_report_ms = t.f.now_ms;
		assert_int_equal(tf_step(&t), 0);
	}
	/* ... and a failover once it is overdue */
	tf_advance(&t, 200);
	p->last_report_ms = t.f.now_ms;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_PREPARE_PROMOTION);
}

static void keeper_reported_failure_fails_over(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	tf_kill(&t, 1);
	FsmNode *p = fsm_node(&t.f, 1);
	t.f.now_ms += 3100;
	p->last_report_ms = t.f.now_ms; /* keeper alive, says it gave up */
	p->pg_failed = true;
	fsm_node(&t.f, 2)->last_report_ms = t.f.now_ms;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_PREPARE_PROMOTION);
}

static void no_candidate_when_monitor_sees_nothing(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	tf_kill(&t, 1);
	t.f.now_ms += 10000; /* nobody reported: the monitor is isolated */
	assert_int_equal(tf_step(&t), 0);
}

static void candidate_by_priority_then_lsn(void **state)
{
	TestFormation t;
	char why[256];
	(void)state;

	tf_init(&t, 4);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 2)->priority = 10;
	fsm_node(&t.f, 3)->priority = 90;
	fsm_node(&t.f, 4)->priority = 0;
	tf_kill(&t, 1);
	tf_advance(&t, 3100);
	assert_int_equal(fsm_choose_candidate(&t.f, why, sizeof(why))->id, 3);
	fsm_node(&t.f, 3)->priority = 10;
	fsm_node(&t.f, 2)->lsn += 100; /* same priority: the LSN decides */
	assert_int_equal(fsm_choose_candidate(&t.f, why, sizeof(why))->id, 2);
	fsm_node(&t.f, 3)->priority = 90;
	fsm_node(&t.f, 4)->priority = 0;
	fsm_node(&t.f, 4)->lsn += 200;
	/* never the priority 0 node, even the most advanced */
	assert_int_equal(fsm_choose_candidate(&t.f, why, sizeof(why))->id, 3);
}

/* nofailover: never a candidate, whatever its priority and LSN; and no
 * switchover to it either */
static void candidate_is_never_tagged_nofailover(void **state)
{
	TestFormation t;
	char why[256];
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 2)->priority = 90;
	fsm_node(&t.f, 2)->lsn += 100;
	fsm_node(&t.f, 2)->nofailover = true;
	assert_int_equal(fsm_candidate_flaws(&t.f, fsm_node(&t.f, 2)),
			 FC_NOFAILOVER);
	tf_kill(&t, 1);
	tf_advance(&t, 3100);
	assert_int_equal(fsm_choose_candidate(&t.f, why, sizeof(why))->id, 3);
	t.f.settings.switchover_to = 2;
	assert_null(fsm_switchover_candidate(&t.f));
	t.f.settings.switchover_to = -1;
	fsm_node(&t.f, 3)->nofailover = true; /* the only other one too */
	assert_null(fsm_choose_candidate(&t.f, why, sizeof(why)));
	tf_step(&t);
	assert_int_not_equal(fsm_node(&t.f, 2)->goal, NS_PREPARE_PROMOTION);
	assert_int_not_equal(fsm_node(&t.f, 3)->goal, NS_PREPARE_PROMOTION);
}

static void candidate_fast_forwards_before_promotion(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 2)->priority = 90;
	fsm_node(&t.f, 3)->priority = 0;
	fsm_node(&t.f, 3)->lsn += 4096; /* acknowledged commits only on 3 */
	tf_kill(&t, 1);
	tf_advance(&t, 3100);
	tf_step(&t);
	FsmNode *c = fsm_node(&t.f, 2);
	assert_int_equal(c->goal, NS_PREPARE_PROMOTION);
	assert_int_equal(c->upstream_id, 3); /* streams from the node ahead */
	tf_reach(&t, 2);
	assert_int_equal(tf_step(&t), 0); /* not promoted while behind */
	c->lsn = fsm_node(&t.f, 3)->lsn;
	tf_step(&t);
	assert_int_equal(c->goal, NS_WAIT_PRIMARY);
}

static void others_follow_the_new_primary(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	tf_kill(&t, 1);
	tf_advance(&t, 3100);
	tf_step(&t);
	int cand = GOAL(&t, 2) == NS_PREPARE_PROMOTION ? 2 : 3;
	int other = cand == 2 ? 3 : 2;
	tf_reach(&t, cand);
	tf_step(&t);
	tf_reach(&t, cand);
	tf_step(&t);
	assert_int_equal(GOAL(&t, cand), NS_WAIT_PRIMARY);
	assert_int_equal(GOAL(&t, other), NS_CATCHINGUP);
	assert_int_equal(fsm_node(&t.f, other)->upstream_id, cand);
}

static void lost_standby_leaves_sync_set_unless_strict(void **state)
{
	TestFormation t;
	(void)state;

	for (int strict = 0; strict <= 1; strict++) {
		tf_init(&t, 2);
		t.f.settings.strict_sync = strict;
		tf_replicating(&t, NS_PRIMARY);
		tf_kill(&t, 2);
		/* no report, no answer: out at node_down_timeout (3 s),
		 * not sync_timeout (5 s) */
		tf_advance(&t, 2900);
		assert_int_equal(tf_step(&t), 0);
		tf_advance(&t, 200);
		tf_step(&t);
		assert_int_equal(GOAL(&t, 2), NS_CATCHINGUP);
		assert_int_equal(GOAL(&t, 1),
				 strict ? NS_PRIMARY : NS_WAIT_PRIMARY);
		char names[256];
		fsm_sync_names(&t.f, fsm_node(&t.f, 1), names, sizeof(names));
		assert_string_equal(names, strict ? "ANY 1 (\"node2\")" : "");
	}
}

/* A standby that still reports and answers but does not stream (a cut
 * replication path) keeps its place until sync_timeout. */
static void standby_not_streaming_leaves_at_sync_timeout(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	FsmNode *s = fsm_node(&t.f, 2);
	s->receiver_streaming = false;
	s->streaming_from = 0;
	s->not_streaming_since_ms = t.f.now_ms;
	tf_advance(&t, 4900);
	assert_int_equal(tf_step(&t), 0);
	tf_advance(&t, 200);
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_CATCHINGUP);
}

static void promotion_cancelled_when_primary_returns(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	FsmNode *s = fsm_node(&t.f, 2);
	s->goal = NS_PREPARE_PROMOTION;
	assert_int_equal(tf_step(&t), 1);
	assert_int_equal(s->goal, NS_SECONDARY);
}

static void candidate_retargets_a_standby_that_comes_back_ahead(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	FsmNode *c = fsm_node(&t.f, 2), *late = fsm_node(&t.f, 3);
	c->goal = c->reported = NS_PREPARE_PROMOTION;
	fsm_node(&t.f, 1)->goal = NS_DEMOTED;
	late->lsn = c->lsn + 500; /* reports again, with more WAL */
	tf_step(&t);
	assert_int_equal(c->goal, NS_PREPARE_PROMOTION);
	assert_int_equal(c->upstream_id, 3);
}

static void primary_without_standbys_returns_to_single(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_WAIT_PRIMARY);
	fsm_node(&t.f, 2)->goal = NS_DROPPED;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 1), NS_SINGLE);
	tf_reach(&t, 1);
	assert_int_equal(fsm_health(&t.f), FH_NO_STANDBY);
}

static void switchover_drains_then_promotes_then_demotes(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	t.f.settings.switchover_to = 3;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 1), NS_DRAINING);
	assert_int_equal(GOAL(&t, 3), NS_PREPARE_PROMOTION);
	assert_int_equal(GOAL(&t, 2), NS_SECONDARY);
	t.f.settings.switchover_to = -1; /* the monitor cleared the request */
	tf_reach(&t, 3);
	FsmNode *old = fsm_node(&t.f, 1);
	old->lsn = fsm_node(&t.f, 3)->lsn + 100; /* still handing over WAL */
	tf_reach(&t, 1);
	assert_int_equal(tf_step(&t), 0);
	fsm_node(&t.f, 3)->lsn = old->lsn + 40; /* received it all */
	tf_step(&t);
	assert_int_equal(GOAL(&t, 3), NS_WAIT_PRIMARY);
	assert_int_equal(old->goal, NS_DEMOTED);
}

static void switchover_refuses_a_standby_out_of_sync(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	FsmNode *s = fsm_node(&t.f, 2);
	s->goal = s->reported = NS_CATCHINGUP;
	t.f.settings.switchover_to = 2;
	tf_step(&t);
	assert_int_not_equal(GOAL(&t, 1), NS_DRAINING);
	assert_int_equal(GOAL(&t, 2), NS_CATCHINGUP);
}

static void forced_failover_demotes_a_healthy_primary(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 3)->priority = 80;
	t.f.settings.failover_requested = true;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 3), NS_PREPARE_PROMOTION);
	assert_int_equal(GOAL(&t, 1), NS_DEMOTED);
}

static void maintenance_in_and_out(void **state)
{
	TestFormation t;
	char why[256];
	(void)state;

	tf_init(&t, 3);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 2)->maintenance = true;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_MAINTENANCE);
	assert_int_equal(GOAL(&t, 1), NS_PRIMARY); /* node 3 still in sync */
	tf_reach_all(&t);
	/* never a failover candidate while in maintenance */
	fsm_node(&t.f, 2)->goal = NS_SECONDARY;
	fsm_node(&t.f, 3)->priority = 0;
	assert_null(fsm_choose_candidate(&t.f, why, sizeof(why)));
	fsm_node(&t.f, 2)->goal = NS_MAINTENANCE;
	fsm_node(&t.f, 2)->maintenance = false;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_CATCHINGUP);
	assert_int_equal(fsm_node(&t.f, 2)->upstream_id, 1);
}

static void drop_a_standby_but_not_a_primary_with_standbys(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	tf_replicating(&t, NS_PRIMARY);
	fsm_node(&t.f, 1)->drop = true;
	tf_step(&t);
	assert_int_not_equal(GOAL(&t, 1), NS_DROPPED); /* b still there */
	fsm_node(&t.f, 2)->drop = true;
	tf_step(&t);
	assert_int_equal(GOAL(&t, 2), NS_DROPPED);
	assert_int_equal(GOAL(&t, 1), NS_DROPPED); /* alone now */
}

static void paused_formation_decides_nothing(void **state)
{
	TestFormation t;
	(void)state;

	tf_init(&t, 2);
	t.f.settings.paused = true;
	assert_int_equal(tf_step(&t), 0);
	assert_int_equal(fsm_health(&t.f), FH_PAUSED);
}

/* Every rule's row, as `make docs` writes it, is in
 * docs/state-machine.md (test_docs.c compares the whole table). */
static void every_rule_is_documented(void **state)
{
	char *doc = doc_read("docs/state-machine.md");
	(void)state;

	assert_non_null(doc);
	for (size_t i = 0; i < fsm_nrules; i++) {
		char *row = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&row, &len);
		assert_non_null(out);
		assert_non_null(fsm_rules[i].comment);
		assert_non_null(fsm_rules[i].cond);
		assert_true(fsm_rules[i].from != 0);
		docgen_rule_row(out, &fsm_rules[i]);
		fclose(out);
		if (!strstr(doc, row))
			fail_msg("docs/state-machine.md lacks rule %zu: %s", i,
				 row);
		free(row);
	}
	free(doc);
	for (int s = 0; s < NS_COUNT; s++) {
		NodeState back;
		assert_true(state_parse(state_name((NodeState)s), &back));
		assert_int_equal(back, s);
	}
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(first_node_becomes_single_next_wait_standby),
	  cmocka_unit_test(joining_standby_path_to_primary),
	  cmocka_unit_test(a_lagging_standby_is_not_in_sync),
	  cmocka_unit_test(primary_crash_fails_over_after_node_down_timeout),
	  cmocka_unit_test(no_failover_while_standbys_stream),
	  cmocka_unit_test(no_failover_when_only_postgres_restarts),
	  cmocka_unit_test(keeper_reported_failure_fails_over),
	  cmocka_unit_test(no_candidate_when_monitor_sees_nothing),
	  cmocka_unit_test(candidate_by_priority_then_lsn),
	  cmocka_unit_test(candidate_is_never_tagged_nofailover),
	  cmocka_unit_test(candidate_fast_forwards_before_promotion),
	  cmocka_unit_test(others_follow_the_new_primary),
	  cmocka_unit_test(lost_standby_leaves_sync_set_unless_strict),
	  cmocka_unit_test(standby_not_streaming_leaves_at_sync_timeout),
	  cmocka_unit_test(promotion_cancelled_when_primary_returns),
	  cmocka_unit_test(candidate_retargets_a_standby_that_comes_back_ahead),
	  cmocka_unit_test(primary_without_standbys_returns_to_single),
	  cmocka_unit_test(switchover_drains_then_promotes_then_demotes),
	  cmocka_unit_test(switchover_refuses_a_standby_out_of_sync),
	  cmocka_unit_test(forced_failover_demotes_a_healthy_primary),
	  cmocka_unit_test(maintenance_in_and_out),
	  cmocka_unit_test(drop_a_standby_but_not_a_primary_with_standbys),
	  cmocka_unit_test(paused_formation_decides_nothing),
	  cmocka_unit_test(refused_port_and_silent_keeper_fail_over_early),
	  cmocka_unit_test(no_early_failover_without_definitive_evidence),
	  cmocka_unit_test(every_rule_is_documented))
