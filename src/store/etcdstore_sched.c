/*
 * etcdstore_sched.c - scheduled operations in the etcd store
 * (docs/etcd.md, key layout): each pending one is the key
 * <p>/f/<formation>/scheduled/<id>, its id drawn from the counter
 * <p>/schedid. store_schedule creates the key and store_end_scheduled
 * deletes it, each with its event in one transaction (es_change) that
 * compares the counter or the key as read; the rules are
 * storepolicy_sched.c's, as the in-memory driver's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/etcdstore_db.h"

typedef struct {
	StoreScheduled op;   /* schedule: the new one; end: the one ended */
	int64_t mod;         /* the counter's (schedule), the key's (end) */
	bool found;          /* end: a pending operation has the id */
	const char *outcome, *why;
	int64_t deadline;
} SchedArgs;

static char *op_json(const StoreScheduled *op)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:I}", "id",
			      (json_int_t)op->id, "what", op->what, "node",
			      op->node, "at_ms", (json_int_t)op->at_ms);
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	json_decref(j);
	return text;
}

/* One pending operation's kv into op; false when it is not one. */
static bool op_read(const json_t *kv, StoreScheduled *op)
{
	char *v = etcd_field(kv, "value");
	json_t *j = v ? json_loads(v, 0, NULL) : NULL;
	const char *what = json_string_value(json_object_get(j, "what"));
	const char *node = json_string_value(json_object_get(j, "node"));

	free(v);
	memset(op, 0, sizeof(*op));
	if (what && node) {
		op->id = json_integer_value(json_object_get(j, "id"));
		op->at_ms = json_integer_value(json_object_get(j, "at_ms"));
		snprintf(op->what, sizeof(op->what), "%s", what);
		snprintf(op->node, sizeof(op->node), "%s", node);
	}
	json_decref(j);
	return what && node && op->id > 0;
}

static int earliest_first(const void *a, const void *b)
{
	const StoreScheduled *x = a, *y = b;

	if (x->at_ms != y->at_ms)
		return x->at_ms < y->at_ms ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The formation's pending operations (every one: STORE_MAX_SCHEDULED
 * at most are written), earliest first, with their keys' revisions
 * in mods (NULL: not wanted); false with s->error. */
static bool pending(Store *s, const char *formation, StoreScheduled *out,
		    int64_t *mods, size_t *n, int64_t deadline)
{
	int64_t own[STORE_MAX_SCHEDULED];
	char key[512];
	json_t *kv;
	size_t i;

	*n = 0;
	mods = mods ? mods : own;
	es_key(es_handle(s), key, sizeof(key), "/f/%s/scheduled/", formation);
	json_t *a = es_call(s, "/v3/kv/range", etcd_range(key, true),
			    deadline);
	if (!a)
		return false;
	json_array_foreach(json_object_get(a, "kvs"), i, kv)
	{
		if (*n == STORE_MAX_SCHEDULED || !op_read(kv, &out[*n]))
			continue;
		mods[(*n)++] = etcd_int(kv, "mod_revision");
	}
	json_decref(a);
	/* few operations: an insertion sort, their revisions alongside */
	for (size_t j = 1; j < *n; j++) {
		for (size_t k = j; k > 0 &&
				   earliest_first(&out[k - 1], &out[k]) > 0;
		     k--) {
			StoreScheduled t = out[k];
			int64_t m = mods[k];
			out[k] = out[k - 1];
			mods[k] = mods[k - 1];
			out[k - 1] = t;
			mods[k - 1] = m;
		}
	}
	return true;
}

static StoreFailure do_schedule(Store *s, StoreFormation *f, void *arg)
{
	EtcdHandle *h = es_handle(s);
	SchedArgs *x = arg;
	StoreScheduled *ops = calloc(STORE_MAX_SCHEDULED, sizeof(*ops));
	char key[512];
	size_t n = 0;

	if (!ops)
		return policy_fail(&h->out, STORE_UNAVAILABLE, "out of memory");
	es_key(h, key, sizeof(key), "/schedid");
	json_t *a = pending(s, f->name, ops, NULL, &n, x->deadline)
			    ? es_call(s, "/v3/kv/range",
				      etcd_range(key, false), x->deadline)
			    : NULL;
	free(ops);
	if (!a)
		return policy_fail(&h->out, s->failure, "%s", s->error);
	char *last = es_value(a, -1, &x->mod);
	x->op.id = (last ? atoll(last) : 0) + 1;
	free(last);
	json_decref(a);
	return policy_schedule(f, &h->actor, &x->op, n, &h->out);
}

/* The counter and the new operation's key, written if the counter is
 * as read. */
static void add_op(Store *s, void *arg, json_t *cmp, json_t *ops)
{
	EtcdHandle *h = es_handle(s);
	SchedArgs *x = arg;
	char key[512], id[32];
	char *text = op_json(&x->op);

	es_key(h, key, sizeof(key), "/schedid");
	snprintf(id, sizeof(id), "%lld", x->op.id);
	json_array_append_new(cmp, etcd_cmp_int(key, "MOD", x->mod));
	json_array_append_new(ops, etcd_op_put(key, id, 0));
	es_key(h, key, sizeof(key), "/f/%s/scheduled/%lld", h->read[0].f.name,
	       x->op.id);
	json_array_append_new(cmp, etcd_cmp_int(key, "CREATE", 0));
	json_array_append_new(ops, etcd_op_put(key, text ? text : "{}", 0));
	free(text);
}

bool es_schedule(Store *s, const char *formation, const StoreScheduled *op,
		 long long *id)
{
	EtcdHandle *h = es_handle(s);
	SchedArgs x = {.op = *op, .deadline = es_begin(s)};

	if (policy_may_schedule(&h->actor, &h->out) != STORE_OK)
		return es_fail(s, STORE_REFUSED, "%s", h->out.why);
	if (!es_change(s, formation, STORE_REFUSED, do_schedule, &x, add_op))
		return false;
	*id = x.op.id;
	return true;
}

bool es_list_scheduled(Store *s, const char *formation, StoreScheduled *out,
		       size_t max, size_t *n)
{
	StoreScheduled *all = calloc(STORE_MAX_SCHEDULED, sizeof(*all));
	size_t got = 0;

	*n = 0;
	if (!all)
		return es_fail(s, STORE_UNAVAILABLE, "out of memory");
	bool ok = pending(s, formation, all, NULL, &got, es_begin(s));
	for (size_t i = 0; ok && i < got && *n < max; i++)
		out[(*n)++] = all[i];
	free(all);
	return ok;
}

static StoreFailure do_end(Store *s, StoreFormation *f, void *arg)
{
	EtcdHandle *h = es_handle(s);
	SchedArgs *x = arg;
	StoreScheduled *ops = calloc(STORE_MAX_SCHEDULED, sizeof(*ops));
	int64_t mods[STORE_MAX_SCHEDULED];
	size_t n = 0;

	if (!ops)
		return policy_fail(&h->out, STORE_UNAVAILABLE, "out of memory");
	if (!pending(s, f->name, ops, mods, &n, x->deadline)) {
		free(ops);
		return policy_fail(&h->out, s->failure, "%s", s->error);
	}
	x->found = false;
	for (size_t i = 0; i < n && !x->found; i++) {
		if (ops[i].id == x->op.id) {
			x->op = ops[i];
			x->mod = mods[i];
			x->found = true;
		}
	}
	free(ops);
	return policy_end_scheduled(f, &h->actor, x->found ? &x->op : NULL,
				    x->op.id, x->outcome, x->why, &h->out);
}

/* The operation's key goes, if it is as read. */
static void remove_op(Store *s, void *arg, json_t *cmp, json_t *ops)
{
	EtcdHandle *h = es_handle(s);
	SchedArgs *x = arg;
	char key[512];

	es_key(h, key, sizeof(key), "/f/%s/scheduled/%lld", h->read[0].f.name,
	       x->op.id);
	json_array_append_new(cmp, etcd_cmp_int(key, "MOD", x->mod));
	json_array_append_new(ops, etcd_op_delete(key, false));
}

bool es_end_scheduled(Store *s, const char *formation, long long id,
		      const char *outcome, const char *why)
{
	EtcdHandle *h = es_handle(s);
	SchedArgs x = {.op = {.id = id}, .outcome = outcome, .why = why,
		       .deadline = es_begin(s)};

	if (policy_may_schedule(&h->actor, &h->out) != STORE_OK)
		return es_fail(s, STORE_REFUSED, "%s", h->out.why);
	return es_change(s, formation, STORE_REFUSED, do_end, &x, remove_op);
}
