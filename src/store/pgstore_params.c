/*
 * pgstore_params.c - formation-wide Postgres parameters and per-node
 * restart requests in the postgres store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pgstore.h"

bool pgstore_read_params(Store *s, StoreFormation *out)
{
	const char *params[] = {out->name};
	PGresult *res = pgstore_query(
		s,
		"SELECT name, value FROM pgkeel.pg_param WHERE formation = $1"
		" ORDER BY name",
		1, params);

	out->nparams = 0;
	if (!res)
		return false;
	for (int i = 0; i < PQntuples(res) && out->nparams < STORE_MAX_PARAMS;
	     i++) {
		StoreParam *p = &out->params[out->nparams++];
		snprintf(p->name, sizeof(p->name), "%s", PQgetvalue(res, i, 0));
		snprintf(p->value, sizeof(p->value), "%s",
			 PQgetvalue(res, i, 1));
	}
	PQclear(res);
	return true;
}

bool pgstore_set_pg_param(Store *s, const char *formation, const char *name,
			  const char *value, char *context, size_t len)
{
	const char *params[] = {formation, name, value};
	PGresult *res = pgstore_query(
		s, "SELECT pgkeel.set_pg_param($1, $2, $3)", 3, params);

	if (!res)
		return false;
	snprintf(context, len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}

bool pgstore_request_restart(Store *s, const char *formation,
			     const char *node_name, long long *seq)
{
	const char *params[] = {formation, node_name};
	PGresult *res = pgstore_query(
		s, "SELECT pgkeel.request_restart($1, $2)", 2, params);

	if (!res)
		return false;
	*seq = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}
