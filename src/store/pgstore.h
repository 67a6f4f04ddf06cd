/*
 * pgstore.h - internals shared by the postgres store driver's files:
 * pgstore.c (connection, notifications), pgstore_ops.c (the keepers'
 * queries), pgstore_change.c (the operator's actions) and the rest, and
 * its entry point for store_open.c.
 */
#ifndef PGK_PGSTORE_H
#define PGK_PGSTORE_H

#include <libpq-fe.h>

#include "pg/pgsql.h"
#include "store/store.h"
#include "store/storepolicy.h"

typedef struct {
	PgConn pc;
	char conninfo[2048];
	int timeout_ms;
	int64_t deadline_ms; /* see store_set_deadline; 0: none */
	const char *listen; /* channel, or NULL */
	char beat_channel[64]; /* the monitor's: beats' channel, or "" */
	int64_t held_term;  /* the lease term while this session holds it */
	bool remote;        /* over the network: every query has a deadline */
	StoreActor actor;   /* whose credential the handle holds */
	StorePolicyOut out; /* the last rule's refusal and events */
	StoreFormation was, now; /* a formation read, and as a rule left it */
	const StoreFormation *read_into; /* a keeper's: where its cycle read
					    its formation last, at ... */
	int64_t read_version;            /* ... this version (-1: none) */
} PgStore;

/* The driver's state of s; never NULL for a store it opened. */
PgStore *pgstore_impl(Store *s);

/* The driver's store_open (store_open.c): uri is postgres://,
 * postgresql:// or a keyword conninfo; keepers LISTEN for goal
 * changes. NULL with err set (out of memory, or the connection and
 * libpq's reason). */
Store *pgstore_open(const char *uri, const SslSpec *ssl, int timeout_ms,
		    char *err, size_t errlen);

/* Records the last query's failure in s (error and failure), what
 * saying what was being done. */
void pgstore_fail(Store *s, const char *what);
/* Fails the call with a rule's refusal (f, why), saying so to a node's
 * credential refused an operator's action; always false. */
bool pgstore_refuse(Store *s, StoreFailure f, const char *why);

/* A rule of pgstore_change: may read more, and write rows of its own;
 * STORE_OK, or the refusal in p->out. */
typedef StoreFailure (*PgRule)(Store *s, StoreFormation *f, void *arg);
/* pgstore_change.c: an operator's action, as the other drivers make
 * it. In one transaction: the formation's row and its nodes' rows
 * locked, the formation read into p->now, rule run on it, then what it
 * changed written back with its events, and the monitor woken. A
 * formation that does not exist is refused. True, or false with
 * s->error set and nothing written. */
bool pgstore_change(Store *s, const char *formation, PgRule rule, void *arg);
/* For rules: a query of theirs failed (s->error set); the failure. */
StoreFailure pgstore_rule_io(Store *s);
/* pgstore_change.c: records a rule's event e (true, or false with
 * s->error set). */
bool pgstore_write_event(Store *s, const StoreEvent *e);

/* Connects when not connected (LISTENing again): true, or false with
 * s->error set. */
bool pgstore_connected(Store *s);
/* The driver's wait (store_wait; pgstore_wait.c): news ends it, beats
 * are noted and do not. True when news came or the time passed; false
 * with s->error set when the connection was lost. */
bool pgstore_wait(Store *s, int timeout_ms);
/* pgstore_query: runs sql (a string constant: prepared once per
 * connection), connecting first when needed; the result, or NULL with
 * s->error set (a connection lost is closed, for the next call to open
 * again). pgstore_exec: the same, true or false, without the result. */
PGresult *pgstore_query(Store *s, const char *sql, int n,
			const char *const *params);
bool pgstore_exec(Store *s, const char *sql, int n,
		  const char *const *params);

/* The driver's side of the store_* calls of the same names (store.h):
 * each returns true on success, false with s->error set as store.h
 * says: pgstore_register_node (pgstore_register.c: ruled by
 * storepolicy.h), pgstore_report, pgstore_get_formation,
 * pgstore_report_read,
 * pgstore_list_formations, pgstore_events, pgstore_acquire,
 * pgstore_apply (pgstore_apply.c: ruled by policy_apply), pgstore_request,
 * pgstore_list_monitors. */
bool pgstore_register_node(Store *s, const NodeRegistration *reg,
			   RegisteredNode *out);
bool pgstore_report(Store *s, int node_id, const NodeReport *report);
bool pgstore_get_formation(Store *s, const char *formation,
			   StoreFormation *out);
bool pgstore_report_read(Store *s, int node_id, const NodeReport *report,
			 const char *formation, StoreFormation *out);
bool pgstore_list_formations(Store *s, char (*names)[STORE_NAME_LEN],
			     size_t max, size_t *n);
bool pgstore_events(Store *s, const char *formation, int count,
		    StoreEvent *out, size_t *n);
bool pgstore_acquire(Store *s, const char *holder, const char *api,
		     int64_t *term);
bool pgstore_apply(Store *s, int64_t term, const char *formation,
		   const StoreDecision *d, size_t nd,
		   const StoreNodeView *views, size_t nviews,
		   const char *health, bool clear_requests);
bool pgstore_request(Store *s, const char *formation, const char *what,
		     const char *node_name);
bool pgstore_list_monitors(Store *s, StoreMonitor *out, size_t max,
			   size_t *n);
/* pgstore_json.c: fills out->params from the JSON array of [name,
 * value] pairs (the first STORE_MAX_PARAMS; malformed pairs are
 * skipped). False when json is not an array (out->nparams 0); s->error
 * is not touched. */
bool pgstore_parse_params(const char *json, StoreFormation *out);
/* pgstore_params.c: as store.h's, through pgstore_change():
 * pgstore_set_pg_param, pgstore_set_backup (true, or false with
 * s->error set). */
bool pgstore_set_backup(Store *s, const char *formation, const char *name,
			const char *value);
bool pgstore_set_pg_param(Store *s, const char *formation, const char *name,
			  const char *value, char *context, size_t len);
/* pgstore_admin.c: as store.h's, through pgstore_change():
 * pgstore_set_setting, pgstore_request_restart, pgstore_request_reinit;
 * pgstore_set_maintenance, pgstore_drop_node and pgstore_request too, or
 * for a node's own role the store's functions that check it (true, or
 * false with s->error set). */
bool pgstore_set_setting(Store *s, const char *formation,
			 const char *node_name, const char *name,
			 const char *value);
bool pgstore_request_restart(Store *s, const char *formation,
			     const char *node_name, long long *seq);
bool pgstore_request_reinit(Store *s, const char *formation,
			    const char *node_name, long long *seq);
bool pgstore_drop_node(Store *s, const char *formation,
		       const char *node_name);
bool pgstore_set_maintenance(Store *s, const char *formation,
			     const char *node_name, bool on);
/* pgstore_sched.c: as store.h's store_schedule, store_list_scheduled,
 * store_end_scheduled: pgstore_schedule, pgstore_list_scheduled,
 * pgstore_end_scheduled (true, or false with s->error set). */
bool pgstore_schedule(Store *s, const char *formation,
		      const StoreScheduled *op, long long *id);
bool pgstore_list_scheduled(Store *s, const char *formation,
			    StoreScheduled *out, size_t max, size_t *n);
bool pgstore_end_scheduled(Store *s, const char *formation, long long id,
			   const char *outcome, const char *why);
/* pgstore_json.c: fills out->slots from the JSON array of [name,
 * kind, copy_node, confirmed_flush, state] (kind null: removed; the
 * last three null when nothing was published), the first
 * STORE_MAX_SLOTS; false when json is not an array (out->nslots 0).
 * pgstore_slots.c: pgstore_set_slot, pgstore_publish_slot, as
 * store.h's. */
bool pgstore_parse_slots(const char *json, StoreFormation *out);
bool pgstore_set_slot(Store *s, const char *formation, const char *name,
		      const char *kind);
bool pgstore_publish_slot(Store *s, int node_id, const char *name,
			  Lsn confirmed_flush, const char *state);
/* pgstore_secrets.c: store_rotate_secret's (true, or false with
 * s->error set and s->failure STORE_NOT_FOUND for an unknown
 * formation). */
bool pgstore_rotate_secret(Store *s, const char *formation,
			   const char *which);
/* pgstore_ids.c: store_last_node_id's (true, or false with s->error
 * set). */
bool pgstore_last_node_id(Store *s, int64_t *id);

#endif
