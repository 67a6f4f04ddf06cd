/*
 * store_driver.h - the driver contract: what every implementation of
 * the store (the postgres driver pgstore*.c, the in-memory memstore*.c,
 * the etcd etcdstore*.c) provides behind store.h's calls, and what each
 * call must guarantee (tests/unit/test_store_contract.c holds every
 * driver to it). Included by the drivers and store.c only; everything
 * else uses store.h.
 */
#ifndef PGK_STORE_DRIVER_H
#define PGK_STORE_DRIVER_H

#include "store/store.h"

/*
 * The driver contract: what every implementation of StoreOps keeps
 * (tests/unit/test_store_contract.c holds each driver to it: the
 * in-memory one in memstore.c, the postgres one in pgstore*.c).
 *
 * Every call. Returns true on success, or false with s->error (for
 * people) and s->failure (for code) set; store.c resets both first and
 * reads a failure a driver left unset as STORE_UNAVAILABLE. A call takes
 * the store's timeout at most (timeouts.store_timeout, given to
 * store_open), or less to keep to the handle's deadline
 * (store_set_deadline) but STORE_MIN_CALL_MS at least; one that runs out
 * fails STORE_UNAVAILABLE. Any call may fail STORE_UNAVAILABLE, a write
 * then having happened or not: every write below may be made twice.
 * A handle belongs to one thread.
 *
 * Who may call what. A handle acts with the credential it was opened
 * with: the operator's (anything but report), a data node's own (report
 * for itself; maintenance, drop and a switchover away from itself when
 * it is the primary, on its own node only; reads), or the monitor's
 * (everything). A call beyond its rights fails STORE_REFUSED, with
 * nothing changed.
 *
 * register_node: atomic. Refuses (STORE_REFUSED, nothing changed) a
 *   host:port already registered in any formation and a name whose
 *   replication slot another node of the formation has; creates the
 *   formation with its first node; names an unnamed node node_<id>,
 *   with ids never reused; returns the node's own secret once.
 * report: atomic, for node_id alone (STORE_REFUSED for another one).
 *   Increases report_seq and restarts report_age_ms. Wakes a waiting
 *   monitor only when the report differs from the node's last one
 *   (a heartbeat is read at the monitor's next interval).
 * report_read (optional): report, then get_formation, in one call
 *   where the driver can (a keeper's cycle: one round trip instead of
 *   two); fails as either would, the report made or not; out is left as
 *   it was when the report failed. The snapshot may be taken just
 *   before the report: the node's own report in it may be its previous
 *   one.
 * get_formation: one consistent snapshot of the formation and all its
 *   nodes, as of some moment during the call (never a mix of two
 *   writes); report_age_ms by the store's clock at that moment.
 *   STORE_NOT_FOUND when no such formation (the only other call that
 *   returns it is rotate_secret). list_formations, events: also as of one moment; events, the
 *   latest count, oldest first; none for an unknown formation.
 * wait: returns true once something this handle waits for happened
 *   since its last wait (the monitor's: a changed report, a
 *   registration, an operator's request or setting; every other
 *   handle's: a goal or view written by apply), at once when it
 *   happened before the call, or when timeout_ms passed; false only
 *   when the store cannot be reached. It may wake without a change
 *   (callers read the store after waking): it must not sleep through
 *   one. It also returns as soon as the handle's wake_fd, when set
 *   (store_set_wake_fd), is readable; draining it is the caller's.
 * set_deadline: local to the handle, never fails.
 * acquire: the lease. At most one handle holds it at a time; a new
 *   holder gets a term greater than every term before it; the holder
 *   asking again gets the same term; any other handle gets *term = 0
 *   (and true). The lease is released when its handle closes or loses
 *   its connection to the store (its next acquire then takes a new
 *   term, if nobody else took it). Only a monitor's handle may ask.
 * apply: atomic and fenced: writes everything (goals and their events,
 *   views, health, the request consumed or expired, dropped nodes
 *   removed) or nothing, and nothing unless term is the lease's current
 *   term at the moment of the write (STORE_FENCED otherwise). Wakes
 *   every waiting keeper when a goal or view was written.
 * request, set_setting, set_maintenance, drop_node, set_pg_param,
 *   request_restart, request_reinit, schedule, end_scheduled: atomic, each with its event; STORE_REFUSED for a
 *   formation or node that does not exist, an invalid value (run-time
 *   settings: common/rtsettings.h's table), a request while another is
 *   under way; they wake a waiting monitor.
 * depose (optional): atomic: the lease ends if holder holds it at term
 *   (its listing goes with it), nothing otherwise; the next acquire by
 *   any monitor takes it with a higher term.
 * list_monitors: the monitors running, as of one moment: the lease's
 *   holder (active, its term) when a monitor holds it, and the monitors
 *   standing by where the driver knows them (etcd's do; the postgres
 *   and in-memory drivers list the holder alone).
 * last_node_id (optional): the highest node id the store ever gave, as
 *   of one moment; 0 when none.
 * import (optional): atomic: writes formation f as given (settings,
 *   passwords, parameters, slots, its nodes with their ids, names,
 *   goals, upstreams and views; no reports) with an event, and raises
 *   the store's node id counter to last_node_id at least; STORE_REFUSED,
 *   nothing written, when the store already holds a formation of that
 *   name or one of its node ids, or for a node's handle.
 * node_credential (optional): a node moved in gets its own credential
 *   (a new secret; "" when the store authenticates nobody), refused
 *   for a node the formation does not hold and for a node's handle.
 * rotate_secret: atomic, the monitor's handle alone (STORE_REFUSED
 *   otherwise, and for an unknown password name); STORE_NOT_FOUND for
 *   an unknown formation; wakes the keepers and the monitor.
 * Reads may be stale by the time the caller acts on them: a keeper's
 *   goal by up to one keeper_interval, a monitor's view by one
 *   monitor_interval; a decision is safe anyway because apply is fenced
 *   and keepers act on a goal only after the store confirmed it.
 *
 * Policy, not in the contract: who may act on what, registration checks
 * and node naming, setting validation, the wording of events, request
 * expiry (STORE_REQUEST_EXPIRY_TEXT), what a drop, maintenance or
 * restart request does and when a dropped node goes. The drivers share
 * it as C functions (storepolicy.h): the in-memory and etcd drivers for
 * every call, the postgres driver for the operator's actions
 * (pgstore_change.c), registration (pgstore_register.c) and the
 * monitor's apply (pgstore_apply.c). The postgres store keeps in its
 * own functions (pgstore_schema_*.c, pgstore_migrate*.c) what its
 * nodes' roles call (reports, a node's own maintenance, drop and
 * handover: the boundary between nodes), held to the same behaviour by
 * the contract tests, and the making of a node's role with its secret
 * (create_node_role).
 */
typedef struct StoreOps {
	bool (*register_node)(Store *s, const NodeRegistration *reg,
			      RegisteredNode *out);
	bool (*report)(Store *s, int node_id, const NodeReport *report);
	bool (*get_formation)(Store *s, const char *formation,
			      StoreFormation *out);
	/* optional (NULL: report, then get_formation) */
	bool (*report_read)(Store *s, int node_id, const NodeReport *report,
			    const char *formation, StoreFormation *out);
	bool (*list_formations)(Store *s, char (*names)[STORE_NAME_LEN],
				size_t max, size_t *n);
	bool (*events)(Store *s, const char *formation, int count,
		       StoreEvent *out, size_t *n);
	bool (*wait)(Store *s, int timeout_ms);
	void (*set_deadline)(Store *s, int64_t deadline_ms);
	bool (*acquire)(Store *s, const char *holder, const char *api,
			int64_t *term);
	bool (*apply)(Store *s, int64_t term, const char *formation,
		      const StoreDecision *d, size_t nd,
		      const StoreNodeView *views, size_t nviews,
		      const char *health, bool clear_requests);
	bool (*request)(Store *s, const char *formation, const char *what,
			const char *node_name);
	bool (*set_maintenance)(Store *s, const char *formation,
				const char *node_name, bool on);
	bool (*drop_node)(Store *s, const char *formation,
			  const char *node_name);
	bool (*set_setting)(Store *s, const char *formation,
			    const char *node_name, const char *name,
			    const char *value);
	bool (*set_pg_param)(Store *s, const char *formation, const char *name,
			     const char *value, char *context, size_t len);
	bool (*set_slot)(Store *s, const char *formation, const char *name,
			 const char *kind);
	bool (*publish_slot)(Store *s, int node_id, const char *name,
			     Lsn confirmed_flush, const char *state);
	bool (*request_restart)(Store *s, const char *formation,
				const char *node_name, long long *seq);
	/* optional (NULL: refused as not available in this store) */
	bool (*request_reinit)(Store *s, const char *formation,
			       const char *node_name, long long *seq);
	bool (*schedule)(Store *s, const char *formation,
			 const StoreScheduled *op, long long *id);
	bool (*list_scheduled)(Store *s, const char *formation,
			       StoreScheduled *out, size_t max, size_t *n);
	bool (*end_scheduled)(Store *s, const char *formation, long long id,
			      const char *outcome, const char *why);
	bool (*rotate_secret)(Store *s, const char *formation,
			      const char *which);
	bool (*set_backup)(Store *s, const char *formation, const char *name,
			   const char *value);
	bool (*list_monitors)(Store *s, StoreMonitor *out, size_t max,
			      size_t *n);
	bool (*depose)(Store *s, const char *holder, int64_t term);
	bool (*last_node_id)(Store *s, int64_t *id);
	bool (*import)(Store *s, const StoreFormation *f,
		       int64_t last_node_id);
	bool (*node_credential)(Store *s, const char *formation, int node_id,
				char *secret, size_t len);
	void (*close)(Store *s);
} StoreOps;

#endif
