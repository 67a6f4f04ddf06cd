/*
 * pgstore_sched.c - scheduled operations in the postgres store (table
 * pgkeel.scheduled, pgstore_migrate_ops.c): written by the operator's
 * and the monitor's handles as storepolicy_sched.c rules them
 * (pgstore_change.c), read by every handle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pgstore.h"

typedef struct {
	StoreScheduled op;
	long long id;
	const char *outcome, *why;
} Sched;

/* Checked first, so that a refused operation draws no id. */
static StoreFailure do_schedule(Store *s, StoreFormation *f, void *arg)
{
	PgStore *p = pgstore_impl(s);
	Sched *x = arg;
	size_t pending = f->scheduled > 0 ? (size_t)f->scheduled : 0;
	StoreFailure r = policy_schedule(f, &p->actor, &x->op, pending,
					 &p->out);

	if (r != STORE_OK)
		return r;
	PGresult *res = pgstore_query(
		s, "SELECT nextval('pgkeel.scheduled_id_seq')", 0, NULL);
	if (!res)
		return pgstore_rule_io(s);
	x->op.id = x->id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	char id[24], at[24];
	const char *params[] = {id, f->name, x->op.what, x->op.node, at};
	snprintf(id, sizeof(id), "%lld", x->id);
	snprintf(at, sizeof(at), "%lld", (long long)x->op.at_ms);
	policy_reset(&p->out);
	r = policy_schedule(f, &p->actor, &x->op, pending, &p->out);
	if (r == STORE_OK &&
	    !pgstore_exec(s,
			  "INSERT INTO pgkeel.scheduled (id, formation, what,"
			  " node_name, at) VALUES ($1, $2, $3, $4,"
			  " to_timestamp($5::bigint / 1000.0))",
			  5, params))
		return pgstore_rule_io(s);
	return r;
}

bool pgstore_schedule(Store *s, const char *formation,
		      const StoreScheduled *op, long long *id)
{
	Sched x = {.op = *op};

	x.op.id = 0;
	if (!pgstore_change(s, formation, do_schedule, &x))
		return false;
	*id = x.id;
	return true;
}

bool pgstore_list_scheduled(Store *s, const char *formation,
			    StoreScheduled *out, size_t max, size_t *n)
{
	const char *params[] = {formation};
	PGresult *res = pgstore_query(
		s,
		"SELECT id, what, node_name,"
		" (extract(epoch FROM at) * 1000)::bigint"
		" FROM pgkeel.scheduled"
		" WHERE formation = $1 AND outcome IS NULL ORDER BY at, id",
		1, params);

	*n = 0;
	if (!res)
		return false;
	for (int i = 0; i < PQntuples(res) && *n < max; i++) {
		StoreScheduled *op = &out[(*n)++];
		memset(op, 0, sizeof(*op));
		op->id = atoll(PQgetvalue(res, i, 0));
		snprintf(op->what, sizeof(op->what), "%s",
			 PQgetvalue(res, i, 1));
		snprintf(op->node, sizeof(op->node), "%s",
			 PQgetvalue(res, i, 2));
		op->at_ms = atoll(PQgetvalue(res, i, 3));
	}
	PQclear(res);
	return true;
}

/* The pending operation of that id, or none (op->id 0). */
static bool read_pending(Store *s, const char *formation, long long id,
			 StoreScheduled *op)
{
	char idtext[24];
	const char *params[] = {formation, idtext};

	snprintf(idtext, sizeof(idtext), "%lld", id);
	PGresult *res = pgstore_query(
		s,
		"SELECT id, what, node_name FROM pgkeel.scheduled"
		" WHERE formation = $1 AND id = $2::bigint AND outcome IS NULL",
		2, params);
	memset(op, 0, sizeof(*op));
	if (!res)
		return false;
	if (PQntuples(res) == 1) {
		op->id = atoll(PQgetvalue(res, 0, 0));
		snprintf(op->what, sizeof(op->what), "%s",
			 PQgetvalue(res, 0, 1));
		snprintf(op->node, sizeof(op->node), "%s",
			 PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return true;
}

static StoreFailure do_end(Store *s, StoreFormation *f, void *arg)
{
	PgStore *p = pgstore_impl(s);
	const Sched *x = arg;
	StoreScheduled op;
	char id[24];
	const char *params[] = {id, x->outcome, x->why};

	if (!read_pending(s, f->name, x->id, &op))
		return pgstore_rule_io(s);
	StoreFailure r = policy_end_scheduled(f, &p->actor,
					      op.id ? &op : NULL, x->id,
					      x->outcome, x->why, &p->out);
	snprintf(id, sizeof(id), "%lld", x->id);
	if (r == STORE_OK &&
	    !pgstore_exec(s,
			  "UPDATE pgkeel.scheduled SET outcome = $2, why = $3"
			  " WHERE id = $1::bigint",
			  3, params))
		return pgstore_rule_io(s);
	return r;
}

bool pgstore_end_scheduled(Store *s, const char *formation, long long id,
			   const char *outcome, const char *why)
{
	Sched x = {.id = id, .outcome = outcome, .why = why ? why : ""};

	return pgstore_change(s, formation, do_end, &x);
}
