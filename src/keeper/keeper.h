/*
 * keeper.h - the keeper: the daemon beside one Postgres that reports to
 * the state store and carries out the goal states the monitor assigns.
 *
 * Each cycle (keeper_interval, or at once when the store signals a
 * change) it observes Postgres, supervises it, reports, reads its
 * formation, applies the role configuration (hba, slots, synchronous
 * standbys, upstream), runs the transition to a new goal, and fences a
 * primary cut off from the store and from every standby.
 */
#ifndef PGK_KEEPER_H
#define PGK_KEEPER_H

#include <stdbool.h>
#include <stdint.h>

#include "common/config.h"
#include "common/hookrun.h"
#include "common/nodepaths.h"
#include "common/procwatch.h"
#include "pg/pgbouncer.h"
#include "pg/pgnode.h"
#include "keeper/statefile.h"
#include "pg/restartpolicy.h"
#include "pg/pgobserve.h"
#include "store/store.h"

#define KEEPER_HURRY_MS 20
/* A steady standby's keeper cycles every two keeper intervals, but not
 * less often than this nor a third of node_down_timeout (keeper_quiet.c). */
#define KEEPER_QUIET_MAX_MS 1000
/* The slots of Keeper.watch: the processes whose end wakes the keeper. */
enum { KEEPER_WATCH_POSTMASTER, KEEPER_WATCH_RECEIVER };
/* A node whose pre_promote hook vetoed its promotion reports it this
 * long (or until another node is the primary): the monitor chooses
 * another candidate meanwhile (docs/state-machine.md). */
#define KEEPER_VETO_HOLD_MS 60000

/* The per-event hooks, besides hooks.state_change (keeper_hooks.c). */
enum {
	KEEPER_HOOK_ROLE_CHANGE,
	KEEPER_HOOK_FAILOVER,
	KEEPER_HOOK_SWITCHOVER,
	KEEPER_NHOOKS
};

typedef struct Keeper {
	Config cfg;
	NodePaths paths;
	PgNode node;
	Store *store;
	KeeperState st;             /* as recorded in keeper.state */
	NodeState reached;          /* the state the node is in: st.current,
				     * or a newer one not recorded yet */
	StoreFormation *formation; /* last read from the store, or NULL */
	Observation obs;
	bool obs_ok;
	int64_t obs_ms;             /* monotonic: when obs was taken */
	int64_t answered_ms;        /* a probe's start that a standby
				     * answered (fence.c); 0: none */
	/* freshness (keeper_status.h), monotonic: the primary last heard
	 * from (0: not since the keeper started); the last replayed commit
	 * while WAL waits to be replayed (0: caught up) */
	int64_t contact_ms;
	int64_t replayed_ms;
	Supervisor sup;
	bool pg_failed;             /* the supervisor gave up */
	int64_t last_store_ok_ms;   /* monotonic */
	int64_t started_ms;
	bool fenced;                /* we stopped our primary ourselves */
	Lsn drained_lsn;            /* last checkpoint of a drained primary */
	bool paused;                /* the formation is paused */
	int transition_failures;
	int64_t next_transition_ms;
	int64_t interval_ms;
	int64_t fence_ms;
	int64_t store_timeout_ms;
	bool store_ok;              /* the last report reached the store */
	NodeReport last_report;     /* the last one that reached it ... */
	bool report_same;           /* ... and it was the same as before */
	ProcWatch watch;            /* the postmaster and WAL receiver */
	/* the HTTP API (NULL when off) and the hooks */
	struct KeeperApi *api;
	int64_t api_retry_ms;
	HookRunner hooks;               /* hooks.state_change */
	HookRunner event_hooks[KEEPER_NHOOKS];
	int64_t veto_until_ms;  /* the pre_promote hook vetoed: reported
				   until then (monotonic); 0: no veto */
	bool promo_noted;       /* the promotion under way: noted, ... */
	bool promo_switchover;  /* ... its kind ... */
	char promo_old_primary[64]; /* ... and whom it replaces ("") */
	long long promotions;
	double last_promotion_s;
	int64_t promotion_start_ms; /* goal prepare_promotion first seen */
	/* the formation's Postgres parameters, quoted for postgresql.conf */
	PgParam params[STORE_MAX_PARAMS];
	char param_values[STORE_MAX_PARAMS][520];
	/* the formation's passwords last set on our primary's roles ("":
	 * not yet since the keeper started) */
	char repl_applied[128];
	char health_applied[128];
	int bad_host_id; /* a node whose host in the store was refused */
	bool hurry;      /* a restart is waiting for a dead server's
			    processes: next cycle in KEEPER_HURRY_MS */
	PgConn local;    /* to the local Postgres, kept across cycles */
	bool pending_restart;      /* the last answer of the server */
	int64_t pending_checked_ms; /* when; 0: ask at the next observation */
	long long restart_unrecorded; /* a restart request carried out,
				       * maybe not in keeper.state yet */
	uint64_t duties_digest; /* of the last duties that succeeded */
	int64_t duties_ms;      /* when; 0: due now */
	PgBouncer pgb;          /* [pgbouncer]; pgb.enabled when set */
	int reinit_failures;    /* reinit attempts failed in a row */
	int64_t next_reinit_ms; /* no attempt before (monotonic) */
	/* the logical slots' state files this standby's keeper wrote since
	 * it started: the same one is not copied again */
	struct {
		char name[STORE_NAME_LEN];
		char state[STORE_SLOT_STATE_LEN];
	} slot_copies[SLOTDECL_MAX];
} Keeper;

/*
 * Loads the node's configuration and state into k, which must be zeroed
 * (calloc: the pages of the hook queues, most of a Keeper, then stay
 * untouched until a hook is queued); err says what is missing.
 * The keeper must be registered already (pgkeel create postgres). True
 * when ready; false with err set (node paths, keeper.state, Postgres
 * binaries, unsafe timeouts), except out of memory, which leaves err
 * unset. Call keeper_free either way.
 */
bool keeper_init(Keeper *k, const Config *cfg, char *err, size_t errlen);
void keeper_free(Keeper *k);

/* How long the keeper waits for the next cycle: keeper_interval, or
 * longer for a steady standby (keeper_quiet.c). */
int64_t keeper_cadence(const Keeper *k);
/* True when a steady primary's last observation (at k->obs_ms) is
 * still current at now_ms: the cycle reports it again rather than
 * observing anew (keeper_quiet.c). */
bool keeper_observation_current(const Keeper *k, int64_t now_ms);
/* Before a wait: watches the processes that are running now, so that
 * the end of one ends the wait (the store's wake descriptor). */
void keeper_watch(Keeper *k);
/* Sleeps ms, or less once a watched process ended. */
void keeper_sleep(Keeper *k, int64_t ms);

/* One cycle; now_ms is the monotonic clock. */
void keeper_cycle(Keeper *k, int64_t now_ms);

/*
 * Runs cycles until a stop signal, or (stop_when_stable) until the node
 * reached a stable state. Returns an exit code.
 */
int keeper_run(Keeper *k, bool stop_when_stable, int timeout_ms);

/* Registers with the monitor (cfg's monitor URI is the operator's) and
 * writes the node's files: its passfile, pgkeel.ini, keeper.state. True
 * when registered (or already, by keeper.state); false with err set by
 * the step that failed (timeouts, node directory, the store's answer,
 * a file that cannot be written). */
bool keeper_register(const Config *cfg, char *err, size_t errlen);
/* keeper_credentials.c: opens the store as this node's own role (its
 * passfile), or with the credential the monitor URI carries itself; NULL
 * with err. */
Store *keeper_store_open(const Config *cfg, char *err, size_t errlen);
/* Gives the node's store role a new password (store.pgpass too); false
 * with err, the old password still working. */
bool keeper_rotate_password(const Config *cfg, char *err, size_t errlen);

/* keeper_local.c: the one connection to the local Postgres (NULL when
 * it cannot be opened; the reason is logged at debug level), and the
 * cycle's observation through it: keeper_observe is true when k->obs
 * was filled, false (logged at debug level) when the server cannot be
 * reached or observed, even after a new connection. */
PgConn *keeper_local(Keeper *k);
void keeper_local_close(Keeper *k);
bool keeper_observe(Keeper *k);

/* keeper_self.c: this node's entry in the formation read last, or NULL
 * (no formation read yet, or the node is not in it). */
const StoreNode *keeper_me(const Keeper *k);

/* keeper_role.c: the formation's view applied to our PgNode.
 * keeper_upstream: the node we follow, or NULL (none assigned, or not in
 * the formation read last). */
const StoreNode *keeper_upstream(const Keeper *k);
void keeper_apply_role(Keeper *k, NodeState goal);
/* keeper_standby.c (docs/state-machine.md, "Standby formations"):
 * keeper_standby_formation: true when the formation read last is a
 * standby formation. keeper_standby_role: the standby formation's part
 * of the role (the leader streams from the source's URI, every node
 * replicates with the source's role), applied after keeper_apply_role's;
 * never fails. */
bool keeper_standby_formation(const Keeper *k);
void keeper_standby_role(Keeper *k, NodeState goal);
/* The leader's promotion once the formation is no longer a standby
 * formation: true when nothing is left to do, false when the promotion
 * failed (logged; tried again next cycle). */
bool keeper_standby_promote(Keeper *k);
/* The role's duties (configuration, slots, roles, restart requests),
 * when what they depend on changed since they last succeeded, and every
 * KEEPER_DUTIES_REFRESH_MS anyway (a file edited by hand, a slot to
 * advance). */
#define KEEPER_DUTIES_REFRESH_MS 10000
void keeper_duties(Keeper *k, int64_t now_ms);

/* keeper_digest.c: what the duties depend on, as one number. */
uint64_t keeper_duties_digest(const StoreFormation *f, NodeState current);

/* keeper_permslots.c: the formation's permanent slots on this node:
 * created on a primary; on a standby created too and advanced to the
 * positions its upstream's copies have reached; removed ones dropped
 * (unless a client uses them). True when every step succeeded. */
bool keeper_permanent_slots(Keeper *k, bool primary);
/* keeper_logslots.c: the formation's permanent logical slots on this
 * node: on a primary created in their database and published to the
 * store; on a standby copied from what the primary published (Postgres
 * restarted once to load a new copy) and advanced to the primary's
 * confirmed position; removed ones dropped (unless a client uses them).
 * True when every step succeeded; false when one failed (logged). */
bool keeper_logical_slots(Keeper *k, bool primary);

/* keeper_pgbouncer.c: the pgBouncer of [pgbouncer] (nothing when it is
 * not set). _configure reads the settings; _resume undoes a pause when
 * the shutdown failed; _own, on the writable primary, points the pool at
 * this node and resumes it. Both log what failed, and tell nothing. */
void keeper_pgbouncer_configure(Keeper *k);
void keeper_pgbouncer_resume(Keeper *k);
void keeper_pgbouncer_own(Keeper *k);
/* Before a switchover's fast shutdown: true when the pool is paused;
 * false when it is not (no pgBouncer, or the pause failed or timed out,
 * logged): the switchover goes on without it. */
bool keeper_pgbouncer_pause(Keeper *k);

/* keeper_restart.c: carries out an operator's restart request. */
/* True when no request is left to carry out. */
bool keeper_restart_if_requested(Keeper *k);
/* Records in keeper.state (and so reports) that restart request
 * number request was carried out; false (logged) when it cannot be
 * written: the caller tries again next cycle. */
bool keeper_record_restart(Keeper *k, long long request);
/* keeper_reinit.c: carries out an operator's reinit request (the node
 * in maintenance: moves PGDATA aside, clones the primary again, starts
 * as its standby); a failed attempt is retried after a growing delay.
 * True when none is left to carry out. */
bool keeper_reinit_if_requested(Keeper *k, int64_t now_ms);

/* transitions.c: remembers in keeper.state, before creating it, that
 * pgkeel makes this node's PGDATA (an absent or empty one): only such a
 * directory may `drop node --destroy` delete later. False with err set
 * when that cannot be recorded: nothing may be created then. */
bool keeper_note_creation(Keeper *k, char *err, size_t errlen);

/* transitions.c: carries out the transition from -> to. True when done;
 * false with err set by its action, or "no transition" for a pair the
 * table lacks. */
bool keeper_transition(Keeper *k, NodeState from, NodeState to, char *err,
		       size_t errlen);

/* keeper_publish.c: the HTTP API's snapshot. */
void keeper_publish(Keeper *k, int64_t now_ms, bool busy);
void keeper_api_open(Keeper *k, int64_t now_ms);
void keeper_track_promotion(Keeper *k, NodeState goal, bool reached,
			    int64_t now_ms);

/* keeper_hooks.c: the hooks of docs/http-api.md#hooks. _configure sets
 * their commands and timeouts from k->cfg (first: at start, the queues
 * empty); _poll and _stop as hookrun's. keeper_fire_hook queues a
 * hooks.state_change event; keeper_hooks_reached queues the events of a
 * state reached (state_change, on_role_change, on_failover or
 * on_switchover). */
void keeper_hooks_configure(Keeper *k, bool first);
void keeper_hooks_poll(Keeper *k, int64_t now_ms);
void keeper_hooks_stop(Keeper *k);
void keeper_fire_hook(Keeper *k, const char *event, NodeState old,
		      NodeState now);
void keeper_hooks_reached(Keeper *k, NodeState old, NodeState now);
/* Notes, while the goal is prepare_promotion, what the promotion will
 * be (failover or switchover) and whom it replaces, for the hooks. */
void keeper_note_promotion(Keeper *k);
/* Runs hooks.pre_promote and waits for it: true when the promotion may
 * go on (exit 0, or no hook); false with err saying why it was vetoed,
 * the veto then reported for KEEPER_VETO_HOLD_MS (keeper_vetoed). */
bool keeper_pre_promote(Keeper *k, char *err, size_t errlen);
/* Ends the veto once its time passed or another node is the primary. */
void keeper_veto_expire(Keeper *k, int64_t now_ms);
/* True while a veto is reported. */
bool keeper_vetoed(const Keeper *k);

/* fence.c: true when this primary must fence now: not fenced yet, cut
 * off from the store for fence_ms, and no standby streaming from it
 * answered within STANDBY_REPLY_FRESH_MS. */
bool keeper_should_fence(const Keeper *k, int64_t now_ms);
/* Asks the standbys streaming from this primary to answer now, waiting
 * STANDBY_PROBE_WAIT_MS at most: true when one did (it keeps the primary
 * open for STANDBY_REPLY_FRESH_MS more). */
bool keeper_standbys_answer(Keeper *k);
/* When this primary must be fenced unless the store answers first
 * (monotonic ms), or 0 when it need not be. */
int64_t keeper_fence_deadline(const Keeper *k);
/* How long to wait before the next cycle: the interval, or less to
 * fence on time (or to look again soon at a clearing restart). */
int64_t keeper_pause(const Keeper *k, int64_t now_ms);

#endif
