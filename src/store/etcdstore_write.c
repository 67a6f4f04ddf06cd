/*
 * etcdstore_write.c - a formation written back to etcd (es_write,
 * etcdstore_db.h): the keys whose value changed, nodes added and gone,
 * primaries' own switchover requests consumed, and the ruling's events,
 * in one transaction that compares the mod_revision of every key it
 * writes with the one read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/passfile.h"
#include "common/timeutil.h"
#include "store/etcdcodec.h"
#include "store/etcdstore_db.h"

/* Puts key's new value when it differs from the old (NULL: none),
 * comparing the revision read. */
static void put_changed(json_t *cmp, json_t *ops, const char *key,
			char *old, char *now, int64_t mod)
{
	if (now && (!old || strcmp(old, now) != 0)) {
		json_array_append_new(cmp, etcd_cmp_int(key, "MOD", mod));
		json_array_append_new(ops, etcd_op_put(key, now, 0));
	}
	free(old);
	free(now);
}

static const StoreNode *node_of(const StoreFormation *f, int id, size_t *i)
{
	for (*i = 0; *i < f->nnodes; (*i)++) {
		if (f->nodes[*i].id == id)
			return &f->nodes[*i];
	}
	return NULL;
}

static void write_node(EtcdHandle *h, const EtcdFormation *was,
		       const StoreNode *n, json_t *cmp, json_t *ops)
{
	char key[512];
	size_t i;
	const StoreNode *old = node_of(&was->f, n->id, &i);
	int64_t smod = old ? was->spec_mod[i] : 0;

	es_key(h, key, sizeof(key), "/f/%s/nodes/%d/spec", was->f.name,
	       n->id);
	put_changed(cmp, ops, key, old ? ec_spec_json(old) : NULL,
		    ec_spec_json(n), smod);
	es_key(h, key, sizeof(key), "/f/%s/nodes/%d/goal", was->f.name,
	       n->id);
	put_changed(cmp, ops, key, old ? ec_goal_json(old) : NULL,
		    ec_goal_json(n), old ? was->goal_mod[i] : 0);
	es_key(h, key, sizeof(key), "/f/%s/nodes/%d/r/asks", was->f.name,
	       n->id);
	put_changed(cmp, ops, key, old ? ec_asks_json(old) : NULL,
		    ec_asks_json(n), old ? was->asks_mod[i] : 0);
	if (old)
		return;
	es_key(h, key, sizeof(key), "/node/%d", n->id);
	json_t *ix = json_pack("{s:s}", "formation", was->f.name);
	char *text = json_dumps(ix, JSON_COMPACT);
	json_array_append_new(ops, etcd_op_put(key, text ? text : "{}", 0));
	free(text);
	json_decref(ix);
}

static void drop_node(EtcdHandle *h, const EtcdFormation *was, size_t i,
		      json_t *cmp, json_t *ops)
{
	char key[512];
	int id = was->f.nodes[i].id;

	es_key(h, key, sizeof(key), "/f/%s/nodes/%d/spec", was->f.name, id);
	json_array_append_new(cmp, etcd_cmp_int(key, "MOD", was->spec_mod[i]));
	es_key(h, key, sizeof(key), "/f/%s/nodes/%d/", was->f.name, id);
	json_array_append_new(ops, etcd_op_delete(key, true));
	es_key(h, key, sizeof(key), "/node/%d", id);
	json_array_append_new(ops, etcd_op_delete(key, false));
}

static bool pending(const StoreFormation *f)
{
	return f->switchover_to >= 0 || f->failover_requested;
}

/* The primaries' own switchover requests (r/handover): a request the
 * formation takes compares them as read (one request at a time); once
 * the formation has none pending, they were consumed or expired: they
 * go. */
static void write_handovers(EtcdHandle *h, const EtcdFormation *was,
			    const StoreFormation *now, json_t *cmp,
			    json_t *ops)
{
	bool asked = pending(now) && !pending(&was->f);
	char key[512];
	size_t j;

	for (size_t i = 0; i < was->f.nnodes; i++) {
		const StoreNode *n = &was->f.nodes[i];
		bool gone = !pending(now) && was->handover_mod[i] &&
			    node_of(now, n->id, &j);
		if (!asked && !gone)
			continue;
		es_key(h, key, sizeof(key), "/f/%s/nodes/%d/r/handover",
		       was->f.name, n->id);
		json_array_append_new(cmp, etcd_cmp_int(key, "MOD",
							was->handover_mod[i]));
		if (gone)
			json_array_append_new(ops,
					      etcd_op_delete(key, false));
	}
}

static void write_events(EtcdHandle *h, const char *formation, json_t *ops)
{
	char key[512], rnd[9];
	int64_t now = time_wall_ms();

	for (size_t i = 0; i < h->out.nevents; i++) {
		StoreEvent *e = &h->out.events[i];
		e->time_ms = now;
		if (!passfile_random_password(rnd, sizeof(rnd)))
			snprintf(rnd, sizeof(rnd), "%08d", rand());
		es_key(h, key, sizeof(key), "/f/%s/events/%016lld-%03zu-%s",
		       formation, (long long)now, i, rnd);
		char *text = ec_event_json(e);
		if (text)
			json_array_append_new(ops, etcd_op_put(key, text, 0));
		free(text);
	}
}

int es_write(Store *s, const EtcdFormation *was, const StoreFormation *now,
	     int64_t requested_ms, json_t *compare, json_t *ops,
	     int64_t deadline)
{
	EtcdHandle *h = es_handle(s);
	json_t *cmp = compare ? compare : json_array();
	json_t *put = ops ? ops : json_array();
	char key[512];
	size_t j;

	es_key(h, key, sizeof(key), "/f/%s/config", was->f.name);
	put_changed(cmp, put, key,
		    was->exists ? ec_config_json(&was->f, was->requested_ms)
				: NULL,
		    ec_config_json(now, requested_ms), was->config_mod);
	for (size_t i = 0; i < now->nnodes; i++)
		write_node(h, was, &now->nodes[i], cmp, put);
	for (size_t i = 0; i < was->f.nnodes; i++) {
		if (!node_of(now, was->f.nodes[i].id, &j))
			drop_node(h, was, i, cmp, put);
	}
	write_handovers(h, was, now, cmp, put);
	write_events(h, was->f.name, put);
	json_t *a = es_txn(s, cmp, put, NULL, deadline);
	if (!a)
		return -1;
	bool ok = json_is_true(json_object_get(a, "succeeded"));
	if (ok)
		es_own(h, a);
	json_decref(a);
	return ok ? 1 : 0;
}
