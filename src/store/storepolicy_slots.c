/*
 * storepolicy_slots.c - the rule of a formation's permanent replication
 * slots (storepolicy.h, store.h's store_set_slot): the operator's
 * credential alone; a name and kind as common/slotdecl.h accepts them;
 * at most SLOTDECL_MAX declared; a removed slot stays listed, without a
 * kind, so that every keeper drops its copy; a new kind forgets what
 * was published of the slot.
 */
#include <stdio.h>
#include <string.h>

#include "common/slotdecl.h"
#include "store/storepolicy.h"

/* The slot's index in f, or f->nslots. */
static size_t slot_at(const StoreFormation *f, const char *name)
{
	size_t i = 0;

	while (i < f->nslots && strcmp(f->slots[i].name, name) != 0)
		i++;
	return i;
}

static size_t declared(const StoreFormation *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->nslots; i++)
		n += !f->slots[i].removed;
	return n;
}

/* Room for a slot not listed yet: a snapshot full of removed slots
 * forgets the last one listed (a store that keeps their rows keeps it
 * as it is). */
static size_t new_slot(StoreFormation *f)
{
	if (f->nslots < STORE_MAX_SLOTS)
		return f->nslots++;
	return f->nslots - 1; /* removed ones are listed last */
}

StoreFailure policy_set_slot(StoreFormation *f, const StoreActor *a,
			     const char *name, const char *kind,
			     StorePolicyOut *out)
{
	char why[200], old[SLOTDECL_KIND_LEN] = "";
	size_t i = slot_at(f, name);

	if (a->role == ACTOR_NODE)
		return policy_fail(out, STORE_REFUSED,
				   "permission denied: slots take the "
				   "operator's credential");
	if (!slotdecl_name_ok(name, why, sizeof(why)))
		return policy_fail(out, STORE_REFUSED,
				   "invalid slot name \"%s\"", name);
	if (kind && !slotdecl_value_ok(kind, why, sizeof(why)))
		return policy_fail(out, STORE_REFUSED,
				   "invalid slot kind \"%s\": " SLOTDECL_PHYSICAL
				   " or " SLOTDECL_LOGICAL_PREFIX
				   "PLUGIN:DATABASE",
				   kind);
	if (i < f->nslots && !f->slots[i].removed)
		snprintf(old, sizeof(old), "%s", f->slots[i].kind);
	if (!kind && !old[0])
		return policy_fail(out, STORE_REFUSED,
				   "slot %s is not declared for formation %s",
				   name, f->name);
	if (kind && !old[0] && declared(f) >= SLOTDECL_MAX)
		return policy_fail(out, STORE_REFUSED,
				   "formation %s has " SLOTDECL_MAX_TEXT
				   " slots already",
				   f->name);
	if (i == f->nslots)
		i = new_slot(f);
	StoreSlot *sl = &f->slots[i];
	if (strcmp(old, kind ? kind : "") != 0 || sl->removed != !kind) {
		memset(sl, 0, sizeof(*sl));
		snprintf(sl->name, sizeof(sl->name), "%s", name);
		snprintf(sl->kind, sizeof(sl->kind), "%s", kind ? kind : "");
		sl->removed = !kind;
		sl->confirmed_flush = LSN_INVALID;
	}
	policy_event(out, f, NULL, "", "", "slots.%s changed from %s to %s",
		     name, old[0] ? old : "(unset)", kind ? kind : "(unset)");
	return STORE_OK;
}
