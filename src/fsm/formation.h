/*
 * formation.h - the snapshot of a formation the state machine reads
 * (its nodes, their reports, the monitor's checks, the settings, the
 * time), and the questions the rules, the candidate choice and the
 * formation's health ask of it: which node is the primary, whether a
 * node still reports, whether the primary is down. Reached from outside
 * src/fsm/ through fsm/fsm.h.
 */
#ifndef PGK_FORMATION_H
#define PGK_FORMATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/lsn.h"
#include "fsm/states.h"

typedef struct {
	int id;
	char name[64];
	int priority;       /* candidate priority, 0: never promoted */
	bool quorum;        /* may count as a synchronous standby */
	NodeState goal;     /* assigned by the monitor */
	NodeState reported; /* the keeper's current state */
	int upstream_id;    /* standbys: the node they follow, or 0 */
	bool maintenance;   /* an operator asked for maintenance */
	bool nofailover;    /* tagged nofailover: never promoted */
	int replicate_from; /* node.replicate_from: the standby it should
			       stream from (cascading), or 0: the primary */
	int64_t apply_delay_ms; /* node.apply_delay: it replays this late;
				   above 0 it is never promoted and never
				   a synchronous standby */
	bool drop;          /* an operator asked to drop the node */
	bool restart_pending; /* an operator's restart of its Postgres not
				 carried out yet: the keeper does it, no
				 rule reads this (explanations do) */

	/* from the keeper's last report */
	bool pg_running;
	bool pg_failed;           /* the keeper gave up restarting it */
	bool promote_vetoed;      /* its pre_promote hook vetoed its
				     promotion lately */
	bool in_recovery;
	Lsn lsn;                  /* primary: flush; standby: received */
	int timeline;
	bool receiver_streaming;
	int streaming_from;       /* node id of the WAL sender, or 0 */

	/* the monitor's own clock and checks */
	int64_t last_report_ms;   /* when a new report was last seen */
	bool health_ok;           /* the monitor's last connection test */
	int64_t health_fail_since_ms; /* first failed test in a row, or -1 */
	int64_t not_streaming_since_ms; /* standbys: or -1 while streaming */
	bool port_closed; /* the last check: the host refused the connection
			     (nothing listens on the port) */
	int64_t fence_ms; /* reported: a primary cut off from the store stops
			     taking writes this long after its last report;
			     0 unknown */
} FsmNode;

typedef struct {
	int number_sync_standbys;
	bool strict_sync;     /* never drop to asynchronous commits */
	bool paused;          /* no decisions at all */
	bool standby_of;      /* a standby formation (formation.standby_of):
				 its primary is a standby of another
				 formation, never synchronous */
	int switchover_to;    /* operator request: -1 none, 0 best, node id */
	bool failover_requested; /* operator request: forced failover */
	int64_t node_down_ms; /* all signals lost this long: down */
	int64_t restart_allowance_ms; /* a primary whose keeper reports it
				       is restarting Postgres: this long
				       beyond node_down_ms */
	int64_t sync_timeout_ms;
	uint64_t catchup_bytes; /* a standby this close to the primary is
				   in sync */
} FsmSettings;

typedef struct {
	FsmSettings settings;
	FsmNode *nodes;
	size_t nnodes;
	int64_t now_ms;
	bool since_at_least; /* the nodes' *_since_ms are guesses that make
				durations shorter than they may be (`pgkeel
				explain`, docs/state-machine.md); no rule
				reads this, explanations say "at least" */
} FsmFormation;

/*
 * A primary's keeper that cut off from the store keeps its Postgres open
 * while a standby streaming from it answered within STANDBY_REPLY_FRESH_MS
 * (keeper/fence.c). Standbys send status messages every second
 * (wal_receiver_status_interval) and at once when they write WAL, so
 * before fencing the keeper commits a transaction and waits up to
 * STANDBY_PROBE_WAIT_MS for an answer (pg/standbyprobe.h). The monitor's
 * decisions wait STANDBY_LET_GO_MS after the last standby stopped
 * streaming: that window, that wait, and FENCE_MARGIN_MS more for the
 * keeper's own step and the fencing itself (docs/guarantees.md).
 */
#define STANDBY_REPLY_FRESH_MS 500
#define STANDBY_PROBE_WAIT_MS 250
#define FENCE_MARGIN_MS 250
#define STANDBY_LET_GO_MS                                                   \
	(STANDBY_REPLY_FRESH_MS + STANDBY_PROBE_WAIT_MS + FENCE_MARGIN_MS)

/* The defaults documented in docs/configuration.md. */
void fsm_settings_default(FsmSettings *s);

/* The questions the rules, the candidate, the monitor and the tests ask
 * of a formation. None fails: they only read the snapshot. fsm_node: the
 * node with that id, or NULL when there is none. */
FsmNode *fsm_node(const FsmFormation *f, int id);
/* The node whose goal is a primary state, or NULL. */
FsmNode *fsm_primary(const FsmFormation *f);
/* True when n's last report is at most node_down_ms old. */
bool fsm_is_fresh(const FsmFormation *f, const FsmNode *n);
/* True when p is not NULL, passes the monitor's checks, reports, and
 * runs Postgres: healthy by all accounts (a switchover starts only
 * then). */
bool fsm_primary_healthy(const FsmFormation *f, const FsmNode *p);
/* The primary once its keeper reached a writable state (not single),
 * or NULL. */
const FsmNode *fsm_settled_primary(const FsmFormation *f);

/*
 * The failure detector's signals about a primary, one by one: what
 * fsm_primary_down and fsm_primary_refused decide from, and what
 * `pgkeel explain` says. Durations are -1 while the signal is absent.
 */
typedef struct {
	int64_t keeper_silent_ms;  /* since its keeper's last report */
	bool keeper_lost;          /* ... more than node_down_ms */
	int64_t health_failing_ms; /* the monitor's checks fail since */
	bool health_lost;          /* ... at least node_down_ms */
	bool pg_failed;            /* its keeper gave up restarting it */
	bool pg_stopped;           /* reported not running */
	bool restart_overdue;      /* checks failing beyond node_down_ms
				      plus restart_allowance_ms */
	bool postgres_lost;        /* failed, or stopped and overdue */
	int streaming_standby;     /* a reporting standby streams from it:
				      its id, else 0 */
	int holding_standby;       /* a reporting standby streamed from it
				      within the reply window: its id */
	int64_t holding_stopped_ms; /* ... stopped streaming since, -1 while
				       it still streams */
	int silent_standby;        /* a standby not reporting: its id */
	size_t reporting_standbys;
	bool standbys_let_go;      /* none holds it */
	bool port_refused;         /* the last check was refused */
	int64_t fence_ms;          /* its keeper's fencing time, 0 unknown */
	bool fence_passed;         /* silent past fence_ms and a margin */
	bool refused;              /* definitive evidence: down at once */
	bool down;                 /* by every signal, or refused */
} FsmDownSignals;

/* Fills out with p's signals as of f->now_ms; never fails. */
void fsm_down_signals(const FsmFormation *f, const FsmNode *p,
		      FsmDownSignals *out);
/* True when the primary is down: by every independent signal, or by
 * definitive evidence (docs/guarantees.md, "When the primary is declared
 * down"); false while any signal says it may be up. */
bool fsm_primary_down(const FsmFormation *f, const FsmNode *p);
/* ... true on the definitive evidence alone: its port refuses
 * connections, its keeper is silent past its fencing time, the standbys
 * let go of it. */
bool fsm_primary_refused(const FsmFormation *f, const FsmNode *p);

#endif
