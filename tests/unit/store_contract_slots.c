/*
 * store_contract_slots.c - the store contract (store.h) of the
 * formation's permanent slots: the operator declares them, a node's own
 * credential alone publishes its copy of a logical one, every reader
 * sees the latest copy published, and a new kind forgets it.
 * Part of test_store_contract, which runs them on every driver.
 */
#include "unit.h"
#include <string.h>

#include "store_contract.h"

static const StoreSlot *slot_of(Store *s, const char *name)
{
	StoreFormation *f = read_back(s);

	for (size_t i = 0; i < f->nslots; i++) {
		if (strcmp(f->slots[i].name, name) == 0)
			return &f->slots[i];
	}
	return NULL;
}

static bool refused(Store *s, bool ok)
{
	return !ok && s->failure == STORE_REFUSED;
}

/* Who may declare what: the operator's credential, valid names and
 * kinds; removing needs a declaration. */
static void declare(Store *op, Store *node)
{
	assert_true(refused(node, store_set_slot(node, formation, "cdc",
						 "logical:pgoutput:app")));
	assert_true(refused(op, store_set_slot(op, formation, "Bad",
					       "physical")));
	assert_true(refused(op, store_set_slot(op, formation, "pgkeel_x",
					       "physical")));
	assert_true(refused(op, store_set_slot(op, formation, "cdc",
					       "logical:pgoutput")));
	assert_true(refused(op, store_set_slot(op, formation, "cdc", NULL)));
	assert_true(store_set_slot(op, formation, "pin", "physical"));
	assert_true(store_set_slot(op, formation, "cdc",
				   "logical:pgoutput:app"));
	const StoreSlot *cdc = slot_of(node, "cdc");
	assert_non_null(cdc);
	assert_false(cdc->removed);
	assert_string_equal(cdc->kind, "logical:pgoutput:app");
	assert_int_equal(cdc->copy_node, 0);
	assert_string_equal(cdc->state, "");
}

/* What a node may publish: its own copy of a declared logical slot. */
static void publish_refused(Store *op, Store *na, int a, int b)
{
	assert_true(refused(na, store_publish_slot(na, b, "cdc", 100, "ab")));
	assert_true(refused(op, store_publish_slot(op, a, "cdc", 100, "ab")));
	assert_true(refused(na, store_publish_slot(na, a, "pin", 100, "ab")));
	assert_true(refused(na, store_publish_slot(na, a, "zz", 100, "ab")));
	const char *bad[] = {"", "abc", "AB", "xy"};
	for (size_t i = 0; i < 4; i++)
		assert_true(refused(na, store_publish_slot(na, a, "cdc", 100,
							   bad[i])));
	assert_int_equal(slot_of(op, "cdc")->copy_node, 0);
}

void logical_slot_copies_are_published_by_their_node(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0)), b = add(op, "b", port_of(1));
	Store *na = drv->node_store(&a), *nb = drv->node_store(&b);
	const StoreSlot *sl;
	(void)state;

	declare(op, na);
	publish_refused(op, na, a.node_id, b.node_id);
	assert_true(store_publish_slot(na, a.node_id, "cdc", 100, "0a0b"));
	sl = slot_of(nb, "cdc");
	assert_int_equal(sl->copy_node, a.node_id);
	assert_true(sl->confirmed_flush == 100);
	assert_string_equal(sl->state, "0a0b");
	/* the latest publication is the one read, whoever made it */
	assert_true(store_publish_slot(nb, b.node_id, "cdc", 200, "0c"));
	assert_true(store_publish_slot(nb, b.node_id, "cdc", 300, "0d"));
	sl = slot_of(na, "cdc");
	assert_true(sl->copy_node == b.node_id && sl->confirmed_flush == 300);
	assert_string_equal(sl->state, "0d");
	/* the same kind again keeps the copy; a new kind forgets it */
	assert_true(store_set_slot(op, formation, "cdc",
				   "logical:pgoutput:app"));
	assert_int_equal(slot_of(op, "cdc")->copy_node, b.node_id);
	assert_true(store_set_slot(op, formation, "cdc",
				   "logical:test_decoding:app"));
	sl = slot_of(na, "cdc");
	assert_true(sl->copy_node == 0 && sl->state[0] == '\0');
	assert_true(store_publish_slot(na, a.node_id, "cdc", 400, "0e"));
	/* removed: listed so, its copy gone, nothing published any more */
	assert_true(store_set_slot(op, formation, "cdc", NULL));
	sl = slot_of(nb, "cdc");
	assert_true(sl->removed && sl->copy_node == 0 && !sl->state[0]);
	assert_true(refused(na, store_publish_slot(na, a.node_id, "cdc", 500,
						   "0f")));
	assert_true(refused(op, store_set_slot(op, formation, "cdc", NULL)));
	store_close(nb);
	store_close(na);
	store_close(op);
}
