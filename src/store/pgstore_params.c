/*
 * pgstore_params.c - formation-wide Postgres parameters and backup
 * settings in the postgres store, ruled by storepolicy_params.c
 * (pgstore_change.c); a parameter checked first against the monitor's
 * own Postgres (pg/pgparamcheck.h), as the etcd driver checks it
 * against the formation's primary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg/pgparamcheck.h"
#include "store/pgstore.h"

typedef struct {
	const char *name, *value;
	char *context;
	size_t len;
} ParamArgs;

static StoreFailure do_pg_param(Store *s, StoreFormation *f, void *arg)
{
	const ParamArgs *x = arg;
	PgStore *p = pgstore_impl(s);

	return policy_set_pg_param(f, &p->actor, x->name, x->value,
				   x->context, x->len, &p->out);
}

/* Whether the monitor's Postgres takes name = value (pgparamcheck.h),
 * asked on the store's own connection before the change's transaction
 * (the check runs and rolls back one of its own); its context. */
static bool check_param(Store *s, const char *name, const char *value,
			char *context, size_t len)
{
	PgStore *p = pgstore_impl(s);
	char err[1024];

	if (!pgstore_connected(s))
		return false;
	if (pg_param_check(&p->pc, name, value, context, len, err,
			   sizeof(err)))
		return true;
	if (PQstatus(p->pc.conn) != CONNECTION_OK) {
		pg_disconnect(&p->pc);
		return store_fail(s, STORE_UNAVAILABLE, "%s", err);
	}
	return store_fail(s, STORE_REFUSED, "%s", err);
}

/* A node's credential is refused by the rule, before any check. */
bool pgstore_set_pg_param(Store *s, const char *formation, const char *name,
			  const char *value, char *context, size_t len)
{
	char checked[64] = "";
	ParamArgs x = {name, value, context, len};

	if (pgstore_impl(s)->actor.role != ACTOR_NODE &&
	    !check_param(s, name, value, checked, sizeof(checked)))
		return false;
	if (!pgstore_change(s, formation, do_pg_param, &x))
		return false;
	snprintf(context, len, "%s", checked);
	return true;
}

static StoreFailure do_backup(Store *s, StoreFormation *f, void *arg)
{
	const ParamArgs *x = arg;
	PgStore *p = pgstore_impl(s);

	return policy_set_backup(f, &p->actor, x->name, x->value, &p->out);
}

bool pgstore_set_backup(Store *s, const char *formation, const char *name,
			const char *value)
{
	ParamArgs x = {.name = name, .value = value};

	return pgstore_change(s, formation, do_backup, &x);
}
