/*
 * rules.h - the transition table: one row per transition the monitor can
 * assign, with the goal states it starts from, whether the keeper must
 * have reached that goal first, the condition, and the reason recorded in
 * the event log.
 */
#ifndef PGK_RULES_H
#define PGK_RULES_H

#include <stddef.h>

#include "fsm/fsm.h"

#define FROM(s) (1u << (s))

/* A condition may name the upstream the node must follow (0: keep). */
typedef bool (*FsmCond)(const FsmFormation *f, const FsmNode *n,
			int *upstream, char *why, size_t len);

typedef struct {
	unsigned from;      /* mask of goal states, FROM(NS_...) */
	bool needs_reached; /* the keeper reports its goal as current */
	NodeState to;
	FsmCond cond;
	const char *comment; /* for docs and tests: what the rule is for */
} FsmRule;

extern const FsmRule fsm_rules[];

/* upstream.c: the conditions about a standby's upstream, as the table's
 * (fsm_caught_up: a standby in sync once it streams from its upstream;
 * fsm_follows_other_upstream: a standby to re-point at the upstream it
 * should have): true when it holds, with why and *up set. */
bool fsm_caught_up(const FsmFormation *f, const FsmNode *n, int *up,
		   char *why, size_t len);
bool fsm_follows_other_upstream(const FsmFormation *f, const FsmNode *n,
				int *up, char *why, size_t len);
extern const size_t fsm_nrules;

/* How a rule stands for a node right now (fsm.c). */
typedef enum {
	FR_NOT_FROM,      /* the node's goal is not one the rule starts from */
	FR_WAITS_REACHED, /* its keeper has not reported its goal yet */
	FR_NOT_NOW,       /* the condition does not hold */
	FR_FIRES          /* the condition holds: why and upstream filled */
} FsmRuleStatus;

/* r's status for n; why and *upstream are set as the condition sets
 * them (why "" and *upstream 0 unless it fires). */
FsmRuleStatus fsm_rule_status(const FsmFormation *f, const FsmNode *n,
			      const FsmRule *r, int *upstream, char *why,
			      size_t len);
/* The first rule that fires for n: the decision fsm_step makes for it
 * first; NULL when none does. why gets the reason (the rule's comment
 * when its condition gave none). */
const FsmRule *fsm_next_rule(const FsmFormation *f, const FsmNode *n,
			     int *upstream, char *why, size_t len);

#endif
