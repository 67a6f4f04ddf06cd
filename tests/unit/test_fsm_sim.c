/*
 * test_fsm_sim.c - a randomized simulation of a formation under the state
 * machine: three data nodes whose keepers carry out their goals, with
 * crashes, restarts, partitions of the monitor or of a node, and lagging
 * standbys. After every step it checks the guarantees of
 * docs/guarantees.md on the simulated servers:
 *   1. one writer: never two nodes accepting writes at once;
 *   2. no acknowledged commit lost to a single failure: a promoted node
 *      has every commit a synchronous standby acknowledged (checked in
 *      runs that break one thing at a time);
 *   3. only an in-sync standby, at least as advanced as every reachable
 *      one, is promoted;
 *   6. once faults heal, the formation converges to one primary with
 *      in-sync standbys.
 * The keepers' self-fencing follows the timeouts' ordering (fence_timeout
 * before node_down_timeout), keeping a primary that a standby streamed
 * from within STANDBY_REPLY_FRESH_MS (and its probe's wait), as
 * keeper/fence.c does. A crashed node's host, or a firewall in front of a
 * cut-off one, may refuse the monitor's connections, which lets the
 * monitor decide early.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsm/fsm.h"

#define N 3
#define STEP_MS 250
#define FENCE_MS 1000

typedef struct {
	bool alive;        /* the machine runs (keeper and Postgres) */
	bool cut_off;      /* partitioned from everything */
	bool writable;     /* Postgres accepts writes */
	bool pg_up;
	Lsn lsn;           /* WAL this server has */
	int upstream;      /* server it streams from, 0 for none */
	int64_t store_ok;  /* last time the keeper reached the store */
	int64_t last_reply; /* last time a standby streamed from it */
	bool refusing;     /* down or cut off: connections are refused */
} Server;

typedef struct {
	FsmNode nodes[N];
	FsmFormation f;
	Server srv[N];
	bool monitor_cut_off;
	Lsn acked;          /* highest commit acknowledged to a client */
	unsigned seed;
	bool single_fault;  /* at most one fault at a time (invariant 2) */
} Sim;

static unsigned rnd(Sim *s, unsigned n)
{
	s->seed = s->seed * 1103515245u + 12345u;
	return (s->seed >> 16) % n;
}

static void sim_init(Sim *s, unsigned seed)
{
	memset(s, 0, sizeof(*s));
	s->seed = seed;
	fsm_settings_default(&s->f.settings);
	s->f.nodes = s->nodes;
	s->f.nnodes = N;
	s->f.now_ms = 1000000;
	for (int i = 0; i < N; i++) {
		FsmNode *n = &s->nodes[i];
		n->id = i + 1;
		snprintf(n->name, sizeof(n->name), "n%d", i + 1);
		n->priority = 50;
		n->quorum = true;
		n->health_fail_since_ms = -1;
		n->not_streaming_since_ms = -1;
		n->last_report_ms = s->f.now_ms;
		n->fence_ms = FENCE_MS;
		s->srv[i].alive = true;
		s->srv[i].store_ok = s->f.now_ms;
	}
}

static bool reachable(const Sim *s, int i)
{
	return s->srv[i].alive && !s->srv[i].cut_off;
}

static bool linked(const Sim *s, int a, int b)
{
	return reachable(s, a) && reachable(s, b);
}

/* A keeper carries out its goal, as keeper/transitions.c does. */
static void keeper_acts(Sim *s, int i)
{
	FsmNode *n = &s->nodes[i];
	Server *v = &s->srv[i];
	NodeState g = n->goal;

	if (state_is_primary(g)) {
		/* init, promote, or restart (unfence) as the primary */
		v->writable = true;
		v->pg_up = true;
		v->upstream = 0;
		n->reported = g;
		return;
	}
	v->writable = false;
	if (g == NS_DEMOTED || g == NS_INIT || g == NS_WAIT_STANDBY) {
		v->pg_up = false;
		v->upstream = 0;
		n->reported = g;
		return;
	}
	/* standby states: stream from the assigned upstream */
	v->pg_up = true;
	v->upstream = n->upstream_id;
	n->reported = g;
}

static void replicate(Sim *s)
{
	for (int i = 0; i < N; i++) {
		Server *v = &s->srv[i];
		int u = v->upstream - 1;
		if (!v->pg_up || u < 0 || !linked(s, i, u) || !s->srv[u].pg_up)
			continue;
		if (rnd(s, 4) == 0)
			continue; /* lagging this step */
		if (s->srv[u].lsn > v->lsn)
			v->lsn = s->srv[u].lsn;
	}
}

/* Clients write to every writable server they reach; a commit is
 * acknowledged when the primary's synchronous standbys have it. */
static void clients_write(Sim *s)
{
	for (int i = 0; i < N; i++) {
		Server *v = &s->srv[i];
		FsmNode *n = &s->nodes[i];
		if (!v->writable || !reachable(s, i))
			continue;
		v->lsn += 100;
		if (n->goal != NS_PRIMARY) {
			/* asynchronous: acknowledged at once, not guaranteed */
			continue;
		}
		for (int j = 0; j < N; j++) {
			if (j != i && s->srv[j].upstream == i + 1 &&
			    linked(s, i, j) && s->srv[j].pg_up &&
			    s->nodes[j].goal == NS_SECONDARY) {
				s->srv[j].lsn = v->lsn; /* sync standby acks */
				if (v->lsn > s->acked)
					s->acked = v->lsn;
				break;
			}
		}
	}
}

static void report(Sim *s)
{
	int64_t now = s->f.now_ms;
	for (int i = 0; i < N; i++) {
		FsmNode *n = &s->nodes[i];
		Server *v = &s->srv[i];
		bool seen = reachable(s, i) && !s->monitor_cut_off;
		if (seen) {
			n->last_report_ms = now;
			v->store_ok = now;
			keeper_acts(s, i);
		}
		/* self-fencing: a primary cut off from the store with no
		 * standby streaming from it */
		for (int j = 0; j < N; j++) {
			if (s->srv[j].upstream == i + 1 && linked(s, i, j))
				v->last_reply = now;
		}
		if (v->writable && now - v->store_ok >= FENCE_MS &&
		    now - v->last_reply >
			    STANDBY_REPLY_FRESH_MS + STANDBY_PROBE_WAIT_MS) {
			v->writable = false;
			v->pg_up = false;
		}
		bool healthy = seen && v->pg_up;
		n->health_ok = healthy;
		n->port_closed = !healthy && !s->monitor_cut_off &&
				 (v->refusing || (reachable(s, i) && !v->pg_up));
		if (healthy)
			n->health_fail_since_ms = -1;
		else if (n->health_fail_since_ms < 0)
			n->health_fail_since_ms = now;
		if (seen) {
			n->pg_running = v->pg_up;
			n->lsn = v->lsn;
			n->in_recovery = !v->writable;
			int u = v->upstream - 1;
			n->receiver_streaming = u >= 0 && linked(s, i, u) &&
						s->srv[u].pg_up;
			n->streaming_from = n->receiver_streaming ? u + 1 : 0;
			if (n->receiver_streaming)
				n->not_streaming_since_ms = -1;
			else if (n->not_streaming_since_ms < 0)
				n->not_streaming_since_ms = now;
		}
	}
}

static int active_faults(const Sim *s)
{
	int n = s->monitor_cut_off;
	for (int i = 0; i < N; i++)
		n += !s->srv[i].alive || s->srv[i].cut_off;
	return n;
}

static bool converged(const Sim *s)
{
	int primaries = 0, synced = 0;
	for (int i = 0; i < N; i++) {
		const FsmNode *n = &s->nodes[i];
		primaries += n->goal == NS_PRIMARY && n->reported == NS_PRIMARY &&
			     s->srv[i].writable;
		synced += n->goal == NS_SECONDARY && n->reported == NS_SECONDARY;
	}
	return primaries == 1 && synced == N - 1;
}

static void inject_fault(Sim *s)
{
	int i = (int)rnd(s, N);
	unsigned what = rnd(s, 40);
	/* single-fault runs only break something when all is well again:
	 * nothing broken, and the formation back to one primary with
	 * standbys in sync */
	if (s->single_fault && (active_faults(s) > 0 || !converged(s)) &&
	    (what == 0 || (what == 2 && !s->srv[i].cut_off) ||
	     (what == 3 && !s->monitor_cut_off)))
		return;
	s->srv[i].refusing = rnd(s, 2) == 0;
	switch (what) {
	case 0:
		s->srv[i].alive = false; /* whole-node crash */
		s->srv[i].writable = false;
		s->srv[i].pg_up = false;
		break;
	case 1:
		s->srv[i].alive = true;
		break;
	case 2:
		s->srv[i].cut_off = !s->srv[i].cut_off;
		break;
	case 3:
		s->monitor_cut_off = !s->monitor_cut_off;
		break;
	default:
		break;
	}
}

static void check_invariants(Sim *s, const FsmDecision *d, size_t nd)
{
	int writers = 0;
	for (int i = 0; i < N; i++)
		writers += s->srv[i].writable && s->srv[i].alive;
	
	assert_true(writers <= 1); /* 1. one writer */
	for (size_t k = 0; k < nd; k++) {
		if (d[k].to != NS_WAIT_PRIMARY ||
		    d[k].from != NS_PREPARE_PROMOTION)
			continue;
		const Server *v = &s->srv[d[k].node_id - 1];
		if (s->single_fault) /* 2. nothing acknowledged lost */
			assert_true(v->lsn >= s->acked);
		for (int j = 0; j < N; j++) {   /* 3. most advanced */
			FsmNode *o = &s->nodes[j];
			if (reachable(s, j) && state_is_standby(o->goal) &&
			    o->id != d[k].node_id)
				assert_true(v->lsn >= s->srv[j].lsn);
		}
	}
}

static void step(Sim *s)
{
	FsmDecision d[16];

	s->f.now_ms += STEP_MS;
	replicate(s);
	clients_write(s);
	report(s);
	size_t nd = s->monitor_cut_off ? 0 : fsm_step(&s->f, d, 16);
	check_invariants(s, d, nd);
}

static void dump(const Sim *s, unsigned seed)
{
	fprintf(stderr, "seed %u did not converge:\n", seed);
	for (int i = 0; i < N; i++)
		fprintf(stderr,
			"  n%d goal %s reported %s up %d lsn %llu writable %d "
			"pg %d\n",
			i + 1, state_name(s->nodes[i].goal),
			state_name(s->nodes[i].reported), s->srv[i].upstream,
			(unsigned long long)s->srv[i].lsn, s->srv[i].writable,
			s->srv[i].pg_up);
}

static void heal(Sim *s)
{
	s->monitor_cut_off = false;
	for (int i = 0; i < N; i++) {
		s->srv[i].alive = true;
		s->srv[i].cut_off = false;
	}
}

static void run_seed(unsigned seed, int steps, bool single_fault)
{
	Sim s;
	sim_init(&s, seed);
	s.single_fault = single_fault;
	for (int i = 0; i < 200; i++)
		step(&s);
	assert_true(converged(&s));
	for (int i = 0; i < steps; i++) {
		inject_fault(&s);
		step(&s);
		if (i % 400 == 399) { /* 6. heal, then converge */
			heal(&s);
			int k = 0;
			while (!converged(&s) && k++ < 400)
				step(&s);
			if (!converged(&s))
				dump(&s, seed);
			assert_true(converged(&s));
		}
	}
}

static void single_faults_lose_nothing(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 100; seed++) /* a million steps */
		run_seed(seed, 10000, true);
}

static void multiple_faults_keep_one_writer_and_converge(void **state)
{
	(void)state;
	for (unsigned seed = 1000; seed < 1100; seed++)
		run_seed(seed, 10000, false);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(single_faults_lose_nothing),
	  cmocka_unit_test(multiple_faults_keep_one_writer_and_converge))
