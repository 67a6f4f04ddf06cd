/*
 * pgstore_migrate.h - bringing a postgres store up to this pgkeel's
 * schema version, step by step, as the monitor (its database's owner).
 */
#ifndef PGK_PGSTORE_MIGRATE_H
#define PGK_PGSTORE_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "pg/pgsql.h"

/*
 * Runs every upgrade step above the store's version, each in its own
 * transaction with the version's update (inside one already open when
 * in_transaction: a new store's). *from is the version found. False with
 * err when the store cannot be upgraded (older than the base, newer than
 * this pgkeel) or a step failed; nothing of a failed step remains.
 */
bool pgstore_migrate(PgConn *pc, bool in_transaction, int *from, char *err,
		     size_t errlen);

/* The steps' statements, NULL-terminated lists: step i takes a store
 * from PGSTORE_SCHEMA_BASE_VERSION + i to the next version. */
extern const char *const *const pgstore_migrate_steps[];
extern const size_t pgstore_migrate_nsteps;
/* pgstore_migrate_ops.c: the step of reinit requests and scheduled
 * operations */
extern const char *const pgstore_step_operations[];
/* pgstore_migrate_cascade.c: the step of node.replicate_from and
 * node.apply_delay */
extern const char *const pgstore_step_cascade[];
/* pgstore_migrate_logical.c: the step of logical permanent slots */
extern const char *const pgstore_step_logical[];
/* pgstore_migrate_standby.c: the step of formation.standby_of */
extern const char *const pgstore_step_standby[];
/* pgstore_migrate_policy.c: the step that gives the operator's actions
 * to the drivers' shared rules */
extern const char *const pgstore_step_policy[];
/* pgstore_migrate_rules.c: the step that gives the monitor's apply to
 * the drivers' shared rules */
extern const char *const pgstore_step_rules[];

#endif
