/*
 * explain.h - why a formation is in its state and what it waits for,
 * from the state machine's own rules: the failure detector's signals
 * (fsm_down_signals), the candidate's flaws (fsm_candidate_flaws), each
 * rule's status for each node (fsm_rule_status) and the decisions
 * fsm_step would make now, on a copy of the snapshot. Pure, like the
 * rest of src/fsm/: `pgkeel explain` builds the snapshot and prints the
 * facts and sentences (docs/state-machine.md, "Explaining a formation").
 */
#ifndef PGK_EXPLAIN_H
#define PGK_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsm/fsm.h"
#include "fsm/rules.h"

#define FSM_EXPLAIN_NODES 64
#define FSM_EXPLAIN_LINES 14
#define FSM_EXPLAIN_LINE 320
#define FSM_EXPLAIN_DECISIONS 16

/* Plain sentences, in the order they are best read. */
typedef struct {
	char text[FSM_EXPLAIN_LINES][FSM_EXPLAIN_LINE];
	size_t n;
} FsmLines;

typedef struct {
	const FsmNode *node;   /* in the snapshot explained */
	bool primary;          /* the formation's primary (by its goal) */
	FsmDownSignals down;   /* the primary's failure signals */
	unsigned flaws;        /* as a failover candidate (FC_*) */
	bool candidate;        /* a failover now would promote it */
	bool sync_member;      /* commits may wait for it */
	uint64_t lag_bytes;    /* behind the primary's reported LSN */
	int ahead_id;          /* a reporting standby with more WAL, or 0 */
	uint64_t behind_bytes; /* ... by this much */
	bool maintenance_pending; /* asked, not carried out (or its end) */
	bool drop_pending;
	bool restart_pending;
	bool has_next;         /* a rule fires for it now */
	FsmDecision next;      /* ... the first one */
	FsmLines lines;
} FsmNodeExplanation;

typedef struct {
	FormationHealth health;
	bool paused;
	int primary_id;        /* 0: none */
	bool primary_down;     /* the failure detector's verdict */
	int candidate_id;      /* whom a failover now would promote, or 0 */
	char candidate_why[256];
	bool switchover_pending; /* an operator's request not carried out */
	bool failover_pending;
	FsmDecision next[FSM_EXPLAIN_DECISIONS]; /* fsm_step's, now */
	size_t nnext;
	FsmLines lines;
	FsmNodeExplanation nodes[FSM_EXPLAIN_NODES];
	size_t nnodes;         /* the first FSM_EXPLAIN_NODES of f */
} FsmExplanation;

/* Explains f as of f->now_ms into out; f is not changed. Never fails. */
void fsm_explain(const FsmFormation *f, FsmExplanation *out);

/* explain_node.c: e->node's facts and sentences into e (fsm_explain
 * calls it once per node, after the formation's facts). */
void fsm_explain_node(const FsmFormation *f, const FsmExplanation *x,
		      FsmNodeExplanation *e);
/* Appends a sentence to l (cut to FSM_EXPLAIN_LINE; ignored when l is
 * full). fsm_rule_to: the first rule of the table to state `to` from
 * one of the goals in `from` (a mask of FROM()), or NULL. fsm_say_rule:
 * a sentence on how rule r stands for n, after `what` ("A switchover
 * ..."). */
void fsm_say(FsmLines *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const FsmRule *fsm_rule_to(NodeState to, unsigned from);
void fsm_say_rule(FsmLines *l, const FsmFormation *f, const FsmNode *n,
		  const FsmRule *r, const char *what);

#endif
