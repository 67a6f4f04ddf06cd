/*
 * pgslots.h - physical replication slots: one per standby on the primary
 * (so WAL a standby still needs is kept), and copies on the standbys kept
 * advanced, so that a promoted standby already holds slots for the others.
 */
#ifndef PGK_PGSLOTS_H
#define PGK_PGSLOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/lsn.h"
#include "common/slotdecl.h"
#include "pg/pgsql.h"

/* declared permanent slots may not use it (common/slotdecl.h) */
#define SLOT_PREFIX SLOTDECL_RESERVED_PREFIX
#define SLOTS_MAX 32

typedef struct {
	char name[64];
	Lsn restart_lsn;
	bool active;
} SlotInfo;

/* The slot name for a node: "pgkeel_" + the name, '-' as '_'. */
void slot_name_for(const char *node_name, char *buf, size_t len);
/* pgkeel's slots (those named pgkeel_*) on the server, the first max of
 * them. False with pc->error set (and *n 0) when the query failed. */
bool slots_list(PgConn *pc, SlotInfo *out, size_t max, size_t *n);
/* Creates the slot (reserving WAL now) unless it exists: true when it
 * exists after; false with pc->error set. */
bool slot_create(PgConn *pc, const char *name);
/* Drops the slot unless it is active: true when the statement ran (the
 * slot may remain, active; "dropped" is logged either way); false with
 * pc->error set. */
bool slot_drop(PgConn *pc, const char *name);
/* Moves the slot forward to lsn (never back); on a standby as well. True
 * when the statement ran (an active, missing or already further slot is
 * left alone); false with pc->error set. */
bool slot_advance(PgConn *pc, const char *name, Lsn lsn);
/*
 * Makes the server hold exactly the slots in wanted (names), advancing
 * them to advance_to when it is valid: creates missing ones, drops
 * pgkeel slots of nodes that left. Active slots are never dropped. True
 * when every step succeeded; false with pc->error set by the last that
 * failed (the others are still tried).
 */
bool slots_sync(PgConn *pc, const char *const *wanted, size_t nwanted,
		Lsn advance_to);

#endif
