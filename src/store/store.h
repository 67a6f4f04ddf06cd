/*
 * store.h - the state store: where formations, nodes, their reports,
 * their goal states and the event log live. Keepers and the monitor use
 * only this interface; drivers implement it (pgstore.c: the monitor's own
 * Postgres, the default).
 *
 * Keepers register, report and read their formation. The monitor holds a
 * lease with a term that increases at every change of holder; every write
 * it makes carries the term and is refused once another monitor took
 * over (fencing).
 */
#ifndef PGK_STORE_H
#define PGK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/compat.h"
#include "common/lsn.h"
#include "common/rtsettings.h"
#include "common/slotdecl.h"
#include "common/sslconn.h"
#include "fsm/fsm.h"

#define STORE_MAX_NODES 64
#define STORE_NAME_LEN 64
#define STORE_HOST_LEN 256
#define STORE_MAX_PARAMS 64
#define STORE_URI_LEN 1024
/* A switchover or failover request not carried out by then is dropped. */
#define STORE_REQUEST_EXPIRY_TEXT "60 seconds"

typedef struct {
	char formation[STORE_NAME_LEN];
	char name[STORE_NAME_LEN]; /* "" lets the store name it node_<id> */
	char host[STORE_HOST_LEN];
	int port;
	int priority;
	bool quorum;
} NodeRegistration;

typedef struct {
	int node_id;
	char name[STORE_NAME_LEN];
	char secret[80]; /* the node's own store password: keep it 0600 */
} RegisteredNode;

typedef struct {
	NodeState current;
	bool pg_running;
	bool pg_failed;
	bool in_recovery;
	Lsn lsn;
	int timeline;
	bool receiver_streaming;
	char upstream_host[STORE_HOST_LEN];
	int upstream_port;
	bool pending_restart;
	bool fenced;      /* the keeper fenced its primary itself */
	long long restarted; /* the last restart request carried out */
	int http_port;       /* the keeper's HTTP API, 0 when off */
	int fence_ms;  /* a primary cut off from the store stops taking
			  writes this long after its last contact at the
			  latest; 0: unknown (docs/guarantees.md) */
	bool promote_vetoed; /* its pre_promote hook vetoed its promotion
				lately: not a candidate for now
				(docs/state-machine.md) */
} NodeReport;

typedef struct {
	int id;
	char name[STORE_NAME_LEN];
	char host[STORE_HOST_LEN];
	int port;
	int priority;
	bool quorum;
	NodeState goal;
	NodeState reported;
	int upstream_id;
	char sync_names[512];
	NodeReport report;
	int64_t report_seq;     /* increases with every report */
	int64_t report_age_ms;  /* by the store's clock */
	bool reachable;         /* the monitor's last health check */
	bool maintenance;       /* an operator asked for maintenance */
	int tags;               /* node.tags: common/nodetags.h's bits */
	char replicate_from[STORE_NAME_LEN]; /* node.replicate_from: the
						standby it streams from, or
						"" (the primary) */
	int apply_delay;        /* node.apply_delay, in milliseconds */
	bool drop_requested;    /* an operator asked to drop the node */
	long long restart_requested; /* see store_request_restart */
	long long reinit_requested;  /* see store_request_reinit */
} StoreNode;

/* A formation-wide Postgres parameter, as the operator wrote it. */
typedef struct {
	char name[STORE_NAME_LEN];
	char value[256];
} StoreParam;

/* A permanent replication slot declared for the formation
 * (common/slotdecl.h); a removed one stays listed, removed, so that
 * every node drops its copy. A logical one also holds what a primary's
 * keeper last published of it (store_publish_slot), for the standbys'
 * copies. */
#define STORE_MAX_SLOTS 32
/* the slot's state file (pg_replslot/NAME/state) in lower-case hex */
#define STORE_SLOT_STATE_LEN 1024
#define STORE_SLOT_STATE_LEN_TEXT "1024"
typedef struct {
	char name[STORE_NAME_LEN];
	char kind[SLOTDECL_KIND_LEN]; /* SLOTDECL_PHYSICAL, or logical:... */
	bool removed;
	int copy_node;       /* who published it; 0: nobody yet */
	Lsn confirmed_flush; /* the slot's confirmed_flush_lsn there */
	char state[STORE_SLOT_STATE_LEN]; /* its state file; "": none */
} StoreSlot;

typedef struct {
	char name[STORE_NAME_LEN];
	int number_sync_standbys;
	bool strict_sync;
	bool paused;
	int switchover_to;       /* requested: -1 none, 0 best, else node id */
	bool failover_requested; /* requested forced failover */
	char health[32];
	char repl_password[128];
	char health_password[128]; /* of the role health checks connect as */
	int retired_roles; /* roles of deleted nodes not dropped yet */
	char pgbackrest_stanza[64]; /* archiving on to it; "": off */
	int scheduled; /* operations scheduled and not ended (listed by
			  store_list_scheduled); -1: not counted by this
			  driver (the monitor lists them every interval) */
	char standby_of[STORE_URI_LEN]; /* formation.standby_of: the source
					   formation's URI; "": none */
	StoreParam params[STORE_MAX_PARAMS];
	size_t nparams;
	StoreSlot slots[STORE_MAX_SLOTS]; /* declared ones first, by name */
	size_t nslots;
	StoreNode nodes[STORE_MAX_NODES];
	size_t nnodes;
} StoreFormation;

typedef struct {
	int64_t time_ms;
	char formation[STORE_NAME_LEN];
	int node_id;
	char node_name[STORE_NAME_LEN];
	char old_state[32];
	char new_state[32];
	char description[512];
} StoreEvent;

/* An operation an operator scheduled for a time (store_schedule). */
#define STORE_MAX_SCHEDULED 64
typedef struct {
	long long id;
	char what[16];             /* "switchover" or "restart" */
	char node[STORE_NAME_LEN]; /* the candidate or the node; "": none */
	int64_t at_ms;             /* wall clock, ms since the epoch */
} StoreScheduled;

typedef struct {
	int node_id;
	NodeState goal;
	int upstream_id;  /* 0: unchanged */
	char why[256];
	NodeState old;
} StoreDecision;

typedef struct {
	int node_id;
	bool reachable;
	char sync_names[512];
} StoreNodeView;

/* A running monitor, as store_list_monitors sees it. */
typedef struct {
	char holder[STORE_NAME_LEN];
	bool active;      /* holds the lease; false: standing by */
	int64_t since_ms; /* wall clock: when it became active, or started
			     standing by */
	int64_t term;     /* its term while active; 0 standing by */
	char api[256];    /* host:port of its HTTP API; "" when off or
			     unknown */
} StoreMonitor;

/*
 * How a call failed, in Store.failure (STORE_OK after a call that
 * succeeded). Callers decide on it, never on the text in Store.error,
 * which is for people.
 */
typedef enum {
	STORE_OK,
	STORE_NOT_FOUND,   /* a read named a formation the store does not
			      hold (get_formation only) */
	STORE_REFUSED,     /* the caller's input or rights: validation,
			      permission, an unknown node or setting, a
			      duplicate; asking again the same way fails
			      again */
	STORE_UNAVAILABLE, /* timeout, connection lost, store overloaded or
			      shutting down: retry later; a write may or may
			      not have been made */
	STORE_FENCED       /* the monitor's term is no longer current:
			      nothing was written */
} StoreFailure;

/* The failure's name, for logs and tests ("refused"...); never NULL. */
const char *store_failure_name(StoreFailure f);

typedef struct Store Store;

/* Fails a call of s (for drivers and the store's own helpers):
 * s->failure f and s->error the message; always false. */
bool store_fail(Store *s, StoreFailure f, const char *fmt, ...)
	PGK_PRINTF(3, 4);

/* A keeper's report that changed nothing, heard by a waiting monitor
 * (the postgres store's driver hears them): the node, the report_seq
 * the report gave it, and when (monotonic) it was heard, which is after
 * the report was committed. */
typedef struct {
	int node_id;
	int64_t report_seq;
	int64_t heard_ms;
} StoreBeat;
#define STORE_MAX_BEATS 64

struct Store {
	const struct StoreOps *ops; /* the driver's (store_driver.h) */
	char error[1024];     /* the last failure, for messages */
	StoreFailure failure; /* the last call's outcome, set on every call */
	int wake_fd;          /* -1, or also ends a wait when readable */
	bool hears_beats;     /* its waits hear beats (store_take_beats) */
	bool woken;           /* the last wait ended on news, not on time */
	StoreBeat beats[STORE_MAX_BEATS]; /* heard since the last take */
	size_t nbeats;
	void *impl;
};

/* Notes beat b: the latest per node is kept; a node beyond
 * STORE_MAX_BEATS is not (a beat missed only makes its keeper look
 * silent longer). For drivers. */
void store_heard_beat(Store *s, StoreBeat b);
/* The beats heard since the last call, into out (max at most): how
 * many. */
size_t store_take_beats(Store *s, StoreBeat *out, size_t max);

/*
 * The calls on an open store below return true on success, and false
 * with s->error set (what failed and the store's message; for a refusal
 * to a node's own credential, which credential to use instead) and
 * s->failure saying how it failed (StoreFailure). A call that
 * lost the connection closes it: the next call connects again.
 */

/*
 * Connects to the store named by uri, whose scheme picks the driver
 * (store_open.c): postgres:// or postgresql:// (or a libpq keyword
 * string) the monitor's Postgres; etcd:// an etcd cluster
 * (etcdstore.h, docs/etcd.md); any other is refused naming the accepted
 * ones. ssl's TLS settings replace the URI's (NULL, or mode "prefer":
 * the URI as given): a keeper verifies the store with its own CA. NULL
 * with err set (a scheme unknown, out of memory, a URI or password file
 * that cannot be used, or the connection and libpq's reason).
 */
Store *store_open(const char *uri, const SslSpec *ssl, int timeout_ms,
		  char *err, size_t errlen);
/* The monitor's own connection to the store in its local Postgres;
 * upgrade (the monitor's, at start) brings an older schema up first.
 * NULL with err set: no connection, a failed upgrade, or a schema that
 * is not this pgkeel's (what to do). */
Store *store_open_local(const char *sockdir, int port, int timeout_ms,
			bool upgrade, char *err, size_t errlen);

/* Registers a node: true with out filled (its id, name and store
 * password); false with s->error set (the store's refusal says why). */
bool store_register_node(Store *s, const NodeRegistration *reg,
			 RegisteredNode *out);
/* Reports for node_id: only a store opened with that node's own
 * credential may (see docs/security.md). False with s->error set. */
bool store_report(Store *s, int node_id, const NodeReport *report);
/* The formation's snapshot into out. False with s->error set, and
 * s->failure STORE_NOT_FOUND when there is no such formation. */
bool store_get_formation(Store *s, const char *formation, StoreFormation *out);
/* store_report, then store_get_formation, in one round trip where the
 * driver can. False with s->error set when either failed; out is left
 * as it was when the report failed (a keeper then goes on with the
 * formation it read last, as after a failed report alone). out must be
 * zeroed at first (calloc) and then only read into: a read clears just
 * the entries the last one filled (the rest stays zero, untouched). */
bool store_report_read(Store *s, int node_id, const NodeReport *report,
		       const char *formation, StoreFormation *out);
/* The formations' names (the first max); store_events: the formation's
 * last count events, oldest first. False with s->error set (*n 0). */
bool store_list_formations(Store *s, char (*names)[STORE_NAME_LEN],
			   size_t max, size_t *n);
bool store_events(Store *s, const char *formation, int count,
		  StoreEvent *out, size_t *n);
/* Waits up to timeout_ms for a change notification: true when one came
 * (s->woken) or the time passed; false with s->error set when the
 * connection is lost (the caller then sleeps itself). Beats heard
 * meanwhile do not end it (store_take_beats). */
bool store_wait(Store *s, int timeout_ms);
/* A descriptor whose readability also ends store_wait (-1: none), for a
 * caller with news of its own: the monitor's health checks. */
void store_set_wake_fd(Store *s, int fd);
/*
 * Every later call (a connection attempt included) gives up by
 * deadline_ms (monotonic) rather than after the store's timeout, but
 * takes STORE_MIN_CALL_MS at least; 0 lifts the limit. A primary's keeper
 * uses it so that a store that stopped answering cannot hold it past its
 * fencing time.
 */
#define STORE_MIN_CALL_MS 50
void store_set_deadline(Store *s, int64_t deadline_ms);
/* Takes or keeps the monitor's lease: true with *term its term, or 0
 * when another monitor holds it; false with s->error set (*term 0).
 * api: where the monitor's HTTP API answers (host:port, "" when off),
 * listed with it (store_list_monitors). */
bool store_acquire(Store *s, const char *holder, const char *api,
		   int64_t *term);
/* Ends the lease of holder at term now, not at its TTL: what a monitor
 * standing by does when it has seen the holder dead. Nothing when the
 * lease is no longer holder's at term; holder's next fenced write fails.
 * True when done or nothing was to do; false with s->error set
 * (STORE_REFUSED where one monitor alone uses the store). */
bool store_depose(Store *s, const char *holder, int64_t term);
/* Writes decisions, fenced by term; clear_requests consumes the pending
 * switchover/failover request the decisions carried out. All or nothing:
 * false with s->error set (STORE_FENCED, "fenced: ...", when another
 * monitor took the lease), nothing written. */
bool store_apply(Store *s, int64_t term, const char *formation,
		 const StoreDecision *d, size_t nd, const StoreNodeView *views,
		 size_t nviews, const char *health, bool clear_requests);
/* Asks the monitor for "switchover" (to node_name, or "" for the best
 * standby) or a forced "failover". False with s->error set (the store's
 * refusal says why). */
bool store_request(Store *s, const char *formation, const char *what,
		   const char *node_name);
/*
 * Changes a run-time setting, one of common/rtsettings.h (a node.* one of
 * node_name). Refused (false) with a reason in s->error when the name or
 * value is wrong, or the call failed.
 */
bool store_set_setting(Store *s, const char *formation, const char *node_name,
		       const char *name, const char *value);
/*
 * The value in force in f of a run-time setting (a bool as 0 or 1); for
 * a node.* one, of node node_name. False when there is no such node.
 */
bool store_runtime_value(const StoreFormation *f, const char *node_name,
			 RuntimeSettingId id, int *value);
/* ... as text, as `config get` shows it ("3", "true", "60min", a node's
 * name); false when there is no such node. */
bool store_runtime_text(const StoreFormation *f, const char *node_name,
			RuntimeSettingId id, char *buf, size_t len);
/* Asks the monitor to remove a node from its formation. False with
 * s->error set (the store's refusal says why). */
bool store_drop_node(Store *s, const char *formation, const char *node_name);
/* Asks for (on) or ends (off) maintenance of a node. False with s->error
 * set (the store's refusal says why). */
bool store_set_maintenance(Store *s, const char *formation,
			   const char *node_name, bool on);
/*
 * Sets (value) or removes (NULL) the formation-wide Postgres parameter
 * name, validated against the store's Postgres; context receives the
 * parameter's context ("postmaster": applied only by a restart). False
 * with s->error set (an unknown parameter or invalid value: the store's
 * message).
 */
bool store_set_pg_param(Store *s, const char *formation, const char *name,
			const char *value, char *context, size_t len);
/*
 * Sets (value) or removes (NULL) a formation's backup setting:
 * "backup.pgbackrest_stanza" (docs/pgbackrest.md). Refused with a reason
 * in s->error when the name or value is wrong, or the driver keeps none:
 * true when stored, false with s->error set.
 */
bool store_set_backup(Store *s, const char *formation, const char *name,
		      const char *value);
/*
 * Declares (kind: SLOTDECL_PHYSICAL or logical:PLUGIN:DATABASE, as
 * slotdecl_parse accepts) or removes (NULL) the formation's
 * permanent slot name; a new kind forgets what was published. False with s->error set (the store's refusal: an
 * invalid or reserved name, another kind, too many slots, or removing a
 * slot that was not declared).
 */
bool store_set_slot(Store *s, const char *formation, const char *name,
		    const char *kind);
/*
 * A node's keeper publishes its logical slot name as it stands there:
 * its confirmed_flush_lsn and its state file (lower-case hex, under
 * STORE_SLOT_STATE_LEN). For node_id alone, like report (STORE_REFUSED
 * for another node, a slot that is not declared logical in the node's
 * formation, or malformed hex). True when stored, false with s->error
 * set. Every reader sees the latest publication of the slot, whoever
 * made it; the readers trust it only from the formation's primary
 * (StoreSlot.copy_node).
 */
bool store_publish_slot(Store *s, int node_id, const char *name,
			Lsn confirmed_flush, const char *state);
/*
 * Asks the node's keeper to restart its Postgres; *seq is the request's
 * number: it is carried out once the node reports restarted >= seq.
 * False with s->error set (the store's refusal says why).
 */
bool store_request_restart(Store *s, const char *formation,
			   const char *node_name, long long *seq);
/*
 * Asks the node's keeper to clone its standby again from the primary
 * (`pgkeel perform reinit`). A reinit is a restart request that re-clones:
 * *seq is its number in the node's restart sequence (restart_requested),
 * and the node's reinit_requested takes it too; it is carried out once
 * the node reports restarted >= seq. Until then the monitor treats the
 * node as in maintenance. Refused (STORE_REFUSED, nothing changed) for
 * an unknown node, a node that is not a standby (goal catchingup or
 * secondary), a formation without a settled writable primary, and while
 * another restart or reinit of the node is under way. False with
 * s->error set.
 */
bool store_request_reinit(Store *s, const char *formation,
			  const char *node_name, long long *seq);
/*
 * Scheduled operations (`pgkeel perform ... --at`): store_schedule
 * stores op (its what, node and at_ms; the id is the store's, in *id);
 * refused for an unknown formation, another what, a node name that is
 * not in the formation. store_list_scheduled: the pending ones of the
 * formation (the first max), earliest first. store_end_scheduled ends a
 * pending one: outcome "done", "failed" (why says why) or "cancelled",
 * with an event; STORE_REFUSED when no pending operation has that id.
 * The operator may schedule and cancel, the monitor may do all, a
 * node may list. False with s->error set.
 */
bool store_schedule(Store *s, const char *formation, const StoreScheduled *op,
		    long long *id);
bool store_list_scheduled(Store *s, const char *formation,
			  StoreScheduled *out, size_t max, size_t *n);
bool store_end_scheduled(Store *s, const char *formation, long long id,
			 const char *outcome, const char *why);
/*
 * Draws a new formation password in the store: which is "replication"
 * or "health" (the health-check role's); the keepers apply it on their
 * next cycle. Only the monitor's own connection (store_open_local) may.
 * False with s->error set; s->failure STORE_NOT_FOUND when there is no
 * such formation, STORE_REFUSED for an unknown password name.
 */
bool store_rotate_secret(Store *s, const char *formation, const char *which);
/* The monitors running (the first max; store_driver.h's contract says
 * which): true with *n set, false with s->error set (*n 0). */
bool store_list_monitors(Store *s, StoreMonitor *out, size_t max,
			 size_t *n);
/* Moving formations to another store (`pgkeel store migrate`):
 * store_last_node_id, the highest node id this store gave;
 * store_import, a formation imported as it is; as the contract above
 * says (a driver without the call refuses it). True, or false with
 * s->error set. */
bool store_last_node_id(Store *s, int64_t *id);
bool store_import(Store *s, const StoreFormation *f, int64_t last_node_id);
/* A node of an imported formation gets its own credential in this
 * store: true with its secret in secret ("" when the store uses no
 * authentication: its URI is enough), to keep in its passfile; false
 * with s->error set (a node the formation does not hold: refused). */
bool store_node_credential(Store *s, const char *formation, int node_id,
			   char *secret, size_t len);
/* Closes the connection and frees s (NULL: nothing). */
void store_close(Store *s);

/* The node of a formation snapshot with that id, or NULL. */
const StoreNode *store_formation_node(const StoreFormation *f, int id);
/* The node assigned a primary role in a formation snapshot, or NULL. */
const StoreNode *store_formation_primary(const StoreFormation *f);
/* True while a reinit of n was asked for and not carried out yet. */
bool store_node_reinit_pending(const StoreNode *n);
/* The node of a formation snapshot with that name (NULL name: none). */
const StoreNode *store_formation_node_named(const StoreFormation *f,
					    const char *name);

#endif
