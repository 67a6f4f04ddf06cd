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

static bool mem_acquire(Store *s, const char *holder, int64_t *term)
{
	MemStoreDb *db = memstore_handle(s)->db;

	(void)holder;
	*term = 0;
	if (!memstore_call(s))
		return false;
	if (memstore_handle(s)->role != MEMSTORE_MONITOR)
		return memstore_fail(s, STORE_REFUSED,
				     "permission denied: only the monitor "
				     "takes the lease");
	if (!db->lease_holder) {
		db->lease_holder = s;
		db->term++;
	}
	if (db->lease_holder == s)
		*term = db->term;
	return true; /* 0: another monitor is active */
}

static void write_decision(MemStoreDb *db, MemFormation *mf,
			   const StoreDecision *d)
{
	for (size_t i = 0; i < mf->f.nnodes; i++) {
		StoreNode *n = &mf->f.nodes[i];
		if (n->id != d->node_id)
			continue;
		n->goal = d->goal;
		if (d->upstream_id)
			n->upstream_id = d->upstream_id;
		memstore_event(db, mf->f.name, n, state_name(d->old),
			       state_name(d->goal), "%s", d->why);
	}
}

static void write_view(MemFormation *mf, const StoreNodeView *v)
{
	for (size_t i = 0; i < mf->f.nnodes; i++) {
		StoreNode *n = &mf->f.nodes[i];
		if (n->id != v->node_id)
			continue;
		n->reachable = v->reachable;
		snprintf(n->sync_names, sizeof(n->sync_names), "%s",
			 v->sync_names);
	}
}

/* As the postgres store's delete_dropped: a dropped node goes once its
 * keeper reported dropped, or has been silent for 30 s. */
static void delete_dropped(MemFormation *mf, int64_t now)
{
	size_t kept = 0;

	for (size_t i = 0; i < mf->f.nnodes; i++) {
		const StoreNode *n = &mf->f.nodes[i];
		bool gone = n->goal == NS_DROPPED &&
			    (n->reported == NS_DROPPED || !mf->report_ms[i] ||
			     now - mf->report_ms[i] > 30000);
		if (gone)
			continue;
		mf->f.nodes[kept] = *n;
		mf->report_ms[kept++] = mf->report_ms[i];
	}
	mf->f.nnodes = kept;
}

/* A request older than STORE_REQUEST_EXPIRY_TEXT is dropped. */
static void expire_request(MemStoreDb *db, MemFormation *mf, int64_t now)
{
	int64_t expiry = atoll(STORE_REQUEST_EXPIRY_TEXT) * 1000;

	if ((mf->f.switchover_to < 0 && !mf->f.failover_requested) ||
	    now - mf->requested_ms < expiry)
		return;
	mf->f.switchover_to = -1;
	mf->f.failover_requested = false;
	memstore_event(db, mf->f.name, NULL, "", "",
		       "request expired: not carried out within %s",
		       STORE_REQUEST_EXPIRY_TEXT);
}

static bool mem_apply(Store *s, int64_t term, const char *formation,
		      const StoreDecision *d, size_t nd,
		      const StoreNodeView *views, size_t nviews,
		      const char *health, bool clear_requests)
{
	MemStoreDb *db = memstore_handle(s)->db;
	int64_t now = time_monotonic_ms();

	if (!memstore_call(s))
		return false;
	if (memstore_handle(s)->role != MEMSTORE_MONITOR)
		return memstore_fail(s, STORE_REFUSED,
				     "permission denied: only the monitor "
				     "writes decisions");
	if (term != db->term)
		return memstore_fail(s, STORE_FENCED,
				     "fenced: the lease is at term %lld, this "
				     "monitor has %lld",
				     (long long)db->term, (long long)term);
	MemFormation *mf = memstore_formation(db, formation);
	if (!mf)
		return true; /* as an UPDATE of no row */
	if (clear_requests) {
		mf->f.switchover_to = -1;
		mf->f.failover_requested = false;
	} else {
		expire_request(db, mf, now);
	}
	for (size_t i = 0; i < nd; i++)
		write_decision(db, mf, &d[i]);
	for (size_t i = 0; i < nviews; i++)
		write_view(mf, &views[i]);
	delete_dropped(mf, now);
	snprintf(mf->f.health, sizeof(mf->f.health), "%s", health);
	if (nd + nviews > 0)
		memstore_notify(db, MEM_WAKE_KEEPERS);
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
	.request_restart = memstore_request_restart,
	.rotate_secret = memstore_rotate_secret,
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
	*h = (MemHandle){.db = db, .role = role, .node_id = node_id,
			 .timeout_ms = timeout_ms};
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
