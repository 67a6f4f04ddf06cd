/*
 * storepolicy_params.c - the rules of a formation's Postgres parameters
 * and backup settings (storepolicy.h): the operator's credential alone;
 * a parameter's name and value, its place among the formation's, and
 * the event; a backup setting's name and value. Whether Postgres takes
 * a parameter is for the driver to ask a Postgres first
 * (pg/pgparamcheck.h).
 */
#include <stdio.h>
#include <string.h>

#include "common/idents.h"
#include "store/storepolicy.h"

/* Without a Postgres to ask, a name in lower case and a value on one
 * line are all that is checked. */
static bool plausible_param(const char *name, const char *value)
{
	if (!name[0] || strspn(name, "abcdefghijklmnopqrstuvwxyz_0123456789") !=
				strlen(name))
		return false;
	return !value || (strlen(value) <= 255 && !strpbrk(value, "\r\n"));
}

/* The parameter's index in f, or f->nparams. */
static size_t param_at(const StoreFormation *f, const char *name)
{
	size_t i = 0;

	while (i < f->nparams && strcmp(f->params[i].name, name) != 0)
		i++;
	return i;
}

StoreFailure policy_set_pg_param(StoreFormation *f, const StoreActor *a,
				 const char *name, const char *value,
				 char *context, size_t len,
				 StorePolicyOut *out)
{
	char old[sizeof(f->params[0].value)] = "(unset)";
	size_t i = param_at(f, name);

	if (a->role == ACTOR_NODE)
		return policy_fail(out, STORE_REFUSED,
				   "permission denied: parameters take the "
				   "operator's credential");
	if (!plausible_param(name, value))
		return policy_fail(out, STORE_REFUSED,
				   "invalid value for postgresql.%s", name);
	if (value && i == f->nparams && f->nparams == STORE_MAX_PARAMS)
		return policy_fail(out, STORE_REFUSED,
				   "formation %s has %d Postgres parameters "
				   "already",
				   f->name, STORE_MAX_PARAMS);
	if (i < f->nparams)
		snprintf(old, sizeof(old), "%s", f->params[i].value);
	if (!value && i < f->nparams)
		f->params[i] = f->params[--f->nparams];
	if (value && i == f->nparams)
		f->nparams++;
	if (value) {
		snprintf(f->params[i].name, sizeof(f->params[i].name), "%s",
			 name);
		snprintf(f->params[i].value, sizeof(f->params[i].value), "%s",
			 value);
	}
	snprintf(context, len, "sighup"); /* unless a Postgres said */
	policy_event(out, f, NULL, "", "", "postgresql.%s changed from %s to %s",
		     name, old, value ? value : "(unset)");
	return STORE_OK;
}

StoreFailure policy_set_backup(StoreFormation *f, const StoreActor *a,
			       const char *name, const char *value,
			       StorePolicyOut *out)
{
	char old[sizeof(f->pgbackrest_stanza)];
	const char *v = value ? value : "";

	if (a->role == ACTOR_NODE)
		return policy_fail(out, STORE_REFUSED,
				   "permission denied: backup settings take "
				   "the operator's credential");
	if (strcmp(name, "backup.pgbackrest_stanza") != 0)
		return policy_fail(out, STORE_REFUSED, "unknown setting %s",
				   name);
	if (v[0] && !name_is_valid(v))
		return policy_fail(out, STORE_REFUSED,
				   "%s must be a name: letters, digits, _ and - "
				   "(at most 63)",
				   name);
	snprintf(old, sizeof(old), "%s", f->pgbackrest_stanza);
	snprintf(f->pgbackrest_stanza, sizeof(f->pgbackrest_stanza), "%s", v);
	policy_event(out, f, NULL, "", "", "%s changed from %s to %s", name,
		     old[0] ? old : "(unset)", v[0] ? v : "(unset)");
	return STORE_OK;
}
