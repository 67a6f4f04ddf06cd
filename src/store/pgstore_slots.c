/*
 * pgstore_slots.c - the formation's permanent replication slots in the
 * postgres store (table pgkeel.slot, functions pgkeel.set_slot:
 * pgstore_migrate.c and pgstore_migrate_logical.c, pgkeel.publish_slot:
 * pgstore_migrate_logical.c).
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
		const char *lsn = json_string_value(json_array_get(pair, 3));
		const char *st = json_string_value(json_array_get(pair, 4));
		if (!name || out->nslots >= STORE_MAX_SLOTS)
			continue;
		StoreSlot *sl = &out->slots[out->nslots++];
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

bool pgstore_set_slot(Store *s, const char *formation, const char *name,
		      const char *kind)
{
	const char *params[] = {formation, name, kind};

	return pgstore_exec(s, "SELECT pgkeel.set_slot($1, $2, $3)", 3,
			    params);
}

bool pgstore_publish_slot(Store *s, int node_id, const char *name,
			  Lsn confirmed_flush, const char *state)
{
	char id[16], lsn[LSN_TEXT_LEN];
	const char *params[] = {id, name,
				lsn_format(confirmed_flush, lsn, sizeof(lsn)),
				state};

	snprintf(id, sizeof(id), "%d", node_id);
	return pgstore_exec(s, "SELECT pgkeel.publish_slot($1, $2, $3, $4)",
			    4, params);
}
