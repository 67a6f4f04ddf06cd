/*
 * pgstore_params.c - formation-wide Postgres parameters and backup
 * settings in the postgres store: checked by the store's own functions
 * (pgkeel.set_pg_param against the Postgres's pg_settings,
 * pgkeel.set_backup_setting), which the rules of storepolicy.h do not
 * cover.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pgstore.h"

bool pgstore_parse_params(const char *json, StoreFormation *out)
{
	json_t *arr = json_loads(json, 0, NULL);
	size_t i;
	json_t *pair;

	out->nparams = 0;
	if (!json_is_array(arr)) {
		json_decref(arr);
		return false;
	}
	json_array_foreach(arr, i, pair)
	{
		const char *name = json_string_value(json_array_get(pair, 0));
		const char *value = json_string_value(json_array_get(pair, 1));
		if (!name || !value || out->nparams >= STORE_MAX_PARAMS)
			continue;
		StoreParam *p = &out->params[out->nparams++];
		snprintf(p->name, sizeof(p->name), "%s", name);
		snprintf(p->value, sizeof(p->value), "%s", value);
	}
	json_decref(arr);
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

bool pgstore_set_backup(Store *s, const char *formation, const char *name,
			const char *value)
{
	const char *params[] = {formation, name, value};
	PGresult *res = pgstore_query(
		s, "SELECT pgkeel.set_backup_setting($1, $2, $3)", 3, params);

	PQclear(res);
	return res != NULL;
}
