/*
 * memstore_sched.c - reinit requests and scheduled operations in the
 * in-memory driver, both ruled by storepolicy.h as the etcd driver's
 * are: the operator's and the monitor's handles alone write scheduled
 * operations; every handle reads them.
 */
#include <stdio.h>
#include <string.h>

#include "store/memstore_db.h"

/* The formation of a call that writes scheduled operations, or NULL
 * after a refusal. */
static MemFormation *writer_formation(Store *s, const char *formation)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf;

	if (!memstore_call(s))
		return NULL;
	policy_reset(&h->out);
	if (policy_may_schedule(&h->actor, &h->out) != STORE_OK) {
		memstore_fail(s, STORE_REFUSED, "%s", h->out.why);
		return NULL;
	}
	if (!(mf = memstore_formation(h->db, formation)))
		memstore_fail(s, STORE_REFUSED, "formation %s does not exist",
			      formation);
	return mf;
}

bool memstore_request_reinit(Store *s, const char *formation,
			     const char *node_name, long long *seq)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf;

	if (!memstore_call(s))
		return false;
	if (!(mf = memstore_formation(h->db, formation)))
		return memstore_fail(s, STORE_REFUSED,
				     "formation %s does not exist", formation);
	policy_reset(&h->out);
	return memstore_outcome(s,
				policy_request_reinit(&mf->f, &h->actor,
						      node_name, seq, &h->out),
				MEM_WAKE_MONITOR);
}

bool memstore_schedule(Store *s, const char *formation,
		       const StoreScheduled *op, long long *id)
{
	MemFormation *mf = writer_formation(s, formation);
	MemHandle *h = memstore_handle(s);
	StoreScheduled add = *op;

	if (!mf)
		return false;
	add.id = h->db->last_sched_id + 1;
	if (!memstore_outcome(s, policy_schedule(&mf->f, &h->actor, &add,
						 mf->nsched, &h->out),
			      MEM_WAKE_MONITOR))
		return false;
	size_t at = mf->nsched;
	while (at > 0 && mf->sched[at - 1].at_ms > add.at_ms)
		at--;
	memmove(&mf->sched[at + 1], &mf->sched[at],
		(mf->nsched - at) * sizeof(mf->sched[0]));
	mf->sched[at] = add;
	mf->nsched++;
	*id = h->db->last_sched_id = add.id;
	return true;
}

bool memstore_list_scheduled(Store *s, const char *formation,
			     StoreScheduled *out, size_t max, size_t *n)
{
	MemFormation *mf;

	*n = 0;
	if (!memstore_call(s))
		return false;
	mf = memstore_formation(memstore_handle(s)->db, formation);
	for (size_t i = 0; mf && i < mf->nsched && *n < max; i++)
		out[(*n)++] = mf->sched[i];
	return true;
}

bool memstore_end_scheduled(Store *s, const char *formation, long long id,
			    const char *outcome, const char *why)
{
	MemFormation *mf = writer_formation(s, formation);
	MemHandle *h = memstore_handle(s);
	size_t i = 0;

	if (!mf)
		return false;
	while (i < mf->nsched && mf->sched[i].id != id)
		i++;
	if (!memstore_outcome(s, policy_end_scheduled(
					 &mf->f, &h->actor,
					 i < mf->nsched ? &mf->sched[i] : NULL,
					 id, outcome, why, &h->out),
			      MEM_WAKE_MONITOR))
		return false;
	memmove(&mf->sched[i], &mf->sched[i + 1],
		(mf->nsched - i - 1) * sizeof(mf->sched[0]));
	mf->nsched--;
	return true;
}
