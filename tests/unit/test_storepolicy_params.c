/*
 * test_storepolicy_params.c - the rules of a formation's Postgres
 * parameters and backup settings (storepolicy.h), which the postgres
 * driver alone keeps of the store contract's drivers, and of its
 * permanent slots' declarations: who may change them, what is refused
 * with the formation unchanged, and the events as the store words them.
 */
#include "unit.h"
#include <stdio.h>
#include <string.h>

#include "common/slotdecl.h"
#include "store/storepolicy.h"

static StoreFormation f, before;
static StorePolicyOut out;
static bool forget; /* policy_set_slot: the published copy must go */
static const StoreActor op = {ACTOR_OPERATOR, 0}, node = {ACTOR_NODE, 1};

static int fresh(void **state)
{
	(void)state;
	policy_formation_init(&f, "f1");
	policy_reset(&out);
	return 0;
}

/* f as it was before the call, and the reason given. */
static void refused(StoreFailure r, const char *why)
{
	assert_int_equal(r, STORE_REFUSED);
	assert_memory_equal(&f, &before, sizeof(f));
	if (!strstr(out.why, why))
		fail_msg("\"%s\" lacks \"%s\"", out.why, why);
	policy_reset(&out);
}

static void last_event(const char *want)
{
	assert_true(out.nevents > 0);
	assert_string_equal(out.events[out.nevents - 1].description, want);
}

static void parameters_are_set_replaced_and_removed(void **state)
{
	char ctx[32];
	(void)state;

	before = f;
	refused(policy_set_pg_param(&f, &node, "work_mem", "8MB", ctx,
				    sizeof(ctx), &out),
		"permission denied");
	refused(policy_set_pg_param(&f, &op, "Work_Mem", "8MB", ctx,
				    sizeof(ctx), &out),
		"invalid value");
	assert_int_equal(policy_set_pg_param(&f, &op, "work_mem", "8MB", ctx,
					     sizeof(ctx), &out),
			 STORE_OK);
	last_event("postgresql.work_mem changed from (unset) to 8MB");
	assert_int_equal(policy_set_pg_param(&f, &op, "work_mem", "16MB", ctx,
					     sizeof(ctx), &out),
			 STORE_OK);
	last_event("postgresql.work_mem changed from 8MB to 16MB");
	assert_int_equal(f.nparams, 1);
	assert_string_equal(f.params[0].value, "16MB");
	assert_int_equal(policy_set_pg_param(&f, &op, "work_mem", NULL, ctx,
					     sizeof(ctx), &out),
			 STORE_OK);
	last_event("postgresql.work_mem changed from 16MB to (unset)");
	assert_int_equal(f.nparams, 0);
}

static void a_backup_setting_is_a_name(void **state)
{
	(void)state;

	before = f;
	refused(policy_set_backup(&f, &node, "backup.pgbackrest_stanza", "m",
				  &out),
		"permission denied");
	refused(policy_set_backup(&f, &op, "backup.nope", "m", &out),
		"unknown setting backup.nope");
	refused(policy_set_backup(&f, &op, "backup.pgbackrest_stanza",
				  "a b", &out),
		"must be a name");
	assert_int_equal(policy_set_backup(&f, &op, "backup.pgbackrest_stanza",
					   "main", &out),
			 STORE_OK);
	assert_string_equal(f.pgbackrest_stanza, "main");
	last_event("backup.pgbackrest_stanza changed from (unset) to main");
	assert_int_equal(policy_set_backup(&f, &op, "backup.pgbackrest_stanza",
					   NULL, &out),
			 STORE_OK);
	assert_string_equal(f.pgbackrest_stanza, "");
}

static void slots_are_declared_changed_and_removed(void **state)
{
	(void)state;

	before = f;
	refused(policy_set_slot(&f, &node, "cdc", "physical", &forget, &out),
		"permission denied");
	refused(policy_set_slot(&f, &op, "pgkeel_a", "physical", &forget, &out),
		"invalid slot name");
	refused(policy_set_slot(&f, &op, "cdc", "temporary", &forget, &out),
		"invalid slot kind");
	refused(policy_set_slot(&f, &op, "cdc", NULL, &forget, &out), "not declared");
	assert_int_equal(policy_set_slot(&f, &op, "cdc", "physical", &forget, &out),
			 STORE_OK);
	last_event("slots.cdc changed from (unset) to physical");
	f.slots[0].copy_node = 3; /* published */
	assert_int_equal(policy_set_slot(&f, &op, "cdc", "logical:x:db", &forget, &out),
			 STORE_OK);
	last_event("slots.cdc changed from physical to logical:x:db");
	assert_int_equal(f.slots[0].copy_node, 0); /* forgotten */
	assert_true(forget);
	assert_int_equal(policy_set_slot(&f, &op, "cdc", NULL, &forget, &out), STORE_OK);
	assert_int_equal(f.nslots, 1);
	assert_true(f.slots[0].removed); /* listed, for keepers to drop */
	last_event("slots.cdc changed from logical:x:db to (unset)");
}

static void at_most_slotdecl_max_slots_are_declared(void **state)
{
	char name[32];
	(void)state;

	for (int i = 0; i < SLOTDECL_MAX; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		assert_int_equal(policy_set_slot(&f, &op, name, "physical",
						 &forget, &out),
				 STORE_OK);
	}
	before = f;
	refused(policy_set_slot(&f, &op, "one_more", "physical", &forget, &out),
		"slots already");
	/* removed ones fill the rest of a snapshot; a new one still fits */
	for (int i = 0; i < SLOTDECL_MAX; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		assert_int_equal(policy_set_slot(&f, &op, name, NULL, &forget, &out),
				 STORE_OK);
	}
	for (int i = 0; i < STORE_MAX_SLOTS - SLOTDECL_MAX; i++) {
		snprintf(name, sizeof(name), "r%d", i);
		assert_int_equal(policy_set_slot(&f, &op, name, "physical",
						 &forget, &out),
				 STORE_OK);
		assert_int_equal(policy_set_slot(&f, &op, name, NULL, &forget, &out),
				 STORE_OK);
	}
	assert_int_equal(f.nslots, STORE_MAX_SLOTS);
	assert_int_equal(policy_set_slot(&f, &op, "late", "physical", &forget, &out),
			 STORE_OK);
	assert_int_equal(f.nslots, STORE_MAX_SLOTS);
	/* declared ones are listed first */
	assert_string_equal(f.slots[0].name, "late");
	assert_false(f.slots[0].removed);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test_setup(parameters_are_set_replaced_and_removed,
				 fresh),
	  cmocka_unit_test_setup(a_backup_setting_is_a_name, fresh),
	  cmocka_unit_test_setup(slots_are_declared_changed_and_removed,
				 fresh),
	  cmocka_unit_test_setup(at_most_slotdecl_max_slots_are_declared,
				 fresh))
