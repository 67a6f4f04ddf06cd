/*
 * storepolicy.h - the store's rules as pure functions over formation
 * snapshots, shared by the drivers (memstore*.c and etcdstore*.c for
 * every call; pgstore_change.c for the operator's actions,
 * pgstore_register.c for registration and pgstore_apply.c for the
 * monitor's apply, the postgres store's own functions ruling its nodes'
 * roles): who may act on what,
 * registration checks and node naming, setting validation
 * (common/rtsettings.h), the wording of events, requests and their
 * expiry, and what a drop, maintenance or restart request does to a
 * formation. No I/O: a driver reads a formation, calls one of these,
 * records the events and writes the result back atomically.
 *
 * Every call that can refuse returns STORE_OK, or the failure with
 * out->why set (for people); out->events receive what happened, for the
 * driver to stamp with the time and record.
 */
#ifndef PGK_STOREPOLICY_H
#define PGK_STOREPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/compat.h"
#include "store/store.h"

typedef enum {
	ACTOR_OPERATOR, /* the operator's credential */
	ACTOR_MONITOR,  /* the monitor's: everything */
	ACTOR_NODE      /* one data node's own credential */
} StoreActorRole;

typedef struct {
	StoreActorRole role;
	int node_id; /* ACTOR_NODE: the node */
} StoreActor;

/* A decision per node, and one more (an expired request). */
#define POLICY_MAX_EVENTS (STORE_MAX_NODES + 2)

typedef struct {
	char why[512];
	StoreEvent events[POLICY_MAX_EVENTS];
	size_t nevents;
} StorePolicyOut;

/* A dropped node goes from the store once its keeper reported dropped,
 * or has not reported for this long. */
#define POLICY_DROPPED_SILENCE_MS 30000
/* STORE_REQUEST_EXPIRY_TEXT in ms. */
int64_t policy_request_expiry_ms(void);

/* For the policy's own files: sets out->why, returns f; adds an event
 * about f (and node n, or NULL). */
StoreFailure policy_fail(StorePolicyOut *out, StoreFailure f,
			 const char *fmt, ...) PGK_PRINTF(3, 4);
void policy_event(StorePolicyOut *out, const StoreFormation *f,
		  const StoreNode *n, const char *old_state,
		  const char *new_state, const char *fmt, ...)
	PGK_PRINTF(6, 7);
/* Clears out (no refusal, no events). */

void policy_reset(StorePolicyOut *out);
/* The refusal for a formation the store does not hold: f (as store.h
 * says which calls return which), with out->why naming it. */
StoreFailure policy_missing_formation(const char *formation, StoreFailure f,
				      StorePolicyOut *out);
/* A new formation's settings (passwords are the driver's to draw). */
void policy_formation_init(StoreFormation *f, const char *name);

/* Whether actor may register nodes (STORE_REFUSED otherwise). */
StoreFailure policy_may_register(const StoreActor *a, StorePolicyOut *out);
/* The name a registration gets: its own, or node_<id>. */
void policy_node_name(const NodeRegistration *reg, int id, char *name,
		      size_t len);
/* Refuses (STORE_REFUSED) reg, named name, when other (any formation's
 * snapshot, the target one included) has its host:port, or a node whose
 * replication slot the name would share in reg's formation. */
StoreFailure policy_check_registration(const StoreFormation *other,
				       const NodeRegistration *reg,
				       const char *name, StorePolicyOut *out);
/* Adds the node (checked above) to f with its event; STORE_REFUSED when
 * f is full. */
StoreFailure policy_add_node(StoreFormation *f, const NodeRegistration *reg,
			     int id, const char *name, StorePolicyOut *out);

/* Whether actor may report for node_id (STORE_REFUSED otherwise). */
StoreFailure policy_may_report(const StoreActor *a, const StoreFormation *f,
			       int node_id, StorePolicyOut *out);
/* True when a report says anything the last one did not (a heartbeat
 * alone does not wake the monitor), false for the same report. */
bool policy_report_changes(const NodeReport *a, const NodeReport *b);
/* Stores r as node n's report (report_seq is the driver's). */
void policy_take_report(StoreNode *n, const NodeReport *r);

/* The operator's calls of store.h on formation f (read by the driver),
 * changing it in place: policy_request, policy_set_setting,
 * policy_set_maintenance, policy_drop_node, policy_set_pg_param,
 * policy_request_restart (STORE_OK, or the refusal in out->why with f
 * unchanged). */
StoreFailure policy_request(StoreFormation *f, const StoreActor *a,
			    const char *what, const char *node_name,
			    StorePolicyOut *out);
StoreFailure policy_set_setting(StoreFormation *f, const StoreActor *a,
				const char *node_name, const char *name,
				const char *value, StorePolicyOut *out);
StoreFailure policy_set_maintenance(StoreFormation *f, const StoreActor *a,
				    const char *node_name, bool on,
				    StorePolicyOut *out);
StoreFailure policy_drop_node(StoreFormation *f, const StoreActor *a,
			      const char *node_name, StorePolicyOut *out);
StoreFailure policy_set_pg_param(StoreFormation *f, const StoreActor *a,
				 const char *name, const char *value,
				 char *context, size_t len,
				 StorePolicyOut *out);
StoreFailure policy_request_restart(StoreFormation *f, const StoreActor *a,
				    const char *node_name, long long *seq,
				    StorePolicyOut *out);
/* storepolicy_params.c: store_set_backup's rule (STORE_OK, or the
 * refusal in out->why with f unchanged); policy_set_pg_param's too. */
StoreFailure policy_set_backup(StoreFormation *f, const StoreActor *a,
			       const char *name, const char *value,
			       StorePolicyOut *out);
/* storepolicy_reinit.c: store_request_reinit's rule (STORE_OK, or the
 * refusal in out->why with f unchanged). */
StoreFailure policy_request_reinit(StoreFormation *f, const StoreActor *a,
				   const char *node_name, long long *seq,
				   StorePolicyOut *out);
/* storepolicy_sched.c: scheduled operations. policy_may_schedule:
 * whether actor may write them (the operator's and the monitor's
 * credentials; every one reads). policy_schedule: the checks of
 * store_schedule for op (its id the driver's), with pending operations
 * of f already, and its event. policy_end_scheduled: the checks of
 * store_end_scheduled, op the pending operation of that id (NULL:
 * none), and its event. STORE_OK, or the refusal in out->why. */
StoreFailure policy_may_schedule(const StoreActor *a, StorePolicyOut *out);
StoreFailure policy_schedule(const StoreFormation *f, const StoreActor *a,
			     const StoreScheduled *op, size_t pending,
			     StorePolicyOut *out);
StoreFailure policy_end_scheduled(const StoreFormation *f,
				  const StoreActor *a,
				  const StoreScheduled *op, long long id,
				  const char *outcome, const char *why,
				  StorePolicyOut *out);
/* storepolicy_slots.c: permanent slots. policy_set_slot: the rule of
 * store_set_slot (kind NULL: removed), changing f's slots in place with
 * its event; *forget set when what was published of the slot must go (a
 * new kind, or removed). policy_publish_slot: the checks of
 * store_publish_slot (a node's own credential, a slot declared logical,
 * hex state), then the copy taken into f's slot. STORE_OK, or the
 * refusal in out->why with f unchanged. */
StoreFailure policy_set_slot(StoreFormation *f, const StoreActor *a,
			     const char *name, const char *kind,
			     bool *forget, StorePolicyOut *out);
StoreFailure policy_publish_slot(StoreFormation *f, const StoreActor *a,
				 int node_id, const char *name, Lsn confirmed,
				 const char *state, StorePolicyOut *out);
/* The checks of rotate_secret: the monitor alone, a known password
 * name; then policy_rotated's event once the driver drew it. */
StoreFailure policy_may_rotate(const StoreActor *a, const char *which,
			       StorePolicyOut *out);
void policy_rotated(const StoreFormation *f, const char *which,
		    StorePolicyOut *out);

/* Whether actor may take the lease and write decisions. */
StoreFailure policy_may_lead(const StoreActor *a, const char *what,
			     StorePolicyOut *out);
/*
 * The monitor's apply on f (the term already checked by the driver): the
 * request consumed (clear_requests) or expired (request_age_ms past the
 * expiry), decisions with their events, views, dropped nodes removed
 * (by their report_age_ms), the health.
 */
void policy_apply(StoreFormation *f, int64_t request_age_ms,
		  const StoreDecision *d, size_t nd,
		  const StoreNodeView *views, size_t nviews,
		  const char *health, bool clear_requests,
		  StorePolicyOut *out);

#endif
