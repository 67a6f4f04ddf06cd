/*
 * pgstore_sched.c - reinit requests and scheduled operations in the
 * postgres store (the functions of pgstore_migrate_ops.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pgstore.h"

bool pgstore_request_reinit(Store *s, const char *formation,
			    const char *node_name, long long *seq)
{
	const char *params[] = {formation, node_name};
	PGresult *res = pgstore_query(
		s, "SELECT pgkeel.request_reinit($1, $2)", 2, params);

	if (!res)
		return false;
	*seq = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}

bool pgstore_schedule(Store *s, const char *formation,
		      const StoreScheduled *op, long long *id)
{
	char at[24];
	snprintf(at, sizeof(at), "%lld", (long long)op->at_ms);
	const char *params[] = {formation, op->what, op->node, at};
	PGresult *res = pgstore_query(
		s, "SELECT pgkeel.schedule($1, $2, $3, $4)", 4, params);

	if (!res)
		return false;
	*id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}

bool pgstore_list_scheduled(Store *s, const char *formation,
			    StoreScheduled *out, size_t max, size_t *n)
{
	const char *params[] = {formation};
	PGresult *res = pgstore_query(
		s,
		"SELECT id, what, node_name,"
		" (extract(epoch FROM at) * 1000)::bigint"
		" FROM pgkeel.scheduled"
		" WHERE formation = $1 AND outcome IS NULL ORDER BY at, id",
		1, params);

	*n = 0;
	if (!res)
		return false;
	for (int i = 0; i < PQntuples(res) && *n < max; i++) {
		StoreScheduled *op = &out[(*n)++];
		memset(op, 0, sizeof(*op));
		op->id = atoll(PQgetvalue(res, i, 0));
		snprintf(op->what, sizeof(op->what), "%s",
			 PQgetvalue(res, i, 1));
		snprintf(op->node, sizeof(op->node), "%s",
			 PQgetvalue(res, i, 2));
		op->at_ms = atoll(PQgetvalue(res, i, 3));
	}
	PQclear(res);
	return true;
}

bool pgstore_end_scheduled(Store *s, const char *formation, long long id,
			   const char *outcome, const char *why)
{
	char idtext[24];
	snprintf(idtext, sizeof(idtext), "%lld", id);
	const char *params[] = {formation, idtext, outcome, why ? why : ""};
	PGresult *res = pgstore_query(
		s, "SELECT pgkeel.end_scheduled($1, $2, $3, $4)", 4, params);

	PQclear(res);
	return res != NULL;
}
