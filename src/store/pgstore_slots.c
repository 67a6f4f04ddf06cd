/*
 * pgstore_slots.c - the formation's permanent replication slots in the
 * postgres store (table pgkeel.slot, function pgkeel.set_slot:
 * pgstore_migrate.c).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "store/pgstore.h"

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
		if (!name || out->nslots >= STORE_MAX_SLOTS)
			continue;
		StoreSlot *sl = &out->slots[out->nslots++];
		snprintf(sl->name, sizeof(sl->name), "%s", name);
		snprintf(sl->kind, sizeof(sl->kind), "%s", kind ? kind : "");
		sl->removed = kind == NULL;
	}
	json_decref(arr);
	return true;
}

bool pgstore_set_slot(Store *s, const char *formation, const char *name,
		      const char *kind)
{
	const char *params[] = {formation, name, kind};

	return pgstore_exec(s, "SELECT pgkeel.set_slot($1, $2, $3)", 3,
			    params);
}
