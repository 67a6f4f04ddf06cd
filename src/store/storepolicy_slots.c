/*
 * storepolicy_slots.c - the rules of the formation's permanent slots
 * (storepolicy.h; store.h's store_set_slot and store_publish_slot) for
 * the drivers that keep records, as the postgres store's pgkeel.set_slot
 * and pgkeel.publish_slot (pgstore_migrate_logical.c) keep them: the
 * operator declares, removes or changes a slot, with an event; a node's
 * own credential alone publishes its copy of a declared logical slot,
 * and the latest publication is the one every reader sees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/slotdecl.h"
#include "store/storepolicy.h"

static StoreSlot *slot_named(StoreFormation *f, const char *name)
{
	for (size_t i = 0; i < f->nslots; i++) {
		if (strcmp(f->slots[i].name, name) == 0)
			return &f->slots[i];
	}
	return NULL;
}

static size_t declared(const StoreFormation *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->nslots; i++)
		n += !f->slots[i].removed;
	return n;
}

/* Declared ones first, then by name (as the postgres store lists them). */
static int slot_order(const void *a, const void *b)
{
	const StoreSlot *x = a, *y = b;

	if (x->removed != y->removed)
		return x->removed ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void forget_copy(StoreSlot *sl)
{
	sl->copy_node = 0;
	sl->confirmed_flush = LSN_INVALID;
	sl->state[0] = '\0';
}

/* A new entry for name; a removed one makes room when every entry is
 * taken. NULL when none can. */
static StoreSlot *new_slot(StoreFormation *f, const char *name)
{
	size_t i = f->nslots;

	if (f->nslots == STORE_MAX_SLOTS) {
		for (i = 0; i < f->nslots && !f->slots[i].removed; i++)
			;
		if (i == f->nslots)
			return NULL;
	} else {
		f->nslots++;
	}
	memset(&f->slots[i], 0, sizeof(f->slots[i]));
	snprintf(f->slots[i].name, sizeof(f->slots[i].name), "%s", name);
	f->slots[i].removed = true;
	return &f->slots[i];
}

static StoreFailure check_slot(const StoreFormation *f, const char *name,
			       const char *kind, const StoreSlot *sl,
			       StorePolicyOut *out)
{
	char err[256];

	if (!slotdecl_name_ok(name, err, sizeof(err)))
		return policy_fail(out, STORE_REFUSED,
				   "invalid slot name \"%s\"", name);
	if (kind && !slotdecl_value_ok(kind, err, sizeof(err)))
		return policy_fail(out, STORE_REFUSED,
				   "invalid slot kind \"%s\": "
				   SLOTDECL_PHYSICAL " or "
				   SLOTDECL_LOGICAL_PREFIX "PLUGIN:DATABASE",
				   kind);
	if (!kind && (!sl || sl->removed))
		return policy_fail(out, STORE_REFUSED,
				   "slot %s is not declared for formation %s",
				   name, f->name);
	if (kind && (!sl || sl->removed) && declared(f) >= SLOTDECL_MAX)
		return policy_fail(out, STORE_REFUSED,
				   "formation %s has " SLOTDECL_MAX_TEXT
				   " slots already",
				   f->name);
	return STORE_OK;
}

StoreFailure policy_set_slot(StoreFormation *f, const StoreActor *a,
			     const char *name, const char *kind,
			     bool *forget, StorePolicyOut *out)
{
	StoreSlot *sl = slot_named(f, name);
	char old[SLOTDECL_KIND_LEN];

	*forget = false;
	if (a->role == ACTOR_NODE)
		return policy_fail(out, STORE_REFUSED,
				   "permission denied: slots take the "
				   "operator's credential");
	if (check_slot(f, name, kind, sl, out) != STORE_OK)
		return STORE_REFUSED;
	if (!sl && !(sl = new_slot(f, name)))
		return policy_fail(out, STORE_REFUSED,
				   "formation %s keeps too many removed slots",
				   f->name);
	snprintf(old, sizeof(old), "%s", sl->removed ? "(unset)" : sl->kind);
	if (sl->removed || !kind || strcmp(sl->kind, kind) != 0) {
		*forget = true; /* a new kind forgets what was published */
		forget_copy(sl);
	}
	snprintf(sl->kind, sizeof(sl->kind), "%s", kind ? kind : "");
	sl->removed = kind == NULL;
	qsort(f->slots, f->nslots, sizeof(f->slots[0]), slot_order);
	policy_event(out, f, NULL, "", "", "slots.%s changed from %s to %s",
		     name, old, kind ? kind : "(unset)");
	return STORE_OK;
}

/* Lower-case hex, whole bytes, shorter than STORE_SLOT_STATE_LEN. */
static bool state_ok(const char *state)
{
	size_t n = strlen(state);

	if (n == 0 || n % 2 || n >= STORE_SLOT_STATE_LEN)
		return false;
	return strspn(state, "0123456789abcdef") == n;
}

StoreFailure policy_publish_slot(StoreFormation *f, const StoreActor *a,
				 int node_id, const char *name, Lsn confirmed,
				 const char *state, StorePolicyOut *out)
{
	StoreSlot *sl = slot_named(f, name);

	if (a->role != ACTOR_NODE || a->node_id != node_id ||
	    !store_formation_node(f, node_id))
		return policy_fail(out, STORE_REFUSED,
				   "node %d unknown, or this is not node %d's "
				   "credential",
				   node_id, node_id);
	if (!sl || sl->removed ||
	    strncmp(sl->kind, SLOTDECL_LOGICAL_PREFIX,
		    strlen(SLOTDECL_LOGICAL_PREFIX)) != 0)
		return policy_fail(out, STORE_REFUSED,
				   "slot %s is not declared logical for "
				   "formation %s",
				   name, f->name);
	if (!state || !state_ok(state))
		return policy_fail(out, STORE_REFUSED,
				   "the state of slot %s is not lower-case hex "
				   "under " STORE_SLOT_STATE_LEN_TEXT
				   " characters",
				   name);
	sl->copy_node = node_id;
	sl->confirmed_flush = confirmed;
	snprintf(sl->state, sizeof(sl->state), "%s", state);
	return STORE_OK;
}
