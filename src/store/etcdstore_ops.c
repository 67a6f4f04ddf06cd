/*
 * etcdstore_ops.c - what keepers and `pgkeel show` ask of the etcd
 * store: register, report, read a formation and its events, by the
 * shared rules of storepolicy.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/passfile.h"
#include "common/timeutil.h"
#include "store/etcdcodec.h"
#include "store/etcdstore_db.h"

#define ES_MAX_FORMATIONS 64

bool es_last_id(Store *s, int64_t *id, int64_t *mod, int64_t deadline)
{
	char key[512];

	es_key(es_handle(s), key, sizeof(key), "/nodeid");
	json_t *a = es_call(s, "/v3/kv/range", etcd_range(key, false),
			    deadline);
	char *v = a ? es_value(a, -1, mod) : NULL;

	*id = v ? atoll(v) : 0;
	if (!v)
		*mod = 0;
	free(v);
	json_decref(a);
	return a != NULL;
}

/* Every formation (reg's among them, maybe new: the last one). */
static EtcdFormation *read_all(Store *s, const char *target, size_t *n,
			       int64_t deadline)
{
	char(*names)[STORE_NAME_LEN] = calloc(ES_MAX_FORMATIONS + 1,
					      STORE_NAME_LEN);
	EtcdFormation *all = NULL;
	size_t i = 0;

	if (!names || !es_names(s, names, ES_MAX_FORMATIONS, n, deadline) ||
	    !(all = calloc(*n + 1, sizeof(*all)))) {
		if (names && !all && s->failure == STORE_OK)
			es_fail(s, STORE_UNAVAILABLE, "out of memory");
		free(names);
		return NULL;
	}
	while (i < *n && strcmp(names[i], target) != 0)
		i++;
	if (i == *n)
		snprintf(names[(*n)++], STORE_NAME_LEN, "%s", target);
	bool ok = es_read(s, (const char(*)[STORE_NAME_LEN])names, *n, all,
			  deadline);
	free(names);
	if (!ok)
		free(all);
	return ok ? all : NULL;
}

/* One attempt: 1 registered, 0 lost a race, -1 failed or refused. */
static int try_register(Store *s, const NodeRegistration *reg,
			RegisteredNode *out, int64_t deadline)
{
	EtcdHandle *h = es_handle(s);
	int64_t last, mod;
	size_t n = 0, t = 0;
	char name[STORE_NAME_LEN], key[512], id[32];
	StoreFailure f = STORE_OK;

	if (!es_last_id(s, &last, &mod, deadline))
		return -1;
	EtcdFormation *all = read_all(s, reg->formation, &n, deadline);
	if (!all)
		return -1;
	policy_node_name(reg, (int)last + 1, name, sizeof(name));
	for (size_t i = 0; i < n && f == STORE_OK; i++) {
		if (strcmp(all[i].f.name, reg->formation) == 0)
			t = i;
		if (all[i].exists || strcmp(all[i].f.name, reg->formation))
			f = policy_check_registration(&all[i].f, reg, name,
						      &h->out);
	}
	StoreFormation *now = &h->read[1].f;
	*now = all[t].f;
	if (f == STORE_OK && !all[t].exists &&
	    (!passfile_random_password(now->repl_password, 33) ||
	     !passfile_random_password(now->health_password, 33)))
		f = policy_fail(&h->out, STORE_UNAVAILABLE,
				"no randomness for the formation's passwords");
	if (f == STORE_OK)
		f = policy_add_node(now, reg, (int)last + 1, name, &h->out);
	if (f != STORE_OK) {
		free(all);
		return es_fail(s, f, "%s", h->out.why) ? 0 : -1;
	}
	json_t *cmp = json_array(), *ops = json_array();
	es_key(h, key, sizeof(key), "/nodeid");
	json_array_append_new(cmp, etcd_cmp_int(key, "MOD", mod));
	snprintf(id, sizeof(id), "%lld", (long long)last + 1);
	json_array_append_new(ops, etcd_op_put(key, id, 0));
	es_key(h, key, sizeof(key), "/formations/%s", reg->formation);
	json_array_append_new(ops, etcd_op_put(key, "", 0));
	int done = es_write(s, &all[t], now, all[t].requested_ms, cmp, ops,
			    deadline);
	free(all);
	if (done == 1) {
		out->node_id = (int)last + 1;
		snprintf(out->name, sizeof(out->name), "%s", name);
		if (!passfile_random_password(out->secret, 33))
			return es_fail(s, STORE_UNAVAILABLE, "no randomness")
				       ? 0 : -1;
		if (!es_rbac_add_node(s, reg->formation, out->node_id,
				      out->secret, deadline))
			return -1;
	}
	return done;
}

bool es_register_node(Store *s, const NodeRegistration *reg,
		      RegisteredNode *out)
{
	EtcdHandle *h = es_handle(s);
	int64_t deadline = es_begin(s);
	StoreFailure f = policy_may_register(&h->actor, &h->out);

	if (f != STORE_OK)
		return es_fail(s, f, "%s", h->out.why);
	for (int i = 0; i < ES_RETRIES; i++) {
		int done = try_register(s, reg, out, deadline);
		if (done)
			return done > 0;
		if (time_monotonic_ms() >= deadline)
			break;
	}
	return es_fail(s, STORE_UNAVAILABLE,
		       "registration kept losing races with other writers");
}

bool es_node_formation(Store *s, int id, int64_t deadline)
{
	EtcdHandle *h = es_handle(s);
	char key[512];

	if (h->node_formation[0])
		return true;
	es_key(h, key, sizeof(key), "/node/%d", id);
	json_t *a = es_call(s, "/v3/kv/range", etcd_range(key, false),
			    deadline);
	char *v = a ? es_value(a, -1, NULL) : NULL;
	json_t *j = v ? json_loads(v, 0, NULL) : NULL;
	const char *name = json_string_value(json_object_get(j, "formation"));
	if (name)
		snprintf(h->node_formation, sizeof(h->node_formation), "%s",
			 name);
	json_decref(j);
	free(v);
	json_decref(a);
	return a != NULL;
}

static json_t *exists_cmp(const char *key)
{
	return json_pack("{s:o, s:s, s:s, s:s}", "key",
			 etcd_b64(key, strlen(key)), "target", "CREATE",
			 "result", "GREATER", "create_revision", "0");
}

bool es_report(Store *s, int node_id, const NodeReport *r)
{
	EtcdHandle *h = es_handle(s);
	int64_t deadline = es_begin(s);
	StoreFormation *mine = &h->read[0].f;
	char key[512], alive[64];

	mine->nnodes = 0;
	if (h->actor.role == ACTOR_NODE && h->actor.node_id == node_id) {
		if (!es_node_formation(s, node_id, deadline))
			return false;
		mine->nodes[0].id = node_id;
		mine->nnodes = h->node_formation[0] ? 1 : 0;
	}
	StoreFailure f = policy_may_report(&h->actor, mine, node_id, &h->out);
	if (f != STORE_OK)
		return es_fail(s, f, "%s", h->out.why);
	char *text = ec_report_json(r);
	json_t *cmp = json_array(), *ops = json_array();
	es_key(h, key, sizeof(key), "/f/%s/nodes/%d/spec", h->node_formation,
	       node_id);
	json_array_append_new(cmp, exists_cmp(key));
	es_key(h, key, sizeof(key), "/f/%s/nodes/%d/r/", h->node_formation,
	       node_id);
	size_t base = strlen(key);
	snprintf(key + base, sizeof(key) - base, "alive");
	snprintf(alive, sizeof(alive), "{\"wall_ms\":%lld}",
		 (long long)time_wall_ms());
	json_array_append_new(ops, etcd_op_put(key, alive, 0));
	bool changed = text && (!h->last_report ||
				strcmp(h->last_report, text) != 0);
	snprintf(key + base, sizeof(key) - base, "report");
	if (changed)
		json_array_append_new(ops, etcd_op_put(key, text, 0));
	json_t *a = es_txn(s, cmp, ops, NULL, deadline);
	bool ok = a && json_is_true(json_object_get(a, "succeeded"));
	if (ok && changed) {
		free(h->last_report);
		h->last_report = text;
		text = NULL;
	}
	free(text);
	json_decref(a);
	if (a && !ok) {
		h->node_formation[0] = '\0';
		policy_may_report(&h->actor, NULL, node_id, &h->out);
		return es_fail(s, STORE_REFUSED, "%s", h->out.why);
	}
	return ok;
}

bool es_get_formation(Store *s, const char *formation, StoreFormation *out)
{
	EtcdHandle *h = es_handle(s);
	int64_t deadline = es_begin(s);
	char name[1][STORE_NAME_LEN];

	memset(out, 0, sizeof(*out));
	snprintf(name[0], STORE_NAME_LEN, "%s", formation);
	if (!es_read(s, (const char(*)[STORE_NAME_LEN])name, 1, &h->read[0],
		     deadline))
		return false;
	if (!h->read[0].exists)
		return es_fail(s,
			       policy_missing_formation(formation,
							STORE_NOT_FOUND,
							&h->out),
			       "%s", h->out.why);
	*out = h->read[0].f;
	return true;
}

bool es_list_formations(Store *s, char (*names)[STORE_NAME_LEN], size_t max,
			size_t *n)
{
	return es_names(s, names, max, n, es_begin(s));
}

bool es_events(Store *s, const char *formation, int count, StoreEvent *out,
	       size_t *n)
{
	EtcdHandle *h = es_handle(s);
	int64_t deadline = es_begin(s);
	char key[512];
	json_t *kv;
	size_t i;

	*n = 0;
	es_key(h, key, sizeof(key), "/f/%s/events/", formation);
	json_t *body = etcd_range(key, true);
	json_object_set_new(body, "sort_order", json_string("DESCEND"));
	json_object_set_new(body, "sort_target", json_string("KEY"));
	json_object_set_new(body, "limit", json_integer(count));
	json_t *a = es_call(s, "/v3/kv/range", body, deadline);
	if (!a)
		return false;
	json_t *kvs = json_object_get(a, "kvs");
	size_t got = json_array_size(kvs);
	json_array_foreach(kvs, i, kv)
	{
		char *v = etcd_field(kv, "value");
		if (v && ec_event_read(&out[got - 1 - i], v))
			(*n)++;
		free(v);
	}
	if (*n != got) /* an unreadable event: keep those read, in order */
		*n = 0;
	json_decref(a);
	return true;
}
