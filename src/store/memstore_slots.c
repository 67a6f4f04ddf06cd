/*
 * memstore_slots.c - the formation's permanent slots in the in-memory
 * store: declared by the operator, a logical one's copy published by a
 * node's own handle, each ruled by storepolicy.h as the etcd driver's
 * are.
 */
#include <stdio.h>
#include <string.h>

#include "store/memstore_db.h"

bool memstore_set_slot(Store *s, const char *formation, const char *name,
		       const char *kind)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf;
	bool forget;

	if (!memstore_call(s))
		return false;
	policy_reset(&h->out);
	if (!(mf = memstore_formation(h->db, formation)))
		return memstore_outcome(
			s, policy_missing_formation(formation, STORE_REFUSED,
						    &h->out),
			MEM_WAKE_MONITOR);
	return memstore_outcome(s,
				policy_set_slot(&mf->f, &h->actor, name, kind,
						&forget, &h->out),
				MEM_WAKE_MONITOR);
}

/* No wake: the standbys look at every refresh of their duties. */
bool memstore_publish_slot(Store *s, int node_id, const char *name,
			   Lsn confirmed_flush, const char *state)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf;
	size_t i;

	if (!memstore_call(s))
		return false;
	policy_reset(&h->out);
	if (!(mf = memstore_find_node(h->db, node_id, &i)))
		memset(&h->scratch, 0, sizeof(h->scratch)); /* refused */
	return memstore_outcome(s,
				policy_publish_slot(mf ? &mf->f : &h->scratch,
						    &h->actor, node_id, name,
						    confirmed_flush, state,
						    &h->out),
				MEM_WAKE_NONE);
}
