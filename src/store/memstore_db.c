/*
 * memstore_db.c - the in-memory store's state and what every call of it
 * shares: the stall, failures, lookups, the event log, notifications and
 * who may act on what.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"
#include "store/memstore_db.h"

MemHandle *memstore_handle(Store *s)
{
	return (MemHandle *)s->impl;
}

/* The time a call may take, as the postgres driver's call_budget. */
static int64_t call_budget(const MemHandle *h)
{
	if (h->deadline_ms <= 0)
		return h->timeout_ms;
	int64_t left = h->deadline_ms - time_monotonic_ms();
	if (left < STORE_MIN_CALL_MS)
		left = STORE_MIN_CALL_MS;
	return left < h->timeout_ms ? left : h->timeout_ms;
}

bool memstore_call(Store *s)
{
	MemHandle *h = memstore_handle(s);

	if (!h->db->stalled)
		return true;
	int64_t budget = call_budget(h);
	time_sleep_ms(budget);
	return memstore_fail(s, STORE_UNAVAILABLE,
			     "the state store did not answer within %lld ms",
			     (long long)budget);
}

bool memstore_fail(Store *s, StoreFailure f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	s->failure = f;
	return false;
}

MemFormation *memstore_formation(MemStoreDb *db, const char *name)
{
	for (size_t i = 0; i < db->nformations; i++) {
		if (strcmp(db->formations[i]->f.name, name) == 0)
			return db->formations[i];
	}
	return NULL;
}

int memstore_node_index(const MemFormation *mf, const char *name)
{
	for (size_t i = 0; name && i < mf->f.nnodes; i++) {
		if (strcmp(mf->f.nodes[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

MemFormation *memstore_find_node(MemStoreDb *db, int id, size_t *index)
{
	for (size_t i = 0; i < db->nformations; i++) {
		MemFormation *mf = db->formations[i];
		for (size_t j = 0; j < mf->f.nnodes; j++) {
			if (mf->f.nodes[j].id == id) {
				*index = j;
				return mf;
			}
		}
	}
	return NULL;
}

void memstore_event(MemStoreDb *db, const char *formation,
		    const StoreNode *n, const char *old_state,
		    const char *new_state, const char *fmt, ...)
{
	va_list ap;

	if (db->nevents == MEM_MAX_EVENTS) {
		memmove(&db->events[0], &db->events[1],
			sizeof(StoreEvent) * (MEM_MAX_EVENTS - 1));
		db->nevents--;
	}
	StoreEvent *e = &db->events[db->nevents++];
	memset(e, 0, sizeof(*e));
	e->time_ms = time_wall_ms();
	snprintf(e->formation, sizeof(e->formation), "%s", formation);
	e->node_id = n ? n->id : 0;
	snprintf(e->node_name, sizeof(e->node_name), "%s", n ? n->name : "");
	snprintf(e->old_state, sizeof(e->old_state), "%s", old_state);
	snprintf(e->new_state, sizeof(e->new_state), "%s", new_state);
	va_start(ap, fmt);
	vsnprintf(e->description, sizeof(e->description), fmt, ap);
	va_end(ap);
}

void memstore_notify(MemStoreDb *db, MemWake who)
{
	for (size_t i = 0; i < MEM_MAX_HANDLES; i++) {
		MemHandle *h = db->handles[i] ? memstore_handle(db->handles[i])
					      : NULL;
		if (h && (h->role == MEMSTORE_MONITOR) ==
				 (who == MEM_WAKE_MONITOR))
			h->notified = true;
	}
}

bool memstore_is_operator(Store *s)
{
	return memstore_handle(s)->role != MEMSTORE_NODE;
}

bool memstore_may_act(Store *s, const MemFormation *mf, const char *name)
{
	int i = memstore_node_index(mf, name);

	if (memstore_is_operator(s) ||
	    (i >= 0 && mf->f.nodes[i].id == memstore_handle(s)->node_id))
		return true;
	return memstore_fail(s, STORE_REFUSED,
			     "permission denied: a data node's credential can "
			     "act on its own node only");
}
