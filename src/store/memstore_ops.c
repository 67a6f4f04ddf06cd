/*
 * memstore_ops.c - what keepers and `pgkeel show` ask of the in-memory
 * store: register, report, read a formation and its events; with the
 * postgres store's rules (pgstore_schema_keeper.c): registration by the
 * operator, a host and port once, a node's reports from itself alone.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "store/memstore_db.h"

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

static bool taken(Store *s, const MemStoreDb *db, const NodeRegistration *reg,
		  const char *name)
{
	char key[64], other[64];

	slot_key(name, key, sizeof(key));
	for (size_t i = 0; i < db->nformations; i++) {
		const StoreFormation *f = &db->formations[i]->f;
		for (size_t j = 0; j < f->nnodes; j++) {
			const StoreNode *n = &f->nodes[j];
			slot_key(n->name, other, sizeof(other));
			if (strcmp(n->host, reg->host) == 0 &&
			    n->port == reg->port)
				return !memstore_fail(
					s, STORE_REFUSED,
					"node %s is already registered at "
					"%s:%d",
					n->name, reg->host, reg->port);
			if (strcmp(f->name, reg->formation) == 0 &&
			    strcmp(key, other) == 0)
				return !memstore_fail(
					s, STORE_REFUSED,
					"formation %s already has a node "
					"named %s",
					f->name, n->name);
		}
	}
	return false;
}

static MemFormation *formation_for(Store *s, MemStoreDb *db,
				   const char *name)
{
	MemFormation *mf = memstore_formation(db, name);

	if (mf)
		return mf;
	if (db->nformations == MEM_MAX_FORMATIONS ||
	    !(mf = calloc(1, sizeof(MemFormation)))) {
		memstore_fail(s, STORE_UNAVAILABLE, "no room for formation %s",
			      name);
		return NULL;
	}
	snprintf(mf->f.name, sizeof(mf->f.name), "%s", name);
	mf->f.number_sync_standbys = 1;
	mf->f.switchover_to = -1;
	snprintf(mf->f.health, sizeof(mf->f.health), "initializing");
	snprintf(mf->f.repl_password, sizeof(mf->f.repl_password),
		 "mem-repl-%zu", db->nformations + 1);
	snprintf(mf->f.health_password, sizeof(mf->f.health_password),
		 "mem-health-%zu", db->nformations + 1);
	db->formations[db->nformations++] = mf;
	return mf;
}

static void add_node(MemFormation *mf, const NodeRegistration *reg, int id,
		     const char *name)
{
	StoreNode *n = &mf->f.nodes[mf->f.nnodes];

	memset(n, 0, sizeof(*n));
	mf->report_ms[mf->f.nnodes++] = 0;
	n->id = id;
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(n->host, sizeof(n->host), "%s", reg->host);
	n->port = reg->port;
	n->priority = reg->priority;
	n->quorum = reg->quorum;
	n->goal = NS_INIT;
	n->reported = NS_INIT;
	n->report.current = NS_INIT;
}

bool memstore_register_node(Store *s, const NodeRegistration *reg,
			    RegisteredNode *out)
{
	MemStoreDb *db = memstore_handle(s)->db;
	char name[STORE_NAME_LEN];
	int id = db->last_node_id + 1;

	if (!memstore_call(s))
		return false;
	if (!memstore_is_operator(s))
		return memstore_fail(s, STORE_REFUSED,
				     "permission denied: registering a node "
				     "takes the operator's credential");
	snprintf(name, sizeof(name), "%s", reg->name);
	if (!name[0])
		snprintf(name, sizeof(name), "node_%d", id);
	if (taken(s, db, reg, name))
		return false;
	MemFormation *mf = formation_for(s, db, reg->formation);
	if (!mf)
		return false;
	if (mf->f.nnodes == STORE_MAX_NODES)
		return memstore_fail(s, STORE_REFUSED,
				     "formation %s is full", mf->f.name);
	db->last_node_id = id;
	add_node(mf, reg, id, name);
	out->node_id = id;
	snprintf(out->name, sizeof(out->name), "%s", name);
	snprintf(out->secret, sizeof(out->secret), "mem-secret-%d", id);
	memstore_event(db, mf->f.name, &mf->f.nodes[mf->f.nnodes - 1], "",
		       "init", "registered %s:%d", reg->host, reg->port);
	memstore_notify(db, MEM_WAKE_MONITOR);
	return true;
}

/* Whether a report says anything the last one did not (a heartbeat
 * alone does not wake the monitor): the postgres store's comparison. */
static bool report_changes(const NodeReport *a, const NodeReport *b)
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
	       a->http_port != b->http_port || a->fence_ms != b->fence_ms;
}

bool memstore_report(Store *s, int node_id, const NodeReport *r)
{
	MemHandle *h = memstore_handle(s);
	size_t i;

	if (!memstore_call(s))
		return false;
	MemFormation *mf = memstore_find_node(h->db, node_id, &i);
	if (!mf || h->role != MEMSTORE_NODE || h->node_id != node_id)
		return memstore_fail(s, STORE_REFUSED,
				     "permission denied: a report for node %d "
				     "takes that node's own credential",
				     node_id);
	StoreNode *n = &mf->f.nodes[i];
	bool changed = report_changes(&n->report, r);
	n->report = *r;
	n->reported = r->current;
	n->report_seq++;
	mf->report_ms[i] = time_monotonic_ms();
	if (changed)
		memstore_notify(h->db, MEM_WAKE_MONITOR);
	return true;
}

bool memstore_get_formation(Store *s, const char *formation,
			    StoreFormation *out)
{
	int64_t now = time_monotonic_ms();

	memset(out, 0, sizeof(*out));
	if (!memstore_call(s))
		return false;
	const MemFormation *mf =
		memstore_formation(memstore_handle(s)->db, formation);
	if (!mf)
		return memstore_fail(s, STORE_NOT_FOUND,
				     "formation \"%s\" does not exist",
				     formation);
	*out = mf->f;
	for (size_t i = 0; i < out->nnodes; i++)
		out->nodes[i].report_age_ms =
			mf->report_ms[i] ? now - mf->report_ms[i]
					 : 1000000000; /* as node_public */
	return true;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

bool memstore_list_formations(Store *s, char (*names)[STORE_NAME_LEN],
			      size_t max, size_t *n)
{
	const MemStoreDb *db = memstore_handle(s)->db;
	char all[MEM_MAX_FORMATIONS][STORE_NAME_LEN];

	*n = 0;
	if (!memstore_call(s))
		return false;
	for (size_t i = 0; i < db->nformations; i++)
		snprintf(all[i], STORE_NAME_LEN, "%s",
			 db->formations[i]->f.name);
	qsort(all, db->nformations, STORE_NAME_LEN, by_name);
	for (; *n < db->nformations && *n < max; (*n)++)
		memcpy(names[*n], all[*n], STORE_NAME_LEN);
	return true;
}

bool memstore_events(Store *s, const char *formation, int count,
		     StoreEvent *out, size_t *n)
{
	const MemStoreDb *db = memstore_handle(s)->db;
	size_t first = db->nevents, found = 0;

	*n = 0;
	if (!memstore_call(s))
		return false;
	/* the latest count of the formation, oldest first */
	while (first > 0 && found < (size_t)count) {
		first--;
		if (strcmp(db->events[first].formation, formation) == 0)
			found++;
	}
	for (size_t i = first; i < db->nevents && *n < found; i++) {
		if (strcmp(db->events[i].formation, formation) == 0)
			out[(*n)++] = db->events[i];
	}
	return true;
}
