/*
 * memstore_db.c - the in-memory store's state and what every call of it
 * shares: the stall, failures, lookups, the event log and
 * notifications.
 */
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

	policy_reset(&h->out);
	if (!h->db->stalled)
		return true;
	int64_t budget = call_budget(h);
	time_sleep_ms(budget);
	return memstore_fail(s, STORE_UNAVAILABLE,
			     "the state store did not answer within %lld ms",
			     (long long)budget);
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

/* The event log keeps the latest MEM_MAX_EVENTS. */
static void record(MemStoreDb *db, const StoreEvent *e)
{
	if (db->nevents == MEM_MAX_EVENTS) {
		memmove(&db->events[0], &db->events[1],
			sizeof(StoreEvent) * (MEM_MAX_EVENTS - 1));
		db->nevents--;
	}
	db->events[db->nevents] = *e;
	db->events[db->nevents++].time_ms = time_wall_ms();
}

void memstore_notify(MemStoreDb *db, MemWake who)
{
	for (size_t i = 0; i < MEM_MAX_HANDLES; i++) {
		MemHandle *h = db->handles[i] ? memstore_handle(db->handles[i])
					      : NULL;
		if (h && who != MEM_WAKE_NONE &&
		    (h->role == MEMSTORE_MONITOR) ==
				 (who == MEM_WAKE_MONITOR))
			h->notified = true;
	}
}

bool memstore_outcome(Store *s, StoreFailure f, MemWake who)
{
	MemHandle *h = memstore_handle(s);

	if (f != STORE_OK)
		return memstore_fail(s, f, "%s", h->out.why);
	for (size_t i = 0; i < h->out.nevents; i++)
		record(h->db, &h->out.events[i]);
	memstore_notify(h->db, who);
	return true;
}
