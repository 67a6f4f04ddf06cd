/*
 * pgstore_slots.c - the formation's permanent replication slots in the
 * postgres store (table pgkeel.slot, read by pgstore_json.c; functions
 * pgkeel.set_slot:
 * pgstore_migrate.c and pgstore_migrate_logical.c, pgkeel.publish_slot:
 * pgstore_migrate_logical.c).
 */
#include <stdio.h>
#include <string.h>

#include "store/pgstore.h"

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
