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
extern const size_t fsm_nrules;

#endif
