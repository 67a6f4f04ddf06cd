/*
 * transitions.h - the keeper's table of transitions: for each (current
 * state, goal) it carries out, the action and what it does in a few
 * words (logged, and listed in docs/state-machine.md, which `make docs`
 * generates from this table).
 */
#ifndef PGK_TRANSITIONS_H
#define PGK_TRANSITIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "fsm/fsm.h"

#define KEEPER_ANY NS_COUNT /* a row's from: every state */

struct Keeper;
typedef bool (*KeeperAction)(struct Keeper *k, char *err, size_t errlen);

typedef struct {
	NodeState from; /* KEEPER_ANY: every state */
	NodeState to;
	KeeperAction action;
	const char *what;
} KeeperTransition;

extern const KeeperTransition keeper_transitions[];
extern const size_t keeper_ntransitions;

#endif
