/*
 * pgnode_supervise.h - one supervision step applied to the node: start
 * Postgres again when it crashed, as the Supervisor decides.
 */
#ifndef PGK_PGNODE_SUPERVISE_H
#define PGK_PGNODE_SUPERVISE_H

#include <stddef.h>
#include <stdint.h>

#include "pg/pgnode.h"
#include "pg/restartpolicy.h"

/* Observes, decides and (re)starts. Returns the Supervisor's action
 * (SUPERVISE_CLEARING while a dead server's leftovers are being cleared);
 * err says why a start, or removing a stale postmaster.pid, failed: both
 * are logged as errors too. */
SuperviseAction pgnode_supervise(const PgNode *node, Supervisor *sup,
				 bool should_run, int64_t now_ms, char *err,
				 size_t errlen);

#endif
