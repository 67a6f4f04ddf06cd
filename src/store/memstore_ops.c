/*
 * memstore_ops.c - what keepers and `pgkeel show` ask of the in-memory
 * store: register, report, read a formation and its events, by the
 * shared rules of storepolicy.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "store/memstore_db.h"

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
	policy_formation_init(&mf->f, name);
	snprintf(mf->f.repl_password, sizeof(mf->f.repl_password),
		 "mem-repl-%zu", db->nformations + 1);
	snprintf(mf->f.health_password, sizeof(mf->f.health_password),
		 "mem-health-%zu", db->nformations + 1);
	db->formations[db->nformations++] = mf;
	return mf;
}

/* The registration's checks against every formation. */
static StoreFailure check(const MemStoreDb *db, const NodeRegistration *reg,
			  const char *name, StorePolicyOut *out)
{
	StoreFailure f = STORE_OK;

	for (size_t i = 0; f == STORE_OK && i < db->nformations; i++)
		f = policy_check_registration(&db->formations[i]->f, reg, name,
					      out);
	return f;
}

bool memstore_register_node(Store *s, const NodeRegistration *reg,
			    RegisteredNode *out)
{
	MemHandle *h = memstore_handle(s);
	MemStoreDb *db = h->db;
	char name[STORE_NAME_LEN];
	int id = db->last_node_id + 1;
	StoreFailure f;

	if (!memstore_call(s))
		return false;
	policy_node_name(reg, id, name, sizeof(name));
	if ((f = policy_may_register(&h->actor, &h->out)) != STORE_OK ||
	    (f = check(db, reg, name, &h->out)) != STORE_OK)
		return memstore_outcome(s, f, MEM_WAKE_MONITOR);
	MemFormation *mf = formation_for(s, db, reg->formation);
	if (!mf)
		return false;
	if ((f = policy_add_node(&mf->f, reg, id, name, &h->out)) != STORE_OK)
		return memstore_outcome(s, f, MEM_WAKE_MONITOR);
	mf->report_ms[mf->f.nnodes - 1] = 0;
	db->last_node_id = id;
	out->node_id = id;
	snprintf(out->name, sizeof(out->name), "%s", name);
	snprintf(out->secret, sizeof(out->secret), "mem-secret-%d", id);
	return memstore_outcome(s, STORE_OK, MEM_WAKE_MONITOR);
}

bool memstore_report(Store *s, int node_id, const NodeReport *r)
{
	MemHandle *h = memstore_handle(s);
	size_t i = 0;
	StoreFailure f;

	if (!memstore_call(s))
		return false;
	MemFormation *mf = memstore_find_node(h->db, node_id, &i);
	f = policy_may_report(&h->actor, mf ? &mf->f : NULL, node_id, &h->out);
	if (f != STORE_OK)
		return memstore_outcome(s, f, MEM_WAKE_MONITOR);
	StoreNode *n = &mf->f.nodes[i];
	bool changed = policy_report_changes(&n->report, r);
	policy_take_report(n, r);
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
		return memstore_outcome(
			s,
			policy_missing_formation(formation, STORE_NOT_FOUND,
						 &memstore_handle(s)->out),
			MEM_WAKE_MONITOR);
	*out = mf->f;
	out->scheduled = (int)mf->nsched;
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
