/*
 * pgstore_monitor.c - the monitor's side of the postgres store: the lease
 * that makes one monitor active, and fenced writes of its decisions.
 *
 * The lease is a session advisory lock (released when the monitor's
 * connection ends) plus a term in pgkeel.lease, incremented by every new
 * holder. apply() locks the lease row and refuses to write unless the
 * term is still the caller's, so a monitor that lost its lease can
 * never overwrite decisions made by its successor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "store/pgstore.h"

#define LEASE_LOCK_KEY "7458373650"

/* api is not listed: a monitor of its own Postgres has no other
 * monitor to tell it to. */
bool pgstore_acquire(Store *s, const char *holder, const char *api,
		     int64_t *term)
{
	PgStore *p = pgstore_impl(s);
	const char *params[] = {holder};
	char ok[8];

	(void)api;
	*term = 0;
	/* held: the session holds the lock until it ends, and a session
	 * lost is seen by the next call, which connects again and forgets
	 * the term (writes stay fenced by the term in any case) */
	if (p->held_term > 0 && p->pc.conn &&
	    PQstatus(p->pc.conn) == CONNECTION_OK) {
		*term = p->held_term;
		return true;
	}
	if (!pgstore_exec(s, "SELECT 1", 0, NULL)) /* reconnects if needed */
		return false;
	if (p->held_term > 0) {
		*term = p->held_term;
		return true;
	}
	if (!pg_query_value(&p->pc,
			    "SELECT pg_try_advisory_lock(" LEASE_LOCK_KEY ")", 0,
			    NULL, ok, sizeof(ok))) {
		pgstore_fail(s, "cannot try the monitor's lease");
		return false;
	}
	if (strcmp(ok, "t") != 0)
		return true; /* another monitor is active */
	PGresult *res = pgstore_query(
		s,
		"UPDATE pgkeel.lease SET term = term + 1, holder = $1,"
		" acquired = now() RETURNING term",
		1, params);
	if (!res)
		return false;
	p->held_term = atoll(PQgetvalue(res, 0, 0));
	*term = p->held_term;
	PQclear(res);
	return true;
}

/* The lease row names the last holder; the advisory lock says whether
 * it still runs (a session's lock: 7458373650 as classid:objid). */
bool pgstore_list_monitors(Store *s, StoreMonitor *out, size_t max,
			   size_t *n)
{
	PGresult *res = pgstore_query(
		s,
		"SELECT holder, (extract(epoch FROM acquired) * 1000)::bigint,"
		" term FROM pgkeel.lease WHERE term > 0 AND EXISTS (SELECT 1"
		" FROM pg_locks WHERE locktype = 'advisory' AND granted AND"
		" ((classid::bigint << 32) | objid::bigint) = " LEASE_LOCK_KEY
		" AND objsubid = 1 AND database = (SELECT oid FROM pg_database"
		" WHERE datname = current_database()))",
		0, NULL);

	*n = 0;
	if (!res)
		return false;
	for (int i = 0; i < PQntuples(res) && *n < max; i++) {
		StoreMonitor *m = &out[(*n)++];
		memset(m, 0, sizeof(*m));
		snprintf(m->holder, sizeof(m->holder), "%s",
			 PQgetvalue(res, i, 0));
		m->active = true;
		m->since_ms = atoll(PQgetvalue(res, i, 1));
		m->term = atoll(PQgetvalue(res, i, 2));
	}
	PQclear(res);
	return true;
}

static bool check_term(Store *s, int64_t term)
{
	PGresult *res = pgstore_query(
		s, "SELECT term FROM pgkeel.lease WHERE id = 1 FOR UPDATE", 0,
		NULL);
	if (!res)
		return false;
	int64_t current = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (current == term)
		return true;
	s->failure = STORE_FENCED;
	snprintf(s->error, sizeof(s->error),
		 "fenced: the lease is at term %lld, this monitor has %lld",
		 (long long)current, (long long)term);
	return false;
}

static bool write_decision(Store *s, const char *formation,
			   const StoreDecision *d)
{
	char id[16], up[16];
	const char *params[] = {id, state_name(d->goal), up, d->why, formation,
				state_name(d->old)};

	snprintf(id, sizeof(id), "%d", d->node_id);
	snprintf(up, sizeof(up), "%d", d->upstream_id);
	return pgstore_exec(
		s,
		"WITH n AS (UPDATE pgkeel.node SET goal_state = $2,"
		"  upstream_id = coalesce(nullif($3::int, 0), upstream_id)"
		"  WHERE id = $1::int RETURNING id, name)"
		" INSERT INTO pgkeel.event (formation, node_id, node_name,"
		"  old_state, new_state, description)"
		" SELECT $5, n.id, n.name, $6, $2, $4 FROM n",
		6, params);
}

static bool write_view(Store *s, const StoreNodeView *v)
{
	char id[16];
	const char *params[] = {id, v->reachable ? "t" : "f", v->sync_names};

	snprintf(id, sizeof(id), "%d", v->node_id);
	return pgstore_exec(s,
			    "UPDATE pgkeel.node SET reachable = $2,"
			    " sync_names = $3 WHERE id = $1::int",
			    3, params);
}

/* A request the monitor could not carry out in time is dropped, with an
 * event saying so, instead of blocking every later request. */
static bool expire_request(Store *s, const char *formation)
{
	const char *params[] = {formation};
	return pgstore_exec(
		s,
		"WITH x AS (UPDATE pgkeel.formation SET switchover_to = NULL,"
		"  failover_requested = false WHERE name = $1"
		"  AND (switchover_to IS NOT NULL OR failover_requested)"
		"  AND requested_at < clock_timestamp() - interval '"
		STORE_REQUEST_EXPIRY_TEXT "' RETURNING name)"
		" INSERT INTO pgkeel.event (formation, description)"
		" SELECT name, 'request expired: not carried out within "
		STORE_REQUEST_EXPIRY_TEXT " (no standby was eligible and caught"
		" up); ask again once pgkeel show state shows one' FROM x",
		1, params);
}

static bool write_all(Store *s, int64_t term, const char *formation,
		      const StoreDecision *d, size_t nd,
		      const StoreNodeView *views, size_t nviews,
		      const char *health, bool clear_requests)
{
	const char *params[] = {formation, health};

	if (!check_term(s, term))
		return false;
	/* first, as the operator's actions lock it (pgstore_change.c): the
	 * two never wait for each other's rows in opposite orders */
	if (!pgstore_exec(s,
			  "SELECT 1 FROM pgkeel.formation WHERE name = $1"
			  " FOR UPDATE",
			  1, params))
		return false;
	if (clear_requests &&
	    !pgstore_exec(s,
			  "UPDATE pgkeel.formation SET switchover_to = NULL,"
			  " failover_requested = false WHERE name = $1",
			  1, params))
		return false;
	if (!clear_requests && !expire_request(s, formation))
		return false;
	for (size_t i = 0; i < nd; i++) {
		if (!write_decision(s, formation, &d[i]))
			return false;
	}
	for (size_t i = 0; i < nviews; i++) {
		if (!write_view(s, &views[i]))
			return false;
	}
	/* a dropped node leaves the store once its keeper stopped Postgres
	 * (it reported dropped) or its keeper is gone */
	return pgstore_exec(s, "SELECT pgkeel.delete_dropped($1)", 1,
			    params) &&
	       pgstore_exec(s,
			    "UPDATE pgkeel.formation SET health = $2"
			    " WHERE name = $1 AND health <> $2",
			    2, params) &&
	       (nd + nviews == 0 ||
		pgstore_exec(s, "SELECT pg_notify('pgkeel_goal', $1)", 1,
			     params));
}

bool pgstore_apply(Store *s, int64_t term, const char *formation,
		   const StoreDecision *d, size_t nd,
		   const StoreNodeView *views, size_t nviews,
		   const char *health, bool clear_requests)
{
	char saved[sizeof(s->error)];
	StoreFailure failure;

	if (!pgstore_exec(s, "BEGIN", 0, NULL))
		return false;
	if (write_all(s, term, formation, d, nd, views, nviews, health,
		      clear_requests))
		return pgstore_exec(s, "COMMIT", 0, NULL);
	snprintf(saved, sizeof(saved), "%s", s->error);
	failure = s->failure;
	pgstore_exec(s, "ROLLBACK", 0, NULL);
	snprintf(s->error, sizeof(s->error), "%s", saved);
	s->failure = failure;
	return false;
}
