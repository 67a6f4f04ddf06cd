/*
 * memstore_sched.c - reinit requests (ruled by storepolicy.h, as the
 * etcd driver's are) and scheduled operations in the in-memory driver,
 * the latter with the postgres store's checks and rights
 * (pgstore_migrate_ops.c): the operator's and the monitor's handles
 * alone write; every handle reads.
 */
#include <stdio.h>
#include <string.h>

#include "store/memstore_db.h"

/* The formation for an operator's call, or NULL after a refusal. */
static MemFormation *operator_formation(Store *s, const char *formation)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf;

	if (!memstore_call(s))
		return NULL;
	if (h->actor.role == ACTOR_NODE) {
		memstore_fail(s, STORE_REFUSED, "permission denied: this takes "
						"the operator's credential");
		return NULL;
	}
	if (!(mf = memstore_formation(h->db, formation)))
		memstore_fail(s, STORE_REFUSED, "formation %s does not exist",
			      formation);
	return mf;
}

/* An event about the formation's scheduled operations, recorded. */
static bool recorded(Store *s, const MemFormation *mf, const char *text)
{
	MemHandle *h = memstore_handle(s);

	policy_reset(&h->out);
	policy_event(&h->out, &mf->f, NULL, "", "", "%s", text);
	return memstore_outcome(s, STORE_OK, MEM_WAKE_MONITOR);
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
	MemFormation *mf = operator_formation(s, formation);
	MemStoreDb *db = memstore_handle(s)->db;

	if (!mf)
		return false;
	if (strcmp(op->what, "switchover") != 0 &&
	    strcmp(op->what, "restart") != 0)
		return memstore_fail(s, STORE_REFUSED, "only a switchover or a "
				     "restart can be scheduled");
	if (strcmp(op->what, "restart") == 0 && !op->node[0])
		return memstore_fail(s, STORE_REFUSED, "a scheduled restart "
				     "names its node");
	if (op->node[0] && memstore_node_index(mf, op->node) < 0)
		return memstore_fail(s, STORE_REFUSED, "no node %s in "
				     "formation %s", op->node, formation);
	if (mf->nsched >= STORE_MAX_SCHEDULED)
		return memstore_fail(s, STORE_REFUSED, "too many scheduled "
				     "operations");
	size_t at = mf->nsched;
	while (at > 0 && mf->sched[at - 1].at_ms > op->at_ms)
		at--;
	memmove(&mf->sched[at + 1], &mf->sched[at],
		(mf->nsched - at) * sizeof(mf->sched[0]));
	mf->sched[at] = *op;
	*id = mf->sched[at].id = ++db->last_sched_id;
	mf->nsched++;
	char text[96];
	snprintf(text, sizeof(text), "%s scheduled (id %lld)", op->what, *id);
	return recorded(s, mf, text);
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
	MemFormation *mf = operator_formation(s, formation);
	size_t i = 0;

	if (!mf)
		return false;
	if (strcmp(outcome, "done") != 0 && strcmp(outcome, "failed") != 0 &&
	    strcmp(outcome, "cancelled") != 0)
		return memstore_fail(s, STORE_REFUSED, "unknown outcome %s",
				     outcome);
	while (i < mf->nsched && mf->sched[i].id != id)
		i++;
	if (i == mf->nsched)
		return memstore_fail(s, STORE_REFUSED, "no pending scheduled "
				     "operation %lld in formation %s", id,
				     formation);
	char text[512];
	snprintf(text, sizeof(text), "scheduled %s (id %lld) %s%s%s",
		 mf->sched[i].what, id, outcome, why && why[0] ? ": " : "",
		 why ? why : "");
	memmove(&mf->sched[i], &mf->sched[i + 1],
		(mf->nsched - i - 1) * sizeof(mf->sched[0]));
	mf->nsched--;
	return recorded(s, mf, text);
}
