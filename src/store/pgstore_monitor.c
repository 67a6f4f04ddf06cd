/*
 * pgstore_monitor.c - the monitor's side of the postgres store: the lease
 * that makes one monitor active, and the list of monitors.
 *
 * The lease is a session advisory lock (released when the monitor's
 * connection ends) plus a term in pgkeel.lease, incremented by every new
 * holder. apply() (pgstore_apply.c) locks the lease row and refuses to
 * write unless the term is still the caller's, so a monitor that lost
 * its lease can never overwrite decisions made by its successor.
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
