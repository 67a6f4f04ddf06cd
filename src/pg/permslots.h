/*
 * permslots.h - the formation's permanent physical slots on one server:
 * where each stands (restart_lsn), on the local Postgres or on the
 * upstream a standby follows. A standby advances its copies to the
 * upstream's positions (pg/pgslots.h's slot_advance), so that after a
 * failover the new primary still holds the WAL a slot's consumer has
 * not received (docs/guarantees.md).
 */
#ifndef PGK_PERMSLOTS_H
#define PGK_PERMSLOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/lsn.h"
#include "pg/pgnode.h"
#include "pg/pgsql.h"

typedef struct {
	bool exists;     /* a physical slot of that name is on the server */
	Lsn restart_lsn; /* LSN_INVALID when it has none */
} PermSlotPos;

/* Reads the physical slots names[0..n) on the server into out[i] (names
 * must pass slotdecl_name_ok). True when the query ran; false with
 * pc->error set (out then says none exists). */
bool permslots_read(PgConn *pc, const char *const *names, size_t n,
		    PermSlotPos *out);
/* permslots_read on the node's upstream, over a connection of the
 * replication role. True when read; false with err set (not a standby,
 * or the upstream cannot be reached or read). */
bool permslots_read_upstream(const PgNode *node, const char *const *names,
			     size_t n, PermSlotPos *out, char *err,
			     size_t errlen);

#endif
