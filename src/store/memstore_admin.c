/*
 * memstore_admin.c - operator actions in the in-memory store: requests,
 * run-time settings, maintenance, dropping nodes, formation-wide
 * Postgres parameters, restarts and new passwords, each ruled by
 * storepolicy.h as the etcd driver's are.
 */
#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"
#include "store/memstore_db.h"

/* The formation of a call, or NULL after a refusal naming it (failure
 * f: STORE_REFUSED or STORE_NOT_FOUND as store.h says). */
static MemFormation *existing(Store *s, const char *formation,
			      StoreFailure f)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf;

	if (!memstore_call(s))
		return NULL;
	if (!(mf = memstore_formation(h->db, formation)))
		memstore_outcome(s,
				 policy_missing_formation(formation, f,
							  &h->out),
				 MEM_WAKE_MONITOR);
	return mf;
}

bool memstore_request(Store *s, const char *formation, const char *what,
		      const char *node_name)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf = existing(s, formation, STORE_REFUSED);

	if (!mf)
		return false;
	StoreFailure f =
		policy_request(&mf->f, &h->actor, what, node_name, &h->out);
	if (f == STORE_OK)
		mf->requested_ms = time_monotonic_ms();
	return memstore_outcome(s, f, MEM_WAKE_MONITOR);
}

bool memstore_set_setting(Store *s, const char *formation,
			  const char *node_name, const char *name,
			  const char *value)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf = existing(s, formation, STORE_REFUSED);

	if (!mf)
		return false;
	/* on a copy: a refused value changes nothing */
	StoreFormation *copy = &h->scratch;
	*copy = mf->f;
	StoreFailure f = policy_set_setting(copy, &h->actor, node_name, name,
					    value, &h->out);
	if (f == STORE_OK)
		mf->f = *copy;
	return memstore_outcome(s, f, MEM_WAKE_MONITOR);
}

bool memstore_set_maintenance(Store *s, const char *formation,
			      const char *node_name, bool on)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf = existing(s, formation, STORE_REFUSED);

	return mf && memstore_outcome(s,
				      policy_set_maintenance(&mf->f, &h->actor,
							     node_name, on,
							     &h->out),
				      MEM_WAKE_MONITOR);
}

bool memstore_drop_node(Store *s, const char *formation,
			const char *node_name)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf = existing(s, formation, STORE_REFUSED);

	return mf && memstore_outcome(s,
				      policy_drop_node(&mf->f, &h->actor,
						       node_name, &h->out),
				      MEM_WAKE_MONITOR);
}

bool memstore_set_pg_param(Store *s, const char *formation, const char *name,
			   const char *value, char *context, size_t len)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf = existing(s, formation, STORE_REFUSED);

	return mf && memstore_outcome(s,
				      policy_set_pg_param(&mf->f, &h->actor,
							  name, value, context,
							  len, &h->out),
				      MEM_WAKE_MONITOR);
}

bool memstore_request_restart(Store *s, const char *formation,
			      const char *node_name, long long *seq)
{
	MemHandle *h = memstore_handle(s);
	MemFormation *mf = existing(s, formation, STORE_REFUSED);

	return mf && memstore_outcome(s,
				      policy_request_restart(&mf->f, &h->actor,
							     node_name, seq,
							     &h->out),
				      MEM_WAKE_MONITOR);
}

/* As the postgres store's: a new password drawn, the keepers and the
 * monitor woken to apply it; the monitor's own handle alone. */
bool memstore_rotate_secret(Store *s, const char *formation,
			    const char *which)
{
	MemHandle *h = memstore_handle(s);
	StoreFailure f;
	MemFormation *mf;

	if (!memstore_call(s))
		return false;
	if ((f = policy_may_rotate(&h->actor, which, &h->out)) != STORE_OK)
		return memstore_outcome(s, f, MEM_WAKE_MONITOR);
	if (!(mf = existing(s, formation, STORE_NOT_FOUND)))
		return false;
	char *pw = which[0] == 'r' ? mf->f.repl_password
				   : mf->f.health_password;
	snprintf(pw, sizeof(mf->f.repl_password), "mem-%s-%lld", which,
		 (long long)time_monotonic_ms());
	policy_rotated(&mf->f, which, &h->out);
	memstore_notify(h->db, MEM_WAKE_KEEPERS);
	return memstore_outcome(s, STORE_OK, MEM_WAKE_MONITOR);
}
