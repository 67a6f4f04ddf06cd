/*
 * storepolicy.c - the store's rules (storepolicy.h) that registration,
 * reports and the monitor's apply keep; the operator's actions are in
 * storepolicy_admin.c. Worded as the postgres store's functions for
 * reports and the nodes' own actions (pgstore_schema_keeper.c,
 * pgstore_schema_operator.c) word them.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/storepolicy.h"

int64_t policy_request_expiry_ms(void)
{
	return atoll(STORE_REQUEST_EXPIRY_TEXT) * 1000;
}

void policy_reset(StorePolicyOut *out)
{
	out->why[0] = '\0';
	out->nevents = 0;
}

StoreFailure policy_fail(StorePolicyOut *out, StoreFailure f,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->why, sizeof(out->why), fmt, ap);
	va_end(ap);
	return f;
}

void policy_event(StorePolicyOut *out, const StoreFormation *f,
		  const StoreNode *n, const char *old_state,
		  const char *new_state, const char *fmt, ...)
{
	va_list ap;

	if (out->nevents == POLICY_MAX_EVENTS)
		return;
	StoreEvent *e = &out->events[out->nevents++];
	memset(e, 0, sizeof(*e));
	snprintf(e->formation, sizeof(e->formation), "%s", f->name);
	e->node_id = n ? n->id : 0;
	snprintf(e->node_name, sizeof(e->node_name), "%s", n ? n->name : "");
	snprintf(e->old_state, sizeof(e->old_state), "%s", old_state);
	snprintf(e->new_state, sizeof(e->new_state), "%s", new_state);
	va_start(ap, fmt);
	vsnprintf(e->description, sizeof(e->description), fmt, ap);
	va_end(ap);
}

StoreFailure policy_missing_formation(const char *formation, StoreFailure f,
				      StorePolicyOut *out)
{
	if (f == STORE_NOT_FOUND)
		return policy_fail(out, f, "formation \"%s\" does not exist",
				   formation);
	return policy_fail(out, f, "formation %s does not exist", formation);
}

void policy_formation_init(StoreFormation *f, const char *name)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->number_sync_standbys = 1;
	f->switchover_to = -1;
	snprintf(f->health, sizeof(f->health), "initializing");
}

StoreFailure policy_may_register(const StoreActor *a, StorePolicyOut *out)
{
	if (a->role != ACTOR_NODE)
		return STORE_OK;
	return policy_fail(out, STORE_REFUSED,
			   "permission denied: registering a node takes the "
			   "operator's credential");
}

void policy_node_name(const NodeRegistration *reg, int id, char *name,
		      size_t len)
{
	snprintf(name, len, "%s", reg->name);
	if (!name[0])
		snprintf(name, len, "node_%d", id);
}

/* What a name's replication slot is made of (pg/pgslots.c): two names
 * with the same key would share a slot. */
static void slot_key(const char *name, char *out, size_t len)
{
	size_t i = 0;

	for (; name[i] && i < 56 && i + 1 < len; i++)
		out[i] = name[i] == '-' ? '_'
					: (char)tolower((unsigned char)name[i]);
	out[i] = '\0';
}

StoreFailure policy_check_registration(const StoreFormation *other,
				       const NodeRegistration *reg,
				       const char *name, StorePolicyOut *out)
{
	char key[64], theirs[64];

	slot_key(name, key, sizeof(key));
	for (size_t j = 0; j < other->nnodes; j++) {
		const StoreNode *n = &other->nodes[j];
		slot_key(n->name, theirs, sizeof(theirs));
		if (strcmp(n->host, reg->host) == 0 && n->port == reg->port)
			return policy_fail(out, STORE_REFUSED,
					   "node %s is already registered at "
					   "%s:%d: give this node its own "
					   "--hostname and --pgport, or drop "
					   "%s first",
					   n->name, reg->host, reg->port,
					   n->name);
		if (strcmp(other->name, reg->formation) == 0 &&
		    strcmp(key, theirs) == 0)
			return policy_fail(out, STORE_REFUSED,
					   "formation %s already has a node "
					   "named %s (the same replication "
					   "slot as %s): choose another --name",
					   other->name, n->name, name);
	}
	return STORE_OK;
}

StoreFailure policy_add_node(StoreFormation *f, const NodeRegistration *reg,
			     int id, const char *name, StorePolicyOut *out)
{
	if (f->nnodes == STORE_MAX_NODES)
		return policy_fail(out, STORE_REFUSED, "formation %s is full",
				   f->name);
	StoreNode *n = &f->nodes[f->nnodes++];
	memset(n, 0, sizeof(*n));
	n->id = id;
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(n->host, sizeof(n->host), "%s", reg->host);
	n->port = reg->port;
	n->priority = reg->priority;
	n->quorum = reg->quorum;
	n->goal = NS_INIT;
	n->reported = NS_INIT;
	n->report.current = NS_INIT;
	n->report_age_ms = 1000000000; /* never reported: as node_public */
	policy_event(out, f, n, "", "init", "registered %s:%d", reg->host,
		     reg->port);
	return STORE_OK;
}

StoreFailure policy_may_report(const StoreActor *a, const StoreFormation *f,
			       int node_id, StorePolicyOut *out)
{
	if (f && store_formation_node(f, node_id) && a->role == ACTOR_NODE &&
	    a->node_id == node_id)
		return STORE_OK;
	return policy_fail(out, STORE_REFUSED,
			   "permission denied: a report for node %d takes "
			   "that node's own credential",
			   node_id);
}

bool policy_report_changes(const NodeReport *a, const NodeReport *b)
{
	return a->current != b->current || a->pg_running != b->pg_running ||
	       a->pg_failed != b->pg_failed ||
	       a->in_recovery != b->in_recovery || a->lsn != b->lsn ||
	       a->timeline != b->timeline ||
	       a->receiver_streaming != b->receiver_streaming ||
	       strcmp(a->upstream_host, b->upstream_host) != 0 ||
	       a->upstream_port != b->upstream_port ||
	       a->pending_restart != b->pending_restart ||
	       a->fenced != b->fenced || a->restarted != b->restarted ||
	       a->http_port != b->http_port || a->fence_ms != b->fence_ms ||
	       a->promote_vetoed != b->promote_vetoed;
}

void policy_take_report(StoreNode *n, const NodeReport *r)
{
	n->report = *r;
	n->reported = r->current;
}

StoreFailure policy_may_lead(const StoreActor *a, const char *what,
			     StorePolicyOut *out)
{
	if (a->role == ACTOR_MONITOR)
		return STORE_OK;
	return policy_fail(out, STORE_REFUSED,
			   "permission denied: only the monitor %s", what);
}

static void write_decision(StoreFormation *f, const StoreDecision *d,
			   StorePolicyOut *out)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		StoreNode *n = &f->nodes[i];
		if (n->id != d->node_id)
			continue;
		n->goal = d->goal;
		if (d->upstream_id)
			n->upstream_id = d->upstream_id;
		policy_event(out, f, n, state_name(d->old),
			     state_name(d->goal), "%s", d->why);
	}
}

static void write_view(StoreFormation *f, const StoreNodeView *v)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		StoreNode *n = &f->nodes[i];
		if (n->id != v->node_id)
			continue;
		n->reachable = v->reachable;
		snprintf(n->sync_names, sizeof(n->sync_names), "%s",
			 v->sync_names);
	}
}

/* A dropped node leaves the store once its keeper stopped Postgres (it
 * reported dropped) or its keeper is gone. */
static void delete_dropped(StoreFormation *f)
{
	size_t kept = 0;

	for (size_t i = 0; i < f->nnodes; i++) {
		const StoreNode *n = &f->nodes[i];
		bool gone = n->goal == NS_DROPPED &&
			    (n->reported == NS_DROPPED ||
			     n->report_age_ms > POLICY_DROPPED_SILENCE_MS);
		if (!gone)
			f->nodes[kept++] = *n;
	}
	f->nnodes = kept;
}

void policy_apply(StoreFormation *f, int64_t request_age_ms,
		  const StoreDecision *d, size_t nd,
		  const StoreNodeView *views, size_t nviews,
		  const char *health, bool clear_requests,
		  StorePolicyOut *out)
{
	bool pending = f->switchover_to >= 0 || f->failover_requested;

	if (clear_requests ||
	    (pending && request_age_ms >= policy_request_expiry_ms())) {
		f->switchover_to = -1;
		f->failover_requested = false;
	}
	if (!clear_requests && pending && f->switchover_to < 0)
		policy_event(out, f, NULL, "", "",
			     "request expired: not carried out within %s (no "
			     "standby was eligible and caught up); ask again "
			     "once pgkeel show state shows one",
			     STORE_REQUEST_EXPIRY_TEXT);
	for (size_t i = 0; i < nd; i++)
		write_decision(f, &d[i], out);
	for (size_t i = 0; i < nviews; i++)
		write_view(f, &views[i]);
	delete_dropped(f);
	snprintf(f->health, sizeof(f->health), "%s", health);
}
