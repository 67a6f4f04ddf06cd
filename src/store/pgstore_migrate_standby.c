/*
 * pgstore_migrate_standby.c - the schema step (11 -> 12) that adds
 * standby formations to the postgres store (docs/state-machine.md,
 * "Standby formations"):
 *
 * - formation.standby_of: the URI of the formation this one is a
 *   standby formation of ("": none); its primary streams from there and
 *   is never promoted until the setting is removed.
 *
 * set_setting validates it (pgstore_setsetting.c).
 */
#include "store/pgstore_migrate.h"

#include "store/pgstore_schema.h"

const char *const pgstore_step_standby[] = {
	"ALTER TABLE pgkeel.formation ADD COLUMN standby_of text NOT NULL"
	" DEFAULT ''",
	pgstore_set_setting_sql,
	NULL,
};
