/*
 * memstore_db.h - internals shared by the in-memory driver's files:
 * memstore_db.c (the state and its helpers), memstore.c (handles, wait,
 * lease, fenced writes) and memstore_ops.c (what keepers and operators
 * ask).
 */
#ifndef PGK_MEMSTORE_DB_H
#define PGK_MEMSTORE_DB_H

#include "common/compat.h"
#include "store/memstore.h"
#include "store/storepolicy.h"

#define MEM_MAX_FORMATIONS 16
#define MEM_MAX_EVENTS 256
#define MEM_MAX_HANDLES 32

typedef struct {
	StoreFormation f;  /* nodes' report_age_ms is filled when read */
	int64_t report_ms[STORE_MAX_NODES]; /* monotonic; 0: never */
	int64_t requested_ms; /* of the pending switchover or failover */
	StoreScheduled sched[STORE_MAX_SCHEDULED]; /* pending, by time */
	size_t nsched;
} MemFormation;

struct MemStoreDb {
	MemFormation *formations[MEM_MAX_FORMATIONS];
	size_t nformations;
	StoreEvent events[MEM_MAX_EVENTS]; /* the latest, oldest first */
	size_t nevents;
	int last_node_id;
	long long last_sched_id;
	int64_t term;         /* the lease's, +1 at every new holder */
	Store *lease_holder;  /* the handle holding it, or NULL */
	StoreMonitor holder;  /* who holds it, since when */
	bool stalled;
	Store *handles[MEM_MAX_HANDLES];
};

typedef enum { MEM_WAKE_MONITOR, MEM_WAKE_KEEPERS, MEM_WAKE_NONE } MemWake;

typedef struct {
	MemStoreDb *db;
	MemStoreRole role;
	int node_id;
	int timeout_ms;
	int64_t deadline_ms; /* see store_set_deadline; 0: none */
	bool notified;       /* a change it waits for happened */
	StoreActor actor;    /* its role, for the shared rules */
	StorePolicyOut out;  /* the last ruling of storepolicy.h */
	StoreFormation scratch; /* a formation changed on trial */
} MemHandle;


/* The driver's state of s; never NULL for a handle it opened. */
MemHandle *memstore_handle(Store *s);
/* The start of every call: false (unavailable, after waiting out the
 * call's time limit) while the store is stalled. */
bool memstore_call(Store *s);
/* Fails the call: s->failure and a message; always false. */
#define memstore_fail store_fail
/* The formation named name, or NULL. */
MemFormation *memstore_formation(MemStoreDb *db, const char *name);
/* The node of mf named name, or -1. */
int memstore_node_index(const MemFormation *mf, const char *name);
/* The formation and index of node id, or NULL. */
MemFormation *memstore_find_node(MemStoreDb *db, int id, size_t *index);
/* Records the events of h->out (stamped now) and wakes the handles that
 * wait for who; false with the refusal of f when it is not STORE_OK. */
bool memstore_outcome(Store *s, StoreFailure f, MemWake who);
/* Wakes the handles that wait for this kind of change. */
void memstore_notify(MemStoreDb *db, MemWake who);

/* The driver's side of the store_* calls of the same names (store.h),
 * in memstore_ops.c: memstore_register_node, memstore_report,
 * memstore_get_formation, memstore_list_formations, memstore_events;
 * in memstore_admin.c: memstore_request, memstore_set_setting,
 * memstore_set_maintenance, memstore_drop_node, memstore_set_pg_param,
 * memstore_request_restart, memstore_rotate_secret. Each is true on
 * success, or false with s->error and s->failure set as store.h says. */
bool memstore_register_node(Store *s, const NodeRegistration *reg,
			    RegisteredNode *out);
bool memstore_report(Store *s, int node_id, const NodeReport *report);
bool memstore_get_formation(Store *s, const char *formation,
			    StoreFormation *out);
bool memstore_list_formations(Store *s, char (*names)[STORE_NAME_LEN],
			      size_t max, size_t *n);
bool memstore_events(Store *s, const char *formation, int count,
		     StoreEvent *out, size_t *n);
bool memstore_request(Store *s, const char *formation, const char *what,
		      const char *node_name);
bool memstore_set_setting(Store *s, const char *formation,
			  const char *node_name, const char *name,
			  const char *value);
bool memstore_set_maintenance(Store *s, const char *formation,
			      const char *node_name, bool on);
bool memstore_drop_node(Store *s, const char *formation,
			const char *node_name);
bool memstore_set_pg_param(Store *s, const char *formation, const char *name,
			   const char *value, char *context, size_t len);
bool memstore_request_restart(Store *s, const char *formation,
			      const char *node_name, long long *seq);
bool memstore_rotate_secret(Store *s, const char *formation,
			    const char *which);
/* memstore_sched.c: memstore_request_reinit, memstore_schedule,
 * memstore_list_scheduled, memstore_end_scheduled: true on success, or
 * false with s->error and s->failure set as store.h says. */
bool memstore_request_reinit(Store *s, const char *formation,
			     const char *node_name, long long *seq);
bool memstore_schedule(Store *s, const char *formation,
		       const StoreScheduled *op, long long *id);
bool memstore_list_scheduled(Store *s, const char *formation,
			     StoreScheduled *out, size_t max, size_t *n);
bool memstore_end_scheduled(Store *s, const char *formation, long long id,
			    const char *outcome, const char *why);
/* memstore_slots.c: memstore_set_slot, memstore_publish_slot: true on
 * success, or false with s->error and s->failure set as store.h says. */
bool memstore_set_slot(Store *s, const char *formation, const char *name,
		       const char *kind);
bool memstore_publish_slot(Store *s, int node_id, const char *name,
			   Lsn confirmed_flush, const char *state);

#endif
