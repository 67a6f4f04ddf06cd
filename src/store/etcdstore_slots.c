/*
 * etcdstore_slots.c - the formation's permanent slots in the etcd store
 * (docs/etcd.md): the declarations are in the formation's config, which
 * the operator writes; a logical slot's copy, as a primary's keeper
 * publishes it, is that node's own r/slots/NAME key, which its etcd
 * role may write. A reader takes the latest copy published of each
 * slot, as the postgres store keeps the last one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/etcdcodec.h"
#include "store/etcdstore_db.h"

typedef struct {
	const char *name, *kind, *state;
	Lsn confirmed;
	int node_id;
	bool forget;
} SlotArgs;

static StoreFailure do_set_slot(Store *s, StoreFormation *f, void *arg)
{
	SlotArgs *x = arg;
	return policy_set_slot(f, &es_handle(s)->actor, x->name, x->kind,
			       &x->forget, &es_handle(s)->out);
}

/* A new kind, or none: every node's copy goes with the old one. */
static void drop_copies(Store *s, void *arg, json_t *cmp, json_t *ops)
{
	EtcdHandle *h = es_handle(s);
	const StoreFormation *was = &h->read[0].f;
	const SlotArgs *x = arg;
	char key[512];

	(void)cmp;
	for (size_t i = 0; x->forget && i < was->nnodes; i++) {
		es_key(h, key, sizeof(key),
		       "/f/%s/nodes/%d/" ES_SLOT_COPY_PART "%s", was->name,
		       was->nodes[i].id, x->name);
		json_array_append_new(ops, etcd_op_delete(key, false));
	}
}

bool es_set_slot(Store *s, const char *formation, const char *name,
		 const char *kind)
{
	SlotArgs x = {.name = name, .kind = kind};

	return es_change(s, formation, STORE_REFUSED, do_set_slot, &x,
			 drop_copies);
}

static StoreFailure do_publish(Store *s, StoreFormation *f, void *arg)
{
	const SlotArgs *x = arg;
	return policy_publish_slot(f, &es_handle(s)->actor, x->node_id,
				   x->name, x->confirmed, x->state,
				   &es_handle(s)->out);
}

/* The node's own key, written while the declarations (the config) and
 * the node (its spec) are as read. */
static void put_copy(Store *s, void *arg, json_t *cmp, json_t *ops)
{
	EtcdHandle *h = es_handle(s);
	const EtcdFormation *was = &h->read[0];
	const SlotArgs *x = arg;
	char key[512], *text = ec_slot_copy_json(x->confirmed, x->state);
	int64_t spec = 0;

	for (size_t i = 0; i < was->f.nnodes; i++) {
		if (was->f.nodes[i].id == x->node_id)
			spec = was->spec_mod[i];
	}
	es_key(h, key, sizeof(key), "/f/%s/config", was->f.name);
	json_array_append_new(cmp, etcd_cmp_int(key, "MOD", was->config_mod));
	es_key(h, key, sizeof(key), "/f/%s/nodes/%d/spec", was->f.name,
	       x->node_id);
	json_array_append_new(cmp, etcd_cmp_int(key, "MOD", spec));
	es_key(h, key, sizeof(key), "/f/%s/nodes/%d/" ES_SLOT_COPY_PART "%s",
	       was->f.name, x->node_id, x->name);
	json_array_append_new(ops, etcd_op_put(key, text ? text : "{}", 0));
	free(text);
}

/* The refusal of a call for a node this handle is not, or that the
 * store does not hold. */
static bool refuse(Store *s, SlotArgs *x)
{
	EtcdHandle *h = es_handle(s);

	memset(&h->read[1].f, 0, sizeof(h->read[1].f));
	return es_fail(s, do_publish(s, &h->read[1].f, x), "%s", h->out.why);
}

bool es_publish_slot(Store *s, int node_id, const char *name,
		     Lsn confirmed_flush, const char *state)
{
	EtcdHandle *h = es_handle(s);
	SlotArgs x = {.name = name, .state = state,
		      .confirmed = confirmed_flush, .node_id = node_id};

	policy_reset(&h->out);
	if (h->actor.role != ACTOR_NODE || h->actor.node_id != node_id)
		return refuse(s, &x);
	if (!es_node_formation(s, node_id, es_begin(s)))
		return false;
	if (!h->node_formation[0])
		return refuse(s, &x);
	return es_change(s, h->node_formation, STORE_REFUSED, do_publish, &x,
			 put_copy);
}
