/*
 * etcdstore.c - the etcd store driver (etcdstore.h): handles, waiting on
 * a watch, the monitors' lease and the driver's table.
 *
 * The lease is an etcd lease of lease_ttl seconds kept alive by the
 * holder's acquire calls (every third of the TTL at most); <p>/leader,
 * attached to it, names the holder and its term; <p>/term counts terms
 * and is never deleted. A new holder creates <p>/leader only when absent
 * and bumps <p>/term in the same transaction; apply compares both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "store/etcdstore_db.h"
#include "store/store_driver.h"

/* What wakes this handle: not its own writes. */
static bool filter(const char *key, int64_t mod, void *arg)
{
	EtcdHandle *h = arg;

	for (size_t i = 0; i < 16 && i < h->nown; i++) {
		if (h->own_rev[i] == mod)
			return false;
	}
	return es_wakes(h, key, h->actor.role == ACTOR_MONITOR);
}

/* A cheap call: true when etcd answers (the token renewed when it had
 * expired), false with s->error. */
static bool ping(Store *s)
{
	char key[512];

	es_key(es_handle(s), key, sizeof(key), "/term");
	json_t *body = etcd_range(key, false);
	json_object_set_new(body, "count_only", json_true());
	json_t *a = es_call(s, "/v3/kv/range", body, es_begin(s));
	json_decref(a);
	return a != NULL;
}

static bool es_wait(Store *s, int timeout_ms)
{
	EtcdHandle *h = es_handle(s);
	char key[512];

	/* the watch starts from the handle's first answer, with a token */
	if ((!h->first_rev || !etcd_client_ready(h->client)) && !ping(s))
		return false;
	if (!h->watch) {
		/* the formations, and the lease's key for a monitor */
		es_key(h, key, sizeof(key), "/");
		h->watch = etcd_watch_new(h->client, key, h->first_rev + 1,
					  filter, h);
		if (!h->watch)
			return es_fail(s, STORE_UNAVAILABLE, "out of memory");
	}
	int got = etcd_watch_wait(h->watch, timeout_ms, s->wake_fd);
	/* a lost watch: a call that answers (and renews an expired token)
	 * says the store is there, and the next wait watches again */
	return got >= 0 || ping(s);
}

static void es_set_deadline(Store *s, int64_t deadline_ms)
{
	es_handle(s)->deadline_ms = deadline_ms;
}

/* Keeps the handle's etcd lease alive, or forgets it once etcd did. */
static bool keep_alive(Store *s, int64_t deadline)
{
	EtcdHandle *h = es_handle(s);
	int64_t now = time_monotonic_ms();
	char id[32];

	if (!h->lease_id || now - h->kept_alive_ms < h->lease_ttl_s * 1000 / 3)
		return true;
	snprintf(id, sizeof(id), "%lld", (long long)h->lease_id);
	json_t *a = es_call(s, "/v3/lease/keepalive",
			    json_pack("{s:s}", "ID", id), deadline);
	if (!a)
		return false;
	if (etcd_int(json_object_get(a, "result"), "TTL") > 0) {
		h->kept_alive_ms = now;
	} else { /* expired: the keys on it are gone */
		h->lease_id = h->leader_rev = h->term = 0;
		h->listed = false;
	}
	json_decref(a);
	return true;
}

static bool grant(Store *s, int64_t deadline)
{
	EtcdHandle *h = es_handle(s);

	if (h->lease_id)
		return true;
	json_t *a = es_call(s, "/v3/lease/grant",
			    json_pack("{s:i}", "TTL", h->lease_ttl_s),
			    deadline);
	if (!a)
		return false;
	h->lease_id = etcd_int(a, "ID");
	h->kept_alive_ms = time_monotonic_ms();
	json_decref(a);
	return h->lease_id || es_fail(s, STORE_UNAVAILABLE,
				      "etcd granted no lease");
}

/* <p>/monitors/<holder>'s value: this monitor, active or standing by. */
static json_t *monitor_put(EtcdHandle *h, const char *holder, bool active)
{
	char key[512];
	json_t *v = json_pack("{s:s, s:b, s:I, s:I, s:s}", "holder", holder,
			      "active", active, "since",
			      (json_int_t)time_wall_ms(), "term",
			      (json_int_t)(active ? h->term : 0), "api",
			      h->api);
	char *text = json_dumps(v, JSON_COMPACT);
	es_key(h, key, sizeof(key), "/monitors/%s", holder);
	json_t *op = etcd_op_put(key, text ? text : "{}", h->lease_id);
	free(text);
	json_decref(v);
	return op;
}

/* One try at taking the lease: true with h->term set when taken, or
 * left 0 when another holds it; false with s->error. */
static bool take(Store *s, const char *holder, int64_t deadline)
{
	EtcdHandle *h = es_handle(s);
	char lkey[512], tkey[512], term[32];
	int64_t tmod = 0, lmod = 0;

	es_key(h, lkey, sizeof(lkey), "/leader");
	es_key(h, tkey, sizeof(tkey), "/term");
	json_t *a = es_txn(s, NULL,
			   json_pack("[o, o]", etcd_op_range(tkey, false),
				     etcd_op_range(lkey, false)),
			   NULL, deadline);
	char *t = a ? es_value(a, 0, &tmod) : NULL;
	char *l = a ? es_value(a, 1, &lmod) : NULL;
	int64_t next = (t ? atoll(t) : 0) + 1;
	free(t);
	free(l);
	json_decref(a);
	if (!a)
		return false;
	if (lmod) /* held by another lease than ours */
		return true;
	snprintf(term, sizeof(term), "%lld", (long long)next);
	json_t *v = json_pack("{s:s, s:I}", "holder", holder, "term",
			      (json_int_t)next);
	char *text = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	h->term = next;
	a = es_txn(s,
		   json_pack("[o, o]", etcd_cmp_int(lkey, "CREATE", 0),
			     etcd_cmp_int(tkey, "MOD", tmod)),
		   json_pack("[o, o, o]", etcd_op_put(tkey, term, 0),
			     etcd_op_put(lkey, text ? text : "{}",
					 h->lease_id),
			     monitor_put(h, holder, true)),
		   NULL, deadline);
	free(text);
	h->term = 0;
	if (a && json_is_true(json_object_get(a, "succeeded"))) {
		h->term = next;
		h->leader_rev = etcd_revision(a);
		h->listed = true;
	}
	json_decref(a);
	return a != NULL;
}

/* A monitor standing by lists itself under its own lease. */
static bool stand_by(Store *s, const char *holder, int64_t deadline)
{
	EtcdHandle *h = es_handle(s);

	if (h->listed)
		return true;
	json_t *a = es_txn(s, NULL, json_pack("[o]",
					      monitor_put(h, holder, false)),
			   NULL, deadline);
	h->listed = a != NULL;
	json_decref(a);
	return a != NULL;
}

static bool es_acquire(Store *s, const char *holder, const char *api,
		       int64_t *term)
{
	EtcdHandle *h = es_handle(s);
	int64_t deadline = es_begin(s);
	StoreFailure f = policy_may_lead(&h->actor, "takes the lease",
					 &h->out);

	*term = 0;
	if (f != STORE_OK)
		return es_fail(s, f, "%s", h->out.why);
	if (strcmp(h->api, api ? api : "") != 0) { /* listed anew */
		snprintf(h->api, sizeof(h->api), "%s", api ? api : "");
		h->listed = false;
	}
	if (!keep_alive(s, deadline) || !grant(s, deadline))
		return false;
	if (!h->leader_rev && !take(s, holder, deadline))
		return false;
	if (!h->leader_rev)
		return stand_by(s, holder, deadline);
	*term = h->term;
	return true;
}

/* One <p>/monitors/ value into m; false when it is not one. */
static bool monitor_of(const json_t *kv, StoreMonitor *m)
{
	char *v = etcd_field(kv, "value");
	json_t *j = v ? json_loads(v, 0, NULL) : NULL;
	const char *holder = json_string_value(json_object_get(j, "holder"));

	free(v);
	if (holder) {
		memset(m, 0, sizeof(*m));
		snprintf(m->holder, sizeof(m->holder), "%s", holder);
		m->since_ms = json_integer_value(json_object_get(j, "since"));
		snprintf(m->api, sizeof(m->api), "%s",
			 json_string_value(json_object_get(j, "api"))
				 ? json_string_value(json_object_get(j, "api"))
				 : "");
	}
	json_decref(j);
	return holder != NULL;
}

/* The monitors' keys, each active when <p>/leader names it. */
static bool es_list_monitors(Store *s, StoreMonitor *out, size_t max,
			     size_t *n)
{
	EtcdHandle *h = es_handle(s);
	char mkey[512], lkey[512];
	json_t *kv;
	size_t i;

	*n = 0;
	es_key(h, mkey, sizeof(mkey), "/monitors/");
	es_key(h, lkey, sizeof(lkey), "/leader");
	json_t *a = es_txn(s, NULL,
			   json_pack("[o, o]", etcd_op_range(mkey, true),
				     etcd_op_range(lkey, false)),
			   NULL, es_begin(s));
	if (!a)
		return false;
	char *l = es_value(a, 1, NULL);
	json_t *leader = l ? json_loads(l, 0, NULL) : NULL;
	const char *holder = json_string_value(json_object_get(leader,
							       "holder"));
	json_t *r = json_array_get(json_object_get(a, "responses"), 0);
	json_array_foreach(json_object_get(json_object_get(r, "response_range"),
					   "kvs"),
			   i, kv)
	{
		StoreMonitor *m = &out[*n];
		if (*n == max || !monitor_of(kv, m))
			continue;
		m->active = holder && strcmp(holder, m->holder) == 0;
		m->term = m->active ? etcd_int(leader, "term") : 0;
		(*n)++;
	}
	free(l);
	json_decref(leader);
	json_decref(a);
	return true;
}

/* Ends holder's lease at term before its TTL: <p>/leader goes, in a
 * transaction that compares the revision it was read at, and the
 * holder's listing with it. Nothing when the lease is no longer
 * holder's at term. */
static bool es_depose(Store *s, const char *holder, int64_t term)
{
	EtcdHandle *h = es_handle(s);
	int64_t deadline = es_begin(s), lmod = 0;
	char lkey[512], mkey[512];

	es_key(h, lkey, sizeof(lkey), "/leader");
	es_key(h, mkey, sizeof(mkey), "/monitors/%s", holder);
	json_t *a = es_txn(s, NULL, json_pack("[o]", etcd_op_range(lkey,
								   false)),
			   NULL, deadline);
	char *l = a ? es_value(a, 0, &lmod) : NULL;
	json_t *leader = l ? json_loads(l, 0, NULL) : NULL;
	const char *was = json_string_value(json_object_get(leader,
							    "holder"));
	bool same = was && strcmp(was, holder) == 0 &&
		    etcd_int(leader, "term") == term;
	free(l);
	json_decref(leader);
	json_decref(a);
	if (!a || !same)
		return a != NULL;
	a = es_txn(s, json_pack("[o]", etcd_cmp_int(lkey, "MOD", lmod)),
		   json_pack("[o, o]", etcd_op_delete(lkey, false),
			     etcd_op_delete(mkey, false)),
		   NULL, deadline);
	json_decref(a);
	return a != NULL;
}

static void es_close(Store *s)
{
	EtcdHandle *h = es_handle(s);
	char id[32];

	if (h->lease_id) { /* the lease goes now, not at its TTL */
		snprintf(id, sizeof(id), "%lld", (long long)h->lease_id);
		json_decref(es_call(s, "/v3/lease/revoke",
				    json_pack("{s:s}", "ID", id),
				    time_monotonic_ms() + 1000));
	}
	etcd_watch_free(h->watch);
	etcd_client_free(h->client);
	free(h->last_report);
	free(h);
	free(s);
}

static const StoreOps etcd_ops = {
	.register_node = es_register_node,
	.report = es_report,
	.get_formation = es_get_formation,
	.list_formations = es_list_formations,
	.events = es_events,
	.wait = es_wait,
	.set_deadline = es_set_deadline,
	.acquire = es_acquire,
	.apply = es_apply,
	.request = es_request,
	.set_maintenance = es_set_maintenance,
	.drop_node = es_drop_node,
	.set_setting = es_set_setting,
	.set_pg_param = es_set_pg_param,
	.set_slot = es_set_slot,
	.publish_slot = es_publish_slot,
	.request_restart = es_request_restart,
	.request_reinit = es_request_reinit,
	.schedule = es_schedule,
	.list_scheduled = es_list_scheduled,
	.end_scheduled = es_end_scheduled,
	.rotate_secret = es_rotate_secret,
	.list_monitors = es_list_monitors,
	.depose = es_depose,
	.last_node_id = es_last_node_id,
	.import = es_import,
	.node_credential = es_node_credential,
	.close = es_close,
};

Store *etcdstore_open(const char *uri, const SslSpec *ssl, int timeout_ms,
		      char *err, size_t errlen)
{
	Store *s = calloc(1, sizeof(Store));
	EtcdHandle *h = calloc(1, sizeof(EtcdHandle));
	EtcdConfig cfg;

	if (!s || !h) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (!es_parse_uri(uri, ssl, &cfg, h, err, errlen) ||
	    !(h->client = etcd_client_new(&cfg, err, errlen)))
		goto fail;
	h->timeout_ms = timeout_ms;
	s->ops = &etcd_ops;
	s->impl = h;
	s->wake_fd = -1;
	return s;
fail:
	free(h);
	free(s);
	return NULL;
}
