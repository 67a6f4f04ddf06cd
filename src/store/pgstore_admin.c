/*
 * pgstore_admin.c - the operator's requests, run-time settings,
 * maintenance, drops and restarts in the postgres store, each ruled by
 * storepolicy.h as the other drivers' are (pgstore_change.c). A data
 * node's own credential puts its own node in maintenance, drops it or
 * hands over its own primary role through the store's functions
 * pgkeel.set_maintenance, pgkeel.drop_node and pgkeel.request
 * (pgstore_schema_operator.c), which check whose credential calls: the
 * boundary between nodes stays in the store.
 */
#include <stdio.h>
#include <stdlib.h>

#include "store/pgstore.h"

static bool is_node(Store *s)
{
	return pgstore_impl(s)->actor.role == ACTOR_NODE;
}

typedef struct {
	const char *a, *b, *c;
	bool on;
	long long *seq;
} Args;

static StoreFailure do_request(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	PgStore *p = pgstore_impl(s);

	return policy_request(f, &p->actor, x->a, x->b, &p->out);
}

bool pgstore_request(Store *s, const char *formation, const char *what,
		     const char *node_name)
{
	const char *params[] = {formation, what, node_name ? node_name : ""};
	Args x = {.a = what, .b = node_name ? node_name : ""};

	if (is_node(s))
		return pgstore_exec(s, "SELECT pgkeel.request($1, $2, $3)", 3,
				    params);
	return pgstore_change(s, formation, do_request, &x);
}

static StoreFailure do_setting(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	PgStore *p = pgstore_impl(s);

	return policy_set_setting(f, &p->actor, x->a, x->b, x->c, &p->out);
}

bool pgstore_set_setting(Store *s, const char *formation,
			 const char *node_name, const char *name,
			 const char *value)
{
	Args x = {.a = node_name ? node_name : "", .b = name, .c = value};

	return pgstore_change(s, formation, do_setting, &x);
}

static StoreFailure do_maintenance(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	PgStore *p = pgstore_impl(s);

	return policy_set_maintenance(f, &p->actor, x->a, x->on, &p->out);
}

bool pgstore_set_maintenance(Store *s, const char *formation,
			     const char *node_name, bool on)
{
	const char *params[] = {formation, node_name, on ? "t" : "f"};
	Args x = {.a = node_name, .on = on};

	if (is_node(s))
		return pgstore_exec(s,
				    "SELECT pgkeel.set_maintenance($1, $2, $3)",
				    3, params);
	return pgstore_change(s, formation, do_maintenance, &x);
}

static StoreFailure do_drop(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	PgStore *p = pgstore_impl(s);

	return policy_drop_node(f, &p->actor, x->a, &p->out);
}

bool pgstore_drop_node(Store *s, const char *formation, const char *node_name)
{
	const char *params[] = {formation, node_name};
	Args x = {.a = node_name};

	if (is_node(s))
		return pgstore_exec(s, "SELECT pgkeel.drop_node($1, $2)", 2,
				    params);
	return pgstore_change(s, formation, do_drop, &x);
}

static StoreFailure do_restart(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	PgStore *p = pgstore_impl(s);

	return policy_request_restart(f, &p->actor, x->a, x->seq, &p->out);
}

bool pgstore_request_restart(Store *s, const char *formation,
			     const char *node_name, long long *seq)
{
	Args x = {.a = node_name, .seq = seq};

	return pgstore_change(s, formation, do_restart, &x);
}

static StoreFailure do_reinit(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	PgStore *p = pgstore_impl(s);

	return policy_request_reinit(f, &p->actor, x->a, x->seq, &p->out);
}

bool pgstore_request_reinit(Store *s, const char *formation,
			    const char *node_name, long long *seq)
{
	Args x = {.a = node_name, .seq = seq};

	return pgstore_change(s, formation, do_reinit, &x);
}
