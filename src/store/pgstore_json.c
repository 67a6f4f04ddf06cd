/*
 * pgstore_json.c - the formation's Postgres parameters and permanent
 * slots, which the postgres store's formation read returns as JSON
 * arrays (pgstore_ops.c), into a snapshot.
 */
#include <jansson.h>
#include <stdio.h>
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
		memset(p, 0, sizeof(*p)); /* out may be cleared in part */
		snprintf(p->name, sizeof(p->name), "%s", name);
		snprintf(p->value, sizeof(p->value), "%s", value);
	}
	json_decref(arr);
	return true;
}

bool pgstore_parse_slots(const char *json, StoreFormation *out)
{
	json_t *arr = json_loads(json, 0, NULL);
	size_t i;
	json_t *pair;

	out->nslots = 0;
	if (!json_is_array(arr)) {
		json_decref(arr);
		return false;
	}
	json_array_foreach(arr, i, pair)
	{
		const char *name = json_string_value(json_array_get(pair, 0));
		const char *kind = json_string_value(json_array_get(pair, 1));
		const char *lsn = json_string_value(json_array_get(pair, 3));
		const char *st = json_string_value(json_array_get(pair, 4));
		if (!name || out->nslots >= STORE_MAX_SLOTS)
			continue;
		StoreSlot *sl = &out->slots[out->nslots++];
		memset(sl, 0, sizeof(*sl)); /* out may be cleared in part */
		snprintf(sl->name, sizeof(sl->name), "%s", name);
		snprintf(sl->kind, sizeof(sl->kind), "%s", kind ? kind : "");
		sl->removed = kind == NULL;
		sl->copy_node =
			(int)json_integer_value(json_array_get(pair, 2));
		if (!lsn || !lsn_parse(lsn, &sl->confirmed_flush))
			sl->confirmed_flush = LSN_INVALID;
		snprintf(sl->state, sizeof(sl->state), "%s", st ? st : "");
	}
	json_decref(arr);
	return true;
}
