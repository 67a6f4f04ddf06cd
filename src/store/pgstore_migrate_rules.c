/*
 * pgstore_migrate_rules.c - the schema step (13 -> 14) that moves the
 * monitor's write of its decisions out of the postgres store's
 * functions into the rule the drivers share (storepolicy.h,
 * policy_apply; pgstore_apply.c): which request expired and which
 * dropped nodes leave are decided in C, and the store keeps plain rows
 * (retired_role, for roles dropped a little later). delete_dropped goes.
 */
#include "store/pgstore_migrate.h"

#include "store/pgstore_schema.h"

const char *const pgstore_step_rules[] = {
	"DROP FUNCTION pgkeel.delete_dropped(text)",
	NULL,
};
