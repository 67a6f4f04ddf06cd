/*
 * fsm_helpers.h - building formation snapshots for the state machine
 * tests: nodes that report what they were told, are healthy, and stream
 * from the primary, unless a test says otherwise.
 */
#ifndef PGK_TEST_FSM_HELPERS_H
#define PGK_TEST_FSM_HELPERS_H

#include <stdio.h>
#include <string.h>

#include "fsm/fsm.h"

#define T_MAX_NODES 8

typedef struct {
	FsmNode nodes[T_MAX_NODES];
	FsmFormation f;
	FsmDecision d[32];
	size_t nd;
} TestFormation;

static inline void tf_init(TestFormation *t, size_t n)
{
	memset(t, 0, sizeof(*t));
	fsm_settings_default(&t->f.settings);
	t->f.nodes = t->nodes;
	t->f.nnodes = n;
	t->f.now_ms = 100000;
	for (size_t i = 0; i < n; i++) {
		FsmNode *x = &t->nodes[i];
		x->id = (int)i + 1;
		snprintf(x->name, sizeof(x->name), "node%zu", i + 1);
		x->priority = 50;
		x->quorum = true;
		x->goal = x->reported = NS_INIT;
		x->pg_running = true;
		x->health_ok = true;
		x->health_fail_since_ms = -1;
		x->not_streaming_since_ms = -1;
		x->last_report_ms = t->f.now_ms;
		x->lsn = 0x3000000;
	}
}

/* node 1 primary in `pstate`, the others secondaries streaming from it */
static inline void tf_replicating(TestFormation *t, NodeState pstate)
{
	for (size_t i = 0; i < t->f.nnodes; i++) {
		FsmNode *x = &t->nodes[i];
		if (i == 0) {
			x->goal = x->reported = pstate;
			continue;
		}
		x->goal = x->reported = NS_SECONDARY;
		x->upstream_id = 1;
		x->in_recovery = true;
		x->receiver_streaming = true;
		x->streaming_from = 1;
	}
}

/* The node's keeper reaches its goal and reports it. */
static inline void tf_reach(TestFormation *t, int id)
{
	FsmNode *x = fsm_node(&t->f, id);
	x->reported = x->goal;
	x->last_report_ms = t->f.now_ms;
}

static inline void tf_reach_all(TestFormation *t)
{
	for (size_t i = 0; i < t->f.nnodes; i++)
		tf_reach(t, t->nodes[i].id);
}

static inline size_t tf_step(TestFormation *t)
{
	t->nd = fsm_step(&t->f, t->d, 32);
	return t->nd;
}

/* The whole node is gone: no reports, failed checks, no streaming. */
static inline void tf_kill(TestFormation *t, int id)
{
	FsmNode *x = fsm_node(&t->f, id);
	x->health_ok = false;
	x->health_fail_since_ms = t->f.now_ms;
	x->pg_running = false;
	for (size_t i = 0; i < t->f.nnodes; i++) {
		FsmNode *s = &t->nodes[i];
		if (s->streaming_from == id) {
			s->receiver_streaming = false;
			s->streaming_from = 0;
			s->not_streaming_since_ms = t->f.now_ms;
		}
	}
}

/* Time passes; live nodes (health_ok) keep reporting. */
static inline void tf_advance(TestFormation *t, int64_t ms)
{
	t->f.now_ms += ms;
	for (size_t i = 0; i < t->f.nnodes; i++) {
		if (t->nodes[i].health_ok)
			t->nodes[i].last_report_ms = t->f.now_ms;
	}
}

#endif
