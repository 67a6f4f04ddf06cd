/*
 * pgstore_slots.c - the formation's permanent replication slots in the
 * postgres store (table pgkeel.slot, read by pgstore_json.c): declared
 * by the operator as storepolicy_slots.c rules (pgstore_change.c);
 * published by a node's own role through pgkeel.publish_slot
 * (pgstore_migrate_logical.c), which checks whose credential calls.
 */
#include <stdio.h>
#include <string.h>

#include "store/pgstore.h"

static StoreFailure do_slot(Store *s, StoreFormation *f, void *arg)
{
	const char *const *x = arg;
	PgStore *p = pgstore_impl(s);
	bool forget; /* the row's update forgets the copy (pgstore_change.c) */

	return policy_set_slot(f, &p->actor, x[0], x[1], &forget, &p->out);
}

bool pgstore_set_slot(Store *s, const char *formation, const char *name,
		      const char *kind)
{
	const char *x[] = {name, kind};

	return pgstore_change(s, formation, do_slot, x);
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
