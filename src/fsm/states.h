/*
 * states.h - the node states of pgkeel's state machine and what each one
 * means. The monitor assigns a goal state to every node; the keeper
 * carries out the transition to it and then reports it as its current
 * state. docs/state-machine.md's table of states is generated from the
 * table in states.c (`make docs`).
 */
#ifndef PGK_STATES_H
#define PGK_STATES_H

#include <stdbool.h>

typedef enum {
	NS_INIT = 0,          /* registered, nothing done yet */
	NS_SINGLE,            /* primary, no standby in the formation */
	NS_WAIT_PRIMARY,      /* primary, writes not waiting for a standby */
	NS_PRIMARY,           /* primary with synchronous standby(s) */
	NS_DRAINING,          /* primary refusing new writes (switchover) */
	NS_DEMOTED,           /* former primary, Postgres stopped (fenced) */
	NS_WAIT_STANDBY,      /* standby-to-be, waiting for the primary */
	NS_CATCHINGUP,        /* standby streaming, not yet in sync */
	NS_SECONDARY,         /* standby in sync: eligible for promotion */
	NS_PREPARE_PROMOTION, /* chosen candidate, finishing WAL replay */
	NS_MAINTENANCE,       /* out of service for operator work */
	NS_DROPPED,           /* removed from the formation */
	NS_COUNT
} NodeState;

typedef struct {
	NodeState state;
	const char *name;
	const char *meaning;
	bool writable;      /* Postgres accepts writes in this state */
	bool standby;       /* Postgres runs in recovery, following a primary */
	bool runs_postgres; /* the keeper keeps Postgres running */
	const char *postgres; /* for the docs: what its Postgres is */
	const char *assigned; /* for the docs: when the monitor assigns it */
} StateInfo;

/* state_info, state_name: the row and the name of s; never NULL (a value
 * out of range reads as NS_INIT's). */
const StateInfo *state_info(NodeState s);
const char *state_name(NodeState s);
/* Parses a state name; false when unknown. */
bool state_parse(const char *name, NodeState *out);
/* state_is_primary, state_is_standby: true for the states listed. */
bool state_is_primary(NodeState s);  /* single, wait_primary, primary */
bool state_is_standby(NodeState s);  /* catchingup, secondary, prepare_p. */
/* "primary", "standby" or "none": the role a state gives a node (never
 * NULL). */
const char *state_role_name(NodeState s);

#endif
