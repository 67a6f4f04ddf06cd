/*
 * etcdstore_db.c - what every call of the etcd driver shares
 * (etcdstore_db.h): budgets and failures, keys, reading formations in
 * one transaction, writing them back in another that compares every key
 * it changes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "store/etcdcodec.h"
#include "store/etcdstore_db.h"

EtcdHandle *es_handle(Store *s)
{
	return (EtcdHandle *)s->impl;
}

int64_t es_begin(Store *s)
{
	EtcdHandle *h = es_handle(s);
	int64_t now = time_monotonic_ms(), left = h->timeout_ms;

	policy_reset(&h->out);
	if (h->deadline_ms > 0 && h->deadline_ms - now < left)
		left = h->deadline_ms - now;
	return now + (left < STORE_MIN_CALL_MS ? STORE_MIN_CALL_MS : left);
}

json_t *es_call(Store *s, const char *path, json_t *body, int64_t deadline)
{
	EtcdHandle *h = es_handle(s);
	StoreFailure f;
	json_t *a = etcd_call(h->client, path, body, deadline, &f, s->error,
			      sizeof(s->error));

	if (!a)
		s->failure = f;
	else if (!h->first_rev)
		h->first_rev = etcd_revision(a);
	return a;
}

json_t *es_txn(Store *s, json_t *compare, json_t *success, json_t *failure,
	       int64_t deadline)
{
	json_t *body = json_pack("{s:o, s:o, s:o}", "compare",
				 compare ? compare : json_array(), "success",
				 success ? success : json_array(), "failure",
				 failure ? failure : json_array());
	return es_call(s, "/v3/kv/txn", body, deadline);
}

void es_key(const EtcdHandle *h, char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(buf, len, "%s", h->prefix);

	va_start(ap, fmt);
	vsnprintf(buf + n, len - (size_t)n, fmt, ap);
	va_end(ap);
}

/* The kvs of a txn's response i (a range), or of a plain range (-1). */
static json_t *kvs_of(const json_t *answer, int i)
{
	if (i < 0)
		return json_object_get(answer, "kvs");
	json_t *r = json_array_get(json_object_get(answer, "responses"),
				   (size_t)i);
	return json_object_get(json_object_get(r, "response_range"), "kvs");
}

char *es_value(const json_t *answer, int i, int64_t *mod)
{
	json_t *kv = json_array_get(kvs_of(answer, i), 0);

	if (mod)
		*mod = etcd_int(kv, "mod_revision");
	return kv ? etcd_field(kv, "value") : NULL;
}

void es_own(EtcdHandle *h, const json_t *answer)
{
	h->own_rev[h->nown++ % 16] = etcd_revision(answer);
}

bool es_wakes(const EtcdHandle *h, const char *key, bool monitor)
{
	size_t n = strlen(h->prefix);
	const char *tail = strrchr(key, '/');

	if (strncmp(key, h->prefix, n) != 0)
		return false;
	if (monitor && strcmp(key + n, "/leader") == 0)
		return true; /* the lease changed hands, or ended */
	if (strncmp(key + n, "/f/", 3))
		return false;
	if (!tail || strstr(key, "/events/") ||
	    strstr(key, "/" ES_SLOT_COPY_PART))
		return false;
	if (monitor)
		return strstr(key, "/scheduled/") ||
		       strcmp(tail, "/spec") == 0 ||
		       strcmp(tail, "/config") == 0 ||
		       strcmp(tail, "/asks") == 0 ||
		       strcmp(tail, "/handover") == 0 ||
		       strcmp(tail, "/report") == 0;
	return strcmp(tail, "/goal") == 0 || strcmp(tail, "/config") == 0;
}

/* The report age by this handle's clock (etcdstore.h, docs/etcd.md). */
static int64_t age_of(EtcdHandle *h, int id, int64_t rev, int64_t wall)
{
	int64_t now = time_monotonic_ms();
	size_t i = 0;

	while (i < h->nseen && h->seen[i].node_id != id)
		i++;
	if (i == h->nseen) {
		if (h->nseen == sizeof(h->seen) / sizeof(h->seen[0]))
			h->nseen = 0; /* forget the oldest sights */
		int64_t late = time_wall_ms() - wall;
		h->seen[h->nseen++] = (EtcdSeen){
			id, rev, now - (late > 0 ? late : 0)};
	} else if (h->seen[i].alive_rev != rev) {
		h->seen[i].alive_rev = rev;
		h->seen[i].seen_ms = now;
	}
	return now - h->seen[i].seen_ms;
}

/* The node of id in ef, added when new (its index; -1 when full). */
static int node_slot(EtcdFormation *ef, int id)
{
	for (size_t i = 0; i < ef->f.nnodes; i++) {
		if (ef->f.nodes[i].id == id)
			return (int)i;
	}
	if (ef->f.nnodes == STORE_MAX_NODES)
		return -1;
	StoreNode *n = &ef->f.nodes[ef->f.nnodes];
	memset(n, 0, sizeof(*n));
	n->id = id;
	n->goal = n->reported = n->report.current = NS_INIT;
	n->report_age_ms = ES_NEVER_MS;
	ef->spec_mod[ef->f.nnodes] = ef->goal_mod[ef->f.nnodes] = 0;
	ef->asks_mod[ef->f.nnodes] = 0;
	ef->handover_mod[ef->f.nnodes] = ef->handover_ms[ef->f.nnodes] = 0;
	return (int)ef->f.nnodes++;
}

static void take_node_kv(EtcdHandle *h, EtcdFormation *ef, const json_t *kv,
			 const char *part, int id)
{
	char *v = etcd_field(kv, "value");
	int i = v ? node_slot(ef, id) : -1;
	StoreNode *n = i >= 0 ? &ef->f.nodes[i] : NULL;

	if (n && strcmp(part, "spec") == 0 && ec_spec_read(n, v)) {
		ef->spec_mod[i] = etcd_int(kv, "mod_revision");
	} else if (n && strcmp(part, "goal") == 0 && ec_goal_read(n, v)) {
		ef->goal_mod[i] = etcd_int(kv, "mod_revision");
	} else if (n && strcmp(part, "r/asks") == 0 && ec_asks_read(n, v)) {
		ef->asks_mod[i] = etcd_int(kv, "mod_revision");
	} else if (n && strcmp(part, "r/handover") == 0 &&
		   ec_handover_read(v, &ef->handover_ms[i])) {
		ef->handover_mod[i] = etcd_int(kv, "mod_revision");
	} else if (n && strcmp(part, "r/report") == 0 &&
		   ec_report_read(&n->report, v)) {
		n->reported = n->report.current;
	} else if (n && strcmp(part, "r/alive") == 0) {
		json_t *j = json_loads(v, 0, NULL);
		n->report_seq = etcd_int(kv, "version");
		n->report_age_ms =
			age_of(h, id, etcd_int(kv, "mod_revision"),
			       json_integer_value(json_object_get(j, "wall_ms")));
		json_decref(j);
	}
	free(v);
}

static int by_id(const void *a, const void *b)
{
	return ((const StoreNode *)a)->id - ((const StoreNode *)b)->id;
}

/* Moves node from to index to, with its revisions. */
static void move_node(EtcdFormation *ef, size_t to, size_t from)
{
	ef->f.nodes[to] = ef->f.nodes[from];
	ef->spec_mod[to] = ef->spec_mod[from];
	ef->goal_mod[to] = ef->goal_mod[from];
	ef->asks_mod[to] = ef->asks_mod[from];
	ef->handover_mod[to] = ef->handover_mod[from];
	ef->handover_ms[to] = ef->handover_ms[from];
}

static void swap_nodes(EtcdFormation *ef, size_t a, size_t b)
{
	StoreNode t = ef->f.nodes[a];
	int64_t sm = ef->spec_mod[a], gm = ef->goal_mod[a];
	int64_t am = ef->asks_mod[a], hm = ef->handover_mod[a];
	int64_t hms = ef->handover_ms[a];

	move_node(ef, a, b);
	ef->f.nodes[b] = t;
	ef->spec_mod[b] = sm;
	ef->goal_mod[b] = gm;
	ef->asks_mod[b] = am;
	ef->handover_mod[b] = hm;
	ef->handover_ms[b] = hms;
}

/* Drops what has no spec (keys a node's heartbeat left behind while
 * its node went), then orders the nodes by id with their revisions. */
static void settle(EtcdFormation *ef)
{
	size_t kept = 0;

	for (size_t i = 0; i < ef->f.nnodes; i++) {
		if (ef->spec_mod[i])
			move_node(ef, kept++, i);
	}
	ef->f.nnodes = kept;
	for (size_t i = 1; i < kept; i++) { /* few nodes: insertion sort */
		for (size_t j = i; j > 0 && by_id(&ef->f.nodes[j - 1],
						  &ef->f.nodes[j]) > 0;
		     j--)
			swap_nodes(ef, j - 1, j);
	}
}

/* A primary's own switchover request is the formation's when none other
 * is pending (the earliest, should there be two). */
static void take_handover(EtcdFormation *ef)
{
	ef->handed_over = false;
	if (ef->f.switchover_to >= 0 || ef->f.failover_requested)
		return;
	for (size_t i = 0; i < ef->f.nnodes; i++) {
		if (!ef->handover_mod[i] ||
		    (ef->handed_over && ef->handover_ms[i] >= ef->requested_ms))
			continue;
		ef->f.switchover_to = 0;
		ef->requested_ms = ef->handover_ms[i];
		ef->handed_over = true;
	}
}

/* False when part (a key's rest after nodes/<id>/) is not a slot's copy
 * (r/slots/NAME), else true, the copy taken into ef's slot of that name
 * when it is the latest read (the postgres store keeps the last one). */
static bool take_slot_copy(EtcdFormation *ef, const json_t *kv,
			   const char *part, int node_id)
{
	if (strncmp(part, ES_SLOT_COPY_PART, strlen(ES_SLOT_COPY_PART)) != 0)
		return false;
	const char *name = part + strlen(ES_SLOT_COPY_PART);
	int64_t mod = etcd_int(kv, "mod_revision");
	char *v = etcd_field(kv, "value");

	for (size_t i = 0; v && i < ef->f.nslots; i++) {
		StoreSlot *sl = &ef->f.slots[i];
		if (strcmp(sl->name, name) != 0 || sl->removed ||
		    mod <= ef->slot_mod[i])
			continue;
		if (ec_slot_copy_read(sl, node_id, v))
			ef->slot_mod[i] = mod;
	}
	free(v);
	return true;
}

/* A slot copy of a node gone (its spec deleted) is nobody's. */
static void forget_orphan_copies(EtcdFormation *ef)
{
	for (size_t i = 0; i < ef->f.nslots; i++) {
		StoreSlot *sl = &ef->f.slots[i];
		if (sl->copy_node && !store_formation_node(&ef->f,
							   sl->copy_node)) {
			sl->copy_node = 0;
			sl->confirmed_flush = LSN_INVALID;
			sl->state[0] = '\0';
		}
	}
}

static void decode(EtcdHandle *h, const json_t *a, int i, const char *name,
		   EtcdFormation *ef)
{
	char base[512];
	json_t *kv;
	size_t k;
	char *config = es_value(a, 2 * i, &ef->config_mod);

	policy_formation_init(&ef->f, name);
	memset(ef->slot_mod, 0, sizeof(ef->slot_mod));
	ef->f.scheduled = -1; /* its own keys, not read here */
	ef->exists = config && ec_config_read(&ef->f, &ef->requested_ms,
					      config);
	free(config);
	es_key(h, base, sizeof(base), "/f/%s/nodes/", name);
	json_array_foreach(kvs_of(a, 2 * i + 1), k, kv)
	{
		char *key = etcd_field(kv, "key");
		char *end = NULL;
		long id = key && strncmp(key, base, strlen(base)) == 0
				  ? strtol(key + strlen(base), &end, 10)
				  : 0;
		if (id > 0 && end && *end == '/' &&
		    !take_slot_copy(ef, kv, end + 1, (int)id))
			take_node_kv(h, ef, kv, end + 1, (int)id);
		free(key);
	}
	settle(ef);
	take_handover(ef);
	forget_orphan_copies(ef);
}

bool es_read(Store *s, const char (*names)[STORE_NAME_LEN], size_t n,
	     EtcdFormation *out, int64_t deadline)
{
	EtcdHandle *h = es_handle(s);
	json_t *ops = json_array();
	char key[512];

	for (size_t i = 0; i < n; i++) {
		es_key(h, key, sizeof(key), "/f/%s/config", names[i]);
		json_array_append_new(ops, etcd_op_range(key, false));
		es_key(h, key, sizeof(key), "/f/%s/nodes/", names[i]);
		json_array_append_new(ops, etcd_op_range(key, true));
	}
	json_t *a = es_txn(s, NULL, ops, NULL, deadline);
	if (!a)
		return false;
	for (size_t i = 0; i < n; i++)
		decode(h, a, (int)i, names[i], &out[i]);
	json_decref(a);
	return true;
}

bool es_names(Store *s, char (*names)[STORE_NAME_LEN], size_t max,
	      size_t *n, int64_t deadline)
{
	EtcdHandle *h = es_handle(s);
	char key[512];
	json_t *kv;
	size_t i;

	*n = 0;
	es_key(h, key, sizeof(key), "/formations/");
	json_t *body = etcd_range(key, true);
	json_object_set_new(body, "keys_only", json_true());
	json_t *a = es_call(s, "/v3/kv/range", body, deadline);
	if (!a)
		return false;
	json_array_foreach(json_object_get(a, "kvs"), i, kv)
	{
		char *k = etcd_field(kv, "key");
		if (k && *n < max && strlen(k) > strlen(key))
			snprintf(names[(*n)++], STORE_NAME_LEN, "%s",
				 k + strlen(key));
		free(k);
	}
	json_decref(a);
	return true;
}
