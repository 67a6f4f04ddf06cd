/*
 * etcdstore_db.h - internals shared by the etcd driver's files:
 * etcdstore_db.c (calls, keys, reading formations, writing them back in
 * one transaction), etcdstore.c (handles, wait, lease), etcdstore_ops.c
 * (registration, reports, reads), etcdstore_admin.c (the operator's
 * actions and the monitor's apply), etcdstore_sched.c (scheduled
 * operations) and etcdstore_slots.c (permanent slots).
 */
#ifndef PGK_ETCDSTORE_DB_H
#define PGK_ETCDSTORE_DB_H

#include "common/compat.h"
#include "store/etcdclient.h"
#include "store/etcdstore.h"
#include "store/etcdwatch.h"
#include "store/storepolicy.h"

#define ES_DEFAULT_PREFIX "/pgkeel"
#define ES_DEFAULT_LEASE_TTL_S 2
#define ES_MAX_EVENTS 500     /* per formation, the latest kept */
#define ES_RETRIES 20         /* of a transaction that lost a race */
#define ES_NEVER_MS 1000000000 /* report_age_ms of a node never heard */

/* A formation as read, with what a write back compares on. */
typedef struct {
	StoreFormation f;
	bool exists;
	int64_t config_mod;
	int64_t requested_ms; /* wall clock, of the pending request */
	int64_t spec_mod[STORE_MAX_NODES];
	int64_t goal_mod[STORE_MAX_NODES];
	int64_t asks_mod[STORE_MAX_NODES];
	/* a primary's own switchover request (r/handover, docs/etcd.md):
	 * its key's revision (0: none) and when it was asked */
	int64_t handover_mod[STORE_MAX_NODES];
	int64_t handover_ms[STORE_MAX_NODES];
	bool handed_over; /* f's request is a node's r/handover */
	/* of each slot's copy taken (r/slots/NAME): the latest; 0 none */
	int64_t slot_mod[STORE_MAX_SLOTS];
} EtcdFormation;

/* When this handle first saw a node's current heartbeat. */
typedef struct {
	int node_id;
	int64_t alive_rev;
	int64_t seen_ms; /* monotonic */
} EtcdSeen;

typedef struct {
	EtcdClient *client;
	char prefix[256];
	StoreActor actor;
	int timeout_ms;
	int lease_ttl_s;
	int64_t deadline_ms; /* store_set_deadline; 0: none */
	EtcdWatch *watch;
	int64_t first_rev;   /* of the first answer: where a watch starts */
	int64_t own_rev[16]; /* revisions of its own writes */
	size_t nown;
	/* the lease */
	int64_t lease_id;
	int64_t kept_alive_ms; /* monotonic, of the last keepalive */
	int64_t leader_rev;    /* create_revision of <p>/leader when ours */
	int64_t term;
	bool listed;           /* <p>/monitors/<holder> written */
	char api[256];         /* the monitor's HTTP API, as listed */
	/* a node's own */
	char node_formation[STORE_NAME_LEN];
	char *last_report;     /* the report text last written */
	EtcdSeen seen[STORE_MAX_NODES * 4];
	size_t nseen;
	int applies;
	StorePolicyOut out;
	EtcdFormation read[2]; /* scratch: as read, and as changed */
} EtcdHandle;

#include "common/sslconn.h"

/* The driver's state of s; never NULL for a handle it opened. */
EtcdHandle *es_handle(Store *s);
/* Fails the call: s->failure and a message; always false. */
#define es_fail store_fail
/* The start of a call: the ruling reset; the monotonic time by which it
 * must end (store.h: the timeout, the deadline, STORE_MIN_CALL_MS). */
int64_t es_begin(Store *s);
/* One call to etcd by deadline: the answer (the caller's reference),
 * or NULL with s->error and s->failure set. */
json_t *es_call(Store *s, const char *path, json_t *body, int64_t deadline);
/* A transaction: compares and success ops (references taken), failure
 * ops reading back; the answer, or NULL with s->error set. */
json_t *es_txn(Store *s, json_t *compare, json_t *success, json_t *failure,
	       int64_t deadline);
/* Writes a key of the layout: the prefix, then the formatted rest. */
void es_key(const EtcdHandle *h, char *buf, size_t len, const char *fmt, ...)
	PGK_PRINTF(4, 5);
/* Reads the formations named (one transaction: one moment) into out;
 * false with s->error set. A formation absent is !exists. */
bool es_read(Store *s, const char (*names)[STORE_NAME_LEN], size_t n,
	     EtcdFormation *out, int64_t deadline);
/* The names of every formation (at most max); false with s->error. */
bool es_names(Store *s, char (*names)[STORE_NAME_LEN], size_t max,
	      size_t *n, int64_t deadline);
/*
 * Writes now back over was (as es_read read it) in one transaction with
 * the ruling's events, extra compares and ops (references taken; NULL
 * none), requested_ms the new config's. 1 written, 0 lost a race to
 * another writer (nothing written: read again), -1 failed (s->error).
 */
int es_write(Store *s, const EtcdFormation *was, const StoreFormation *now,
	     int64_t requested_ms, json_t *compare, json_t *ops,
	     int64_t deadline);
/* A rule applied to formation f (a copy of the one read); STORE_OK, or
 * its refusal in the handle's out. */
typedef StoreFailure (*EsRule)(Store *s, StoreFormation *f, void *arg);
/* Adds a write's own compares and ops (references taken). */
typedef void (*EsExtra)(Store *s, void *arg, json_t *cmp, json_t *ops);
/*
 * Reads formation, applies rule (with arg), writes the difference back
 * with the rule's events and extra's compares and ops (NULL: none),
 * again from the read when another writer came first: true, or false
 * with s->error (missing: how an absent formation fails).
 */
bool es_change(Store *s, const char *formation, StoreFailure missing,
	       EsRule rule, void *arg, EsExtra extra);
/* The monitor's fence, an EsExtra: <p>/leader is the one this handle
 * created, at its term (arg and ops unused). */
void es_fence(Store *s, void *arg, json_t *cmp, json_t *ops);

/* The value and mod_revision of the first kv of a range answer (a
 * txn's response i, or a plain range with i -1); NULL when absent. */
char *es_value(const json_t *answer, int i, int64_t *mod);
/* Records the revision of a write of this handle: its own writes do not
 * wake its wait. */
void es_own(EtcdHandle *h, const json_t *answer);
/* True when the formation's events and the node's keys are where key
 * lies, or for a monitor <p>/leader: what a monitor (monitor) or any
 * other handle waits for. */
bool es_wakes(const EtcdHandle *h, const char *key, bool monitor);

/* The node id counter (0: none yet) and its key's mod_revision (0:
 * absent); false with s->error. */
bool es_last_id(Store *s, int64_t *id, int64_t *mod, int64_t deadline);

/* Reads uri into cfg and h's prefix, actor and lease TTL (ssl unused:
 * a node's [ssl] files are its Postgres'): true, or false with err
 * (never a password). */
bool es_parse_uri(const char *uri, const SslSpec *ssl, EtcdConfig *cfg,
		  EtcdHandle *h, char *err, size_t len);

/* es_rbac_add_node: makes node id's user (with password) and its role
 * (read the prefix, write the node's own r/ keys and its formation's
 * events); es_rbac_drop_node:
 * removes them. Nothing when the handle uses no authentication. True
 * when done, false with s->error set. */
bool es_rbac_add_node(Store *s, const char *formation, int id,
		      const char *password, int64_t deadline);
bool es_rbac_drop_node(Store *s, int id, int64_t deadline);

/* The driver's side of the store_* calls (store.h). etcdstore_ops.c:
 * es_register_node, es_report, es_get_formation, es_list_formations,
 * es_events; etcdstore_admin.c: es_request, es_set_setting,
 * es_set_maintenance, es_drop_node, es_set_pg_param, es_request_restart,
 * es_request_reinit, es_rotate_secret, es_apply. Each is true on success, or false with
 * s->error and s->failure set as store.h says. */
bool es_register_node(Store *s, const NodeRegistration *reg,
		      RegisteredNode *out);
bool es_report(Store *s, int node_id, const NodeReport *report);
bool es_get_formation(Store *s, const char *formation, StoreFormation *out);
bool es_list_formations(Store *s, char (*names)[STORE_NAME_LEN], size_t max,
			size_t *n);
bool es_events(Store *s, const char *formation, int count, StoreEvent *out,
	       size_t *n);
bool es_request(Store *s, const char *formation, const char *what,
		const char *node_name);
bool es_set_setting(Store *s, const char *formation, const char *node_name,
		    const char *name, const char *value);
bool es_set_maintenance(Store *s, const char *formation,
			const char *node_name, bool on);
bool es_drop_node(Store *s, const char *formation, const char *node_name);
bool es_set_pg_param(Store *s, const char *formation, const char *name,
		     const char *value, char *context, size_t len);
bool es_request_restart(Store *s, const char *formation,
			const char *node_name, long long *seq);
bool es_request_reinit(Store *s, const char *formation,
		       const char *node_name, long long *seq);
bool es_rotate_secret(Store *s, const char *formation, const char *which);
bool es_apply(Store *s, int64_t term, const char *formation,
	      const StoreDecision *d, size_t nd, const StoreNodeView *views,
	      size_t nviews, const char *health, bool clear_requests);
/* etcdstore_sched.c: es_schedule, es_list_scheduled and
 * es_end_scheduled, store.h's store_schedule, store_list_scheduled and
 * store_end_scheduled (true on success, or false with s->error and
 * s->failure set as store.h says). */
bool es_schedule(Store *s, const char *formation, const StoreScheduled *op,
		 long long *id);
bool es_list_scheduled(Store *s, const char *formation, StoreScheduled *out,
		       size_t max, size_t *n);
bool es_end_scheduled(Store *s, const char *formation, long long id,
		      const char *outcome, const char *why);
/* A node's copy of a logical slot is its key
 * nodes/<id>/ES_SLOT_COPY_PART<name> (docs/etcd.md). */
#define ES_SLOT_COPY_PART "r/slots/"
/* etcdstore_slots.c: es_set_slot and es_publish_slot, store.h's
 * store_set_slot and store_publish_slot (true on success, or false with
 * s->error and s->failure set as store.h says). */
bool es_set_slot(Store *s, const char *formation, const char *name,
		 const char *kind);
bool es_publish_slot(Store *s, int node_id, const char *name,
		     Lsn confirmed_flush, const char *state);
/* The formation of node id (from <p>/node/<id>, kept in the handle's
 * node_formation; "" when the store has no such node): false when the
 * store cannot say (s->error). */
bool es_node_formation(Store *s, int id, int64_t deadline);
/* etcdstore_import.c: es_last_node_id, es_import and
 * es_node_credential, store.h's store_last_node_id, store_import and
 * store_node_credential (true on success, or false with s->error and
 * s->failure set as store.h says). */
bool es_last_node_id(Store *s, int64_t *id);
bool es_import(Store *s, const StoreFormation *f, int64_t last_node_id);
bool es_node_credential(Store *s, const char *formation, int node_id,
			char *secret, size_t len);

#endif
