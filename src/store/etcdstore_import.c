/*
 * etcdstore_import.c - a formation moved into the etcd store from
 * another store (store_import, `pgkeel store migrate`, docs/etcd.md):
 * its keys written in one transaction that requires every one of them
 * to be absent, with the node id counter raised past its nodes' ids;
 * then each node's own etcd user (store_node_credential), made when it
 * moves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/passfile.h"
#include "common/timeutil.h"
#include "store/etcdstore_db.h"

bool es_last_node_id(Store *s, int64_t *id)
{
	int64_t mod;

	return es_last_id(s, id, &mod, es_begin(s));
}

/* The highest of the counter, the other store's and f's node ids. */
static int64_t next_counter(const StoreFormation *f, int64_t cur,
			    int64_t last)
{
	int64_t top = cur > last ? cur : last;

	for (size_t i = 0; i < f->nnodes; i++) {
		if (f->nodes[i].id > top)
			top = f->nodes[i].id;
	}
	return top;
}

/* What the store holds already of f: "" none, or the key found, into
 * buf; false with s->error when etcd does not answer. */
static bool held(Store *s, const StoreFormation *f, char *buf, size_t len,
		 int64_t deadline)
{
	EtcdHandle *h = es_handle(s);
	char key[512];
	json_t *ranges = json_array();

	buf[0] = '\0';
	es_key(h, key, sizeof(key), "/formations/%s", f->name);
	json_array_append_new(ranges, etcd_op_range(key, false));
	es_key(h, key, sizeof(key), "/f/%s/", f->name);
	json_array_append_new(ranges, etcd_op_range(key, true));
	for (size_t i = 0; i < f->nnodes; i++) {
		es_key(h, key, sizeof(key), "/node/%d", f->nodes[i].id);
		json_array_append_new(ranges, etcd_op_range(key, false));
	}
	json_t *a = es_txn(s, NULL, ranges, NULL, deadline);
	if (!a)
		return false;
	for (size_t i = 0; i < f->nnodes + 2 && !buf[0]; i++) {
		char *v = es_value(a, (int)i, NULL);
		if (v && i < 2)
			snprintf(buf, len, "formation %s", f->name);
		else if (v)
			snprintf(buf, len, "node id %d", f->nodes[i - 2].id);
		free(v);
	}
	json_decref(a);
	return true;
}

/* The compares and puts besides es_write's: the counter as read, the
 * formation's marker and its nodes' index absent. */
static void claim(EtcdHandle *h, const StoreFormation *f, int64_t counter,
		  int64_t mod, json_t *cmp, json_t *ops)
{
	char key[512], id[32];

	es_key(h, key, sizeof(key), "/nodeid");
	json_array_append_new(cmp, etcd_cmp_int(key, "MOD", mod));
	snprintf(id, sizeof(id), "%lld", (long long)counter);
	json_array_append_new(ops, etcd_op_put(key, id, 0));
	es_key(h, key, sizeof(key), "/formations/%s", f->name);
	json_array_append_new(cmp, etcd_cmp_int(key, "CREATE", 0));
	json_array_append_new(ops, etcd_op_put(key, "", 0));
	for (size_t i = 0; i < f->nnodes; i++) {
		es_key(h, key, sizeof(key), "/node/%d", f->nodes[i].id);
		json_array_append_new(cmp, etcd_cmp_int(key, "CREATE", 0));
	}
}

/* One attempt: 1 written, 0 lost a race, -1 refused or failed. */
static int try_import(Store *s, const StoreFormation *f, int64_t last,
		      int64_t deadline)
{
	EtcdHandle *h = es_handle(s);
	EtcdFormation *was = &h->read[0];
	int64_t cur, mod;
	char found[128];

	if (!es_last_id(s, &cur, &mod, deadline) ||
	    !held(s, f, found, sizeof(found), deadline))
		return -1;
	if (found[0]) {
		es_fail(s, STORE_REFUSED,
			"this etcd prefix already holds %s: a formation moves "
			"only into a prefix that does not hold it",
			found);
		return -1;
	}
	memset(was, 0, sizeof(*was));
	snprintf(was->f.name, sizeof(was->f.name), "%s", f->name);
	policy_reset(&h->out);
	policy_event(&h->out, f, NULL, "", "",
		     "formation %s moved into this store with its %zu nodes",
		     f->name, f->nnodes);
	json_t *cmp = json_array(), *ops = json_array();
	claim(h, f, next_counter(f, cur, last), mod, cmp, ops);
	return es_write(s, was, f, 0, cmp, ops, deadline);
}

bool es_import(Store *s, const StoreFormation *f, int64_t last_node_id)
{
	EtcdHandle *h = es_handle(s);
	int64_t deadline = es_begin(s);

	if (h->actor.role == ACTOR_NODE)
		return es_fail(s, STORE_REFUSED,
			       "a node's own handle cannot import a formation: "
			       "use the operator's URI");
	for (int i = 0; i < ES_RETRIES; i++) {
		int done = try_import(s, f, last_node_id, deadline);
		if (done)
			return done > 0;
		if (time_monotonic_ms() >= deadline)
			break;
	}
	return es_fail(s, STORE_UNAVAILABLE,
		       "the import kept losing races with other writers");
}

bool es_node_credential(Store *s, const char *formation, int node_id,
			char *secret, size_t len)
{
	EtcdHandle *h = es_handle(s);
	int64_t deadline = es_begin(s);
	char name[1][STORE_NAME_LEN];
	EtcdFormation *was = &h->read[0];

	if (h->actor.role == ACTOR_NODE)
		return es_fail(s, STORE_REFUSED,
			       "a node's own handle cannot make credentials: "
			       "use the operator's URI");
	snprintf(name[0], STORE_NAME_LEN, "%s", formation);
	if (!es_read(s, (const char(*)[STORE_NAME_LEN])name, 1, was,
		     deadline))
		return false;
	if (!was->exists || !store_formation_node(&was->f, node_id))
		return es_fail(s, STORE_REFUSED,
			       "formation %s holds no node %d here", formation,
			       node_id);
	if (!etcd_client_config(h->client)->user[0])
		return true; /* no authentication: no credential */
	if (len < 33 || !passfile_random_password(secret, 33))
		return es_fail(s, STORE_UNAVAILABLE, "no randomness");
	if (es_rbac_add_node(s, formation, node_id, secret, deadline))
		return true;
	secret[0] = '\0';
	return false;
}
