/*
 * logslots.h - the formation's permanent logical slots on one server:
 * creating one in its database, where it stands (confirmed_flush_lsn),
 * and moving a standby's copy forward (docs/guarantees.md, "Permanent
 * replication slots"). The copy itself is the primary's state file
 * (pg/slotstate.h).
 */
#ifndef PGK_LOGSLOTS_H
#define PGK_LOGSLOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/lsn.h"
#include "pg/pgsql.h"

typedef struct {
	bool exists;         /* a logical slot of that name is there */
	bool active;         /* a client streams from it */
	Lsn confirmed_flush; /* LSN_INVALID when it has none */
	char plugin[64];
	char database[64];
} LogSlotPos;

/* Reads the logical slots names[0..n) on the server into out[i] (names
 * must pass slotdecl_name_ok). True when the query ran; false with
 * pc->error set (out then says none exists). */
bool logslots_read(PgConn *pc, const char *const *names, size_t n,
		   LogSlotPos *out);
/* Creates the logical slot name with plugin in the database pc is
 * connected to, unless a slot of that name exists: true when one exists
 * after; false with pc->error set. */
bool logslot_create(PgConn *pc, const char *name, const char *plugin);
/* Moves the slot forward to lsn, never past what this server has
 * replayed (on a standby) and never back; pc must be connected to the
 * slot's database. True when the statement ran (a slot already there
 * or further is left alone); false with pc->error set. */
bool logslot_advance(PgConn *pc, const char *name, Lsn lsn);
/* Reads whether hot_standby_feedback is on into *on: true when read,
 * false with pc->error set. */
bool logslots_feedback_on(PgConn *pc, bool *on);
/* True when a failed logslot_advance lacked WAL the copy starts from
 * (the copy is then of no use: copy it again); false otherwise. */
bool logslot_missing_wal(const PgConn *pc);

#endif
