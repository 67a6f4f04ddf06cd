/*
 * fsm.h - pgkeel's state machine: a pure function from a formation
 * snapshot (nodes, their reports, the monitor's health checks, settings
 * and the current time) to new goal states and the reasons for them.
 *
 * No I/O, no clock, no globals: the monitor builds the snapshot, calls
 * fsm_step(), and writes the decisions. The rules are declared as a table
 * in rules.c; formation.c answers what they ask of the snapshot (which
 * node is the primary, whether it is down); candidate.c chooses whom to
 * promote; sync.c computes synchronous_standby_names; health.c the
 * formation's one-word health.
 */
#ifndef PGK_FSM_H
#define PGK_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsm/formation.h"

typedef struct {
	int node_id;
	NodeState from, to;
	int upstream_id;
	char why[256];
} FsmDecision;

/*
 * Applies the rules until no more fire (at most a few passes), updating
 * the goals in f->nodes and writing each change to out. Returns the
 * number of decisions (at most max).
 */
size_t fsm_step(FsmFormation *f, FsmDecision *out, size_t max);

/*
 * candidate.c: why a node may not be promoted, as a mask of these (0:
 * it is eligible). A switchover to a named node overlooks
 * FC_PRIORITY_ZERO.
 */
enum {
	FC_NOT_STANDBY = 1u << 0,   /* its goal is not a standby state */
	FC_SILENT = 1u << 1,        /* no report for node_down_ms */
	FC_PG_STOPPED = 1u << 2,    /* its Postgres is not running */
	FC_NOT_IN_SYNC = 1u << 3,   /* its goal is not secondary */
	FC_NOT_REACHED = 1u << 4,   /* it does not report secondary */
	FC_PRIORITY_ZERO = 1u << 5, /* candidate priority 0 */
	FC_MAINTENANCE = 1u << 6,   /* an operator asked for maintenance */
	FC_VETOED = 1u << 7,        /* its pre_promote hook vetoed it lately */
	FC_NOFAILOVER = 1u << 8,    /* tagged nofailover (node.tags) */
	FC_DELAYED = 1u << 9,       /* node.apply_delay above 0 */
	FC_CASCADE_BEHIND = 1u << 10, /* cascaded, and its received LSN more
					 than catchup_bytes behind the most
					 advanced standby's */
	FC_COUNT = 11
};
/* The flaws of n as a candidate, as of f->now_ms (0 for none). */
unsigned fsm_candidate_flaws(const FsmFormation *f, const FsmNode *n);
/* fsm_flaw_name, fsm_flaw_text: a flaw's name (for JSON:
 * "priority_zero", ...) and its words ("candidate priority 0"); never
 * NULL: "" for a value that is not one FC_ bit. */
const char *fsm_flaw_name(unsigned bit);
const char *fsm_flaw_text(unsigned bit);

/* The standby to promote, or NULL when none is eligible; why says whom
 * and how ("promoting ..."). */
FsmNode *fsm_choose_candidate(const FsmFormation *f, char *why, size_t len);
/* The reporting standby that received the most WAL, or NULL. */
FsmNode *fsm_most_advanced(const FsmFormation *f);
/* The standby a requested switchover goes to, or NULL when none can. */
FsmNode *fsm_switchover_candidate(const FsmFormation *f);

/*
 * sync.c: the standbys whose acknowledgement a commit on the primary
 * waits for, as synchronous_standby_names ("" for none). False when the
 * list does not fit in len: buf is then "" and must not be applied (an
 * empty list would make commits asynchronous without a word).
 */
bool fsm_sync_names(const FsmFormation *f, const FsmNode *primary, char *buf,
		    size_t len);
/* True when n is in primary's synchronous set (a commit may wait for
 * its acknowledgement). */
bool fsm_sync_member(const FsmFormation *f, const FsmNode *primary,
		     const FsmNode *n);
/* How many standbys count for the synchronous quorum right now (0 or
 * more). */
int fsm_sync_eligible(const FsmFormation *f, const FsmNode *primary);

/*
 * upstream.c: the node n should stream from (docs/state-machine.md,
 * "Cascading replication"): the standby its replicate_from names while
 * that one is a healthy standby streaming from the primary itself
 * (fresh, checked, running, streaming, not in maintenance), else the
 * primary; 0 when there is no primary.
 */
int fsm_wanted_upstream(const FsmFormation *f, const FsmNode *n);
/* True when n follows a standby rather than the primary. */
bool fsm_is_cascaded(const FsmFormation *f, const FsmNode *n);

/* health.c */
typedef enum {
	FH_INITIALIZING,
	FH_NO_STANDBY,
	FH_REPLICATING,
	FH_HEALTHY,
	FH_DEGRADED,
	FH_FAILING_OVER,
	FH_NO_PRIMARY,
	FH_PAUSED
} FormationHealth;

/* fsm_health: the formation's one-word health; fsm_health_name: its
 * name, never NULL for a FormationHealth value (not range-checked). */
FormationHealth fsm_health(const FsmFormation *f);
const char *fsm_health_name(FormationHealth h);

#endif
