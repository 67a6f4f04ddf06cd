/*
 * memstore.c - the in-memory store driver (memstore.h): handles, waiting
 * for changes, the lease and the monitor's fenced writes.
 *
 * As in the postgres driver, the lease belongs to the handle that took
 * it until that handle closes (the postgres store's session lock), every
 * new holder increases the term, and apply() writes nothing unless the
 * term it carries is the lease's current one.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "store/memstore_db.h"
#include "store/store_driver.h"

static bool mem_wait(Store *s, int timeout_ms)
{
	MemHandle *h = memstore_handle(s);

	if (!h->db->stalled && h->notified) {
		h->notified = false;
		return true;
	}
	/* one process, no threads: nothing in the store can change while
	 * it sleeps; a caller's own descriptor can */
	if (s->wake_fd < 0) {
		time_sleep_ms(timeout_ms);
		return true;
	}
	struct pollfd pfd = {.fd = s->wake_fd, .events = POLLIN};
	poll(&pfd, 1, timeout_ms);
	return true;
}

static void mem_set_deadline(Store *s, int64_t deadline_ms)
{
	memstore_handle(s)->deadline_ms = deadline_ms;
}

static bool mem_acquire(Store *s, const char *holder, const char *api,
			int64_t *term)
{
	MemStoreDb *db = memstore_handle(s)->db;

	*term = 0;
	if (!memstore_call(s))
		return false;
	StoreFailure f = policy_may_lead(&memstore_handle(s)->actor,
					 "takes the lease",
					 &memstore_handle(s)->out);
	if (f != STORE_OK)
		return memstore_outcome(s, f, MEM_WAKE_KEEPERS);
	if (!db->lease_holder) {
		db->lease_holder = s;
		db->term++;
		db->holder = (StoreMonitor){.active = true,
					    .since_ms = time_wall_ms(),
					    .term = db->term};
		snprintf(db->holder.holder, sizeof(db->holder.holder), "%s",
			 holder);
		snprintf(db->holder.api, sizeof(db->holder.api), "%s",
			 api ? api : "");
	}
	if (db->lease_holder == s)
		*term = db->term;
	return true; /* 0: another monitor is active */
}

/* The ages the rules read: each node's report, by its index. */
static void fill_ages(MemFormation *mf, int64_t now)
{
	for (size_t i = 0; i < mf->f.nnodes; i++)
		mf->f.nodes[i].report_age_ms =
			mf->report_ms[i] ? now - mf->report_ms[i] : 1000000000;
}

/* Keeps report_ms by node after the rules removed some nodes. */
static void keep_report_times(MemFormation *mf, const StoreFormation *old,
			      const int64_t *old_ms)
{
	for (size_t i = 0; i < mf->f.nnodes; i++) {
		for (size_t j = 0; j < old->nnodes; j++) {
			if (old->nodes[j].id == mf->f.nodes[i].id)
				mf->report_ms[i] = old_ms[j];
		}
	}
}

static bool mem_apply(Store *s, int64_t term, const char *formation,
		      const StoreDecision *d, size_t nd,
		      const StoreNodeView *views, size_t nviews,
		      const char *health, bool clear_requests)
{
	MemHandle *h = memstore_handle(s);
	int64_t now = time_monotonic_ms(), ms[STORE_MAX_NODES];
	StoreFailure f;

	if (!memstore_call(s))
		return false;
	if ((f = policy_may_lead(&h->actor, "writes decisions", &h->out)))
		return memstore_outcome(s, f, MEM_WAKE_KEEPERS);
	if (term != h->db->term || h->db->lease_holder != s)
		return memstore_fail(s, STORE_FENCED,
				     "fenced: the lease is at term %lld, this "
				     "monitor has %lld",
				     (long long)h->db->term, (long long)term);
	MemFormation *mf = memstore_formation(h->db, formation);
	if (!mf)
		return true; /* as an UPDATE of no row */
	fill_ages(mf, now);
	h->scratch = mf->f;
	memcpy(ms, mf->report_ms, sizeof(ms));
	policy_apply(&mf->f, now - mf->requested_ms, d, nd, views, nviews,
		     health, clear_requests, &h->out);
	keep_report_times(mf, &h->scratch, ms);
	return memstore_outcome(s, STORE_OK,
				nd + nviews ? MEM_WAKE_KEEPERS : MEM_WAKE_NONE);
}

static bool mem_list_monitors(Store *s, StoreMonitor *out, size_t max,
			      size_t *n)
{
	MemStoreDb *db = memstore_handle(s)->db;

	*n = 0;
	if (!memstore_call(s))
		return false;
	if (db->lease_holder && max > 0)
		out[(*n)++] = db->holder;
	return true;
}

/* The lease ends if holder holds it at term: the handle that held it
 * is fenced from then on, as a lost session would be. */
static bool mem_depose(Store *s, const char *holder, int64_t term)
{
	MemStoreDb *db = memstore_handle(s)->db;

	if (!memstore_call(s))
		return false;
	if (db->lease_holder && db->term == term &&
	    strcmp(db->holder.holder, holder) == 0)
		db->lease_holder = NULL;
	return true;
}

static void mem_close(Store *s)
{
	MemStoreDb *db = memstore_handle(s)->db;

	if (db->lease_holder == s)
		db->lease_holder = NULL;
	for (size_t i = 0; i < MEM_MAX_HANDLES; i++) {
		if (db->handles[i] == s)
			db->handles[i] = NULL;
	}
	free(s->impl);
	free(s);
}

static const StoreOps mem_ops = {
	.register_node = memstore_register_node,
	.report = memstore_report,
	.get_formation = memstore_get_formation,
	.list_formations = memstore_list_formations,
	.events = memstore_events,
	.wait = mem_wait,
	.set_deadline = mem_set_deadline,
	.acquire = mem_acquire,
	.apply = mem_apply,
	.request = memstore_request,
	.set_setting = memstore_set_setting,
	.set_maintenance = memstore_set_maintenance,
	.drop_node = memstore_drop_node,
	.set_pg_param = memstore_set_pg_param,
	.set_slot = memstore_set_slot,
	.publish_slot = memstore_publish_slot,
	.request_restart = memstore_request_restart,
	.request_reinit = memstore_request_reinit,
	.schedule = memstore_schedule,
	.list_scheduled = memstore_list_scheduled,
	.end_scheduled = memstore_end_scheduled,
	.rotate_secret = memstore_rotate_secret,
	.list_monitors = mem_list_monitors,
	.depose = mem_depose,
	.close = mem_close,
};

Store *memstore_open(MemStoreDb *db, MemStoreRole role, int node_id,
		     int timeout_ms)
{
	size_t slot = 0;

	while (slot < MEM_MAX_HANDLES && db->handles[slot])
		slot++;
	if (slot == MEM_MAX_HANDLES)
		return NULL;
	Store *s = calloc(1, sizeof(Store));
	MemHandle *h = calloc(1, sizeof(MemHandle));
	if (!s || !h) {
		free(s);
		free(h);
		return NULL;
	}
	s->wake_fd = -1;
	h->db = db;
	h->role = role;
	h->node_id = node_id;
	h->timeout_ms = timeout_ms;
	h->actor.role = role == MEMSTORE_OPERATOR  ? ACTOR_OPERATOR
			: role == MEMSTORE_MONITOR ? ACTOR_MONITOR
						   : ACTOR_NODE;
	h->actor.node_id = node_id;
	s->ops = &mem_ops;
	s->impl = h;
	db->handles[slot] = s;
	return s;
}

MemStoreDb *memstore_db_new(void)
{
	return calloc(1, sizeof(MemStoreDb));
}

void memstore_db_free(MemStoreDb *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nformations; i++)
		free(db->formations[i]);
	free(db);
}

void memstore_db_stall(MemStoreDb *db, bool on)
{
	db->stalled = on;
}
