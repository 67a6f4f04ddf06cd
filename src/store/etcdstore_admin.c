/*
 * etcdstore_admin.c - the operator's actions and the monitor's apply in
 * the etcd store: each reads the formation, lets a rule of
 * storepolicy.h change a copy, and writes the difference back in one
 * transaction, again from the start when another writer came first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/passfile.h"
#include "common/timeutil.h"
#include "store/etcdcodec.h"
#include "store/etcdstore_db.h"
#include "store/storeparam.h"

static bool still_leading(Store *s, int64_t term);

bool es_change(Store *s, const char *formation, StoreFailure missing,
	       EsRule rule, void *arg, EsExtra extra)
{
	EtcdHandle *h = es_handle(s);
	int64_t deadline = es_begin(s);
	char name[1][STORE_NAME_LEN];
	EtcdFormation *was = &h->read[0];
	StoreFormation *now = &h->read[1].f;

	snprintf(name[0], STORE_NAME_LEN, "%s", formation);
	for (int i = 0; i < ES_RETRIES; i++) {
		policy_reset(&h->out);
		if (!es_read(s, (const char(*)[STORE_NAME_LEN])name, 1, was,
			     deadline))
			return false;
		if (!was->exists)
			return es_fail(s,
				       policy_missing_formation(
					       formation, missing, &h->out),
				       "%s", h->out.why);
		*now = was->f;
		h->read[1].requested_ms = was->requested_ms;
		StoreFailure f = rule(s, now, arg);
		if (f != STORE_OK)
			return es_fail(s, f, "%s", h->out.why);
		json_t *cmp = json_array(), *ops = json_array();
		if (extra)
			extra(s, arg, cmp, ops);
		int done = es_write(s, was, now, h->read[1].requested_ms, cmp,
				    ops, deadline);
		if (done != 0)
			return done > 0;
		/* a fenced write loses every race: say so at once */
		if ((extra == es_fence && !still_leading(s, h->term)) ||
		    time_monotonic_ms() >= deadline)
			break;
	}
	if (s->failure != STORE_OK) /* fenced, or etcd stopped answering */
		return false;
	return es_fail(s, STORE_UNAVAILABLE,
		       "the formation kept changing under this write");
}

typedef struct {
	const char *a, *b, *c;
	bool on;
	long long *seq;
	char *context;
	size_t len;
} Args;

static StoreFailure do_request(Store *s, StoreFormation *f, void *arg)
{
	EtcdHandle *h = es_handle(s);
	const Args *x = arg;
	StoreFailure r = policy_request(f, &h->actor, x->a, x->b, &h->out);

	if (r == STORE_OK)
		h->read[1].requested_ms = time_wall_ms();
	return r;
}

/* A node's credential may not write the formation's config: the same
 * rule, then its request goes to its own r/handover (docs/etcd.md). */
static StoreFailure do_handover(Store *s, StoreFormation *f, void *arg)
{
	EtcdHandle *h = es_handle(s);
	const Args *x = arg;
	StoreFailure r = policy_request(f, &h->actor, x->a, x->b, &h->out);

	f->switchover_to = h->read[0].f.switchover_to; /* none pending */
	return r;
}

/* Its key, written while the config (so no other request) is as read. */
static void put_handover(Store *s, void *arg, json_t *cmp, json_t *ops)
{
	EtcdHandle *h = es_handle(s);
	const EtcdFormation *was = &h->read[0];
	char key[512], *text = ec_handover_json(time_wall_ms());
	int64_t mod = 0;

	(void)arg;
	for (size_t i = 0; i < was->f.nnodes; i++) {
		if (was->f.nodes[i].id == h->actor.node_id)
			mod = was->handover_mod[i];
	}
	es_key(h, key, sizeof(key), "/f/%s/config", was->f.name);
	json_array_append_new(cmp, etcd_cmp_int(key, "MOD", was->config_mod));
	es_key(h, key, sizeof(key), "/f/%s/nodes/%d/r/handover", was->f.name,
	       h->actor.node_id);
	json_array_append_new(cmp, etcd_cmp_int(key, "MOD", mod));
	json_array_append_new(ops, etcd_op_put(key, text ? text : "{}", 0));
	free(text);
}

bool es_request(Store *s, const char *formation, const char *what,
		const char *node_name)
{
	Args x = {.a = what, .b = node_name};

	if (es_handle(s)->actor.role == ACTOR_NODE)
		return es_change(s, formation, STORE_REFUSED, do_handover, &x,
				 put_handover);
	return es_change(s, formation, STORE_REFUSED, do_request, &x, NULL);
}

static StoreFailure do_setting(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	return policy_set_setting(f, &es_handle(s)->actor, x->a, x->b, x->c,
				  &es_handle(s)->out);
}

bool es_set_setting(Store *s, const char *formation, const char *node_name,
		    const char *name, const char *value)
{
	Args x = {.a = node_name, .b = name, .c = value};
	return es_change(s, formation, STORE_REFUSED, do_setting, &x, NULL);
}

static StoreFailure do_maintenance(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	return policy_set_maintenance(f, &es_handle(s)->actor, x->a, x->on,
				      &es_handle(s)->out);
}

bool es_set_maintenance(Store *s, const char *formation,
			const char *node_name, bool on)
{
	Args x = {.a = node_name, .on = on};
	return es_change(s, formation, STORE_REFUSED, do_maintenance, &x, NULL);
}

static StoreFailure do_drop(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	return policy_drop_node(f, &es_handle(s)->actor, x->a,
				&es_handle(s)->out);
}

bool es_drop_node(Store *s, const char *formation, const char *node_name)
{
	Args x = {.a = node_name};
	EtcdHandle *h = es_handle(s);

	if (!es_change(s, formation, STORE_REFUSED, do_drop, &x, NULL))
		return false;
	/* the operator's drop takes the node's etcd credential away */
	const StoreNode *n = store_formation_node_named(&h->read[1].f,
							node_name);
	return h->actor.role == ACTOR_NODE || !n ||
	       es_rbac_drop_node(s, n->id, es_begin(s));
}

static StoreFailure do_pg_param(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	return policy_set_pg_param(f, &es_handle(s)->actor, x->a, x->b,
				   x->context, x->len, &es_handle(s)->out);
}

/* etcd keeps no Postgres to check a parameter in: the formation's
 * primary checks it first (storeparam.h), and says its context. */
bool es_set_pg_param(Store *s, const char *formation, const char *name,
		     const char *value, char *context, size_t len)
{
	char checked[64];
	Args x = {.a = name, .b = value, .context = context, .len = len};

	if (!storeparam_check(s, formation, name, value, checked,
			      sizeof(checked)) ||
	    !es_change(s, formation, STORE_REFUSED, do_pg_param, &x, NULL))
		return false;
	snprintf(context, len, "%s", checked);
	return true;
}

static StoreFailure do_restart(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	return policy_request_restart(f, &es_handle(s)->actor, x->a, x->seq,
				      &es_handle(s)->out);
}

bool es_request_restart(Store *s, const char *formation,
			const char *node_name, long long *seq)
{
	Args x = {.a = node_name, .seq = seq};
	return es_change(s, formation, STORE_REFUSED, do_restart, &x, NULL);
}

static StoreFailure do_reinit(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	return policy_request_reinit(f, &es_handle(s)->actor, x->a, x->seq,
				     &es_handle(s)->out);
}

bool es_request_reinit(Store *s, const char *formation,
		       const char *node_name, long long *seq)
{
	Args x = {.a = node_name, .seq = seq};
	return es_change(s, formation, STORE_REFUSED, do_reinit, &x, NULL);
}

static StoreFailure do_rotate(Store *s, StoreFormation *f, void *arg)
{
	const Args *x = arg;
	char *pw = x->a[0] == 'r' ? f->repl_password : f->health_password;

	if (!passfile_random_password(pw, 33))
		return policy_fail(&es_handle(s)->out, STORE_UNAVAILABLE,
				   "no randomness for a new password");
	policy_rotated(f, x->a, &es_handle(s)->out);
	return STORE_OK;
}

bool es_rotate_secret(Store *s, const char *formation, const char *which)
{
	EtcdHandle *h = es_handle(s);
	Args x = {.a = which};
	StoreFailure f = policy_may_rotate(&h->actor, which, &h->out);

	if (f != STORE_OK)
		return es_fail(s, f, "%s", h->out.why);
	return es_change(s, formation, STORE_NOT_FOUND, do_rotate, &x, NULL);
}

typedef struct {
	const StoreDecision *d;
	size_t nd;
	const StoreNodeView *views;
	size_t nviews;
	const char *health;
	bool clear;
} ApplyArgs;

static StoreFailure do_apply(Store *s, StoreFormation *f, void *arg)
{
	const ApplyArgs *x = arg;
	EtcdHandle *h = es_handle(s);
	int64_t age = time_wall_ms() - h->read[0].requested_ms;

	policy_apply(f, age < 0 ? 0 : age, x->d, x->nd, x->views, x->nviews,
		     x->health, x->clear, &h->out);
	return STORE_OK;
}

void es_fence(Store *s, void *arg, json_t *cmp, json_t *ops)
{
	EtcdHandle *h = es_handle(s);
	char key[512], term[32];

	(void)arg;
	(void)ops;
	es_key(h, key, sizeof(key), "/leader");
	json_array_append_new(cmp,
			      etcd_cmp_int(key, "CREATE", h->leader_rev));
	es_key(h, key, sizeof(key), "/term");
	snprintf(term, sizeof(term), "%lld", (long long)h->term);
	json_array_append_new(cmp, etcd_cmp_value(key, term));
}

/* Whether the lease is still this handle's at its term: false with
 * s->failure STORE_FENCED when not (or s->error when etcd cannot say). */
static bool still_leading(Store *s, int64_t term)
{
	EtcdHandle *h = es_handle(s);
	json_t *cmp = json_array();

	if (term != h->term || !h->leader_rev)
		return es_fail(s, STORE_FENCED,
			       "fenced: this monitor's term %lld is not the "
			       "lease's current one",
			       (long long)term);
	es_fence(s, NULL, cmp, NULL);
	json_t *a = es_txn(s, cmp, NULL, NULL, es_begin(s));
	bool ok = a && json_is_true(json_object_get(a, "succeeded"));
	if (a && !ok) {
		es_fail(s, STORE_FENCED,
			"fenced: another monitor took the lease after term "
			"%lld",
			(long long)term);
		h->leader_rev = h->term = 0; /* the next acquire tries anew */
		h->listed = false; /* and lists itself standing by */
	}
	json_decref(a);
	return ok;
}

/* Keeps the formation's ES_MAX_EVENTS latest events (and up to 50
 * more between trims): the oldest go. Best effort: a failure leaves
 * them for the next trim. */
static void trim_events(Store *s, const char *formation)
{
	EtcdHandle *h = es_handle(s);
	int64_t deadline = es_begin(s);
	char key[512], end[512];

	es_key(h, key, sizeof(key), "/f/%s/events/", formation);
	json_t *body = etcd_range(key, true);
	json_object_set_new(body, "count_only", json_true());
	json_t *a = es_call(s, "/v3/kv/range", body, deadline);
	int64_t extra = etcd_int(a, "count") - ES_MAX_EVENTS;
	json_decref(a);
	if (extra <= 50)
		return;
	body = etcd_range(key, true);
	json_object_set_new(body, "keys_only", json_true());
	json_object_set_new(body, "limit", json_integer(extra));
	a = es_call(s, "/v3/kv/range", body, deadline);
	json_t *kvs = json_object_get(a, "kvs");
	char *last = etcd_field(json_array_get(kvs, json_array_size(kvs) - 1),
				"key");
	if (last && last[0] && etcd_prefix_end(last, end, sizeof(end))) {
		body = json_pack("{s:o, s:o}", "key",
				 etcd_b64(key, strlen(key)), "range_end",
				 etcd_b64(end, strlen(end)));
		json_decref(es_call(s, "/v3/kv/deleterange", body, deadline));
	}
	free(last);
	json_decref(a);
}

bool es_apply(Store *s, int64_t term, const char *formation,
	      const StoreDecision *d, size_t nd, const StoreNodeView *views,
	      size_t nviews, const char *health, bool clear_requests)
{
	EtcdHandle *h = es_handle(s);
	ApplyArgs x = {d, nd, views, nviews, health, clear_requests};
	StoreFailure f = policy_may_lead(&h->actor, "writes decisions",
					 &h->out);

	if (f != STORE_OK)
		return es_fail(s, f, "%s", h->out.why);
	if (!still_leading(s, term))
		return false;
	bool ok = es_change(s, formation, STORE_REFUSED, do_apply, &x,
			    es_fence);
	if (!ok && s->failure == STORE_REFUSED) /* as an UPDATE of no row */
		return true;
	if (ok && ++h->applies % 16 == 0) {
		trim_events(s, formation);
		s->failure = STORE_OK; /* the apply succeeded all the same */
		s->error[0] = '\0';
	}
	return ok;
}
