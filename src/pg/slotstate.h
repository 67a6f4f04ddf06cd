/*
 * slotstate.h - a replication slot's state file, pg_replslot/NAME/state
 * in a data directory, as text (lower-case hex): read on a primary,
 * written on a standby while its Postgres runs, which loads it at its
 * next start (docs/guarantees.md, "Permanent replication slots").
 */
#ifndef PGK_SLOTSTATE_H
#define PGK_SLOTSTATE_H

#include <stdbool.h>
#include <stddef.h>

/* Reads pgdata's pg_replslot/NAME/state into hex (NUL-terminated; it
 * must hold twice the file's size and one more). False with err set
 * (no such file, unreadable, or too large for hex). */
bool slotstate_read(const char *pgdata, const char *name, char *hex,
		    size_t hexlen, char *err, size_t errlen);
/* Writes hex as pgdata's pg_replslot/NAME/state: makes the directory,
 * writes a temporary file, syncs it, renames it and syncs the
 * directories. False with err set (malformed hex, or a step failed). */
bool slotstate_write(const char *pgdata, const char *name, const char *hex,
		     char *err, size_t errlen);

#endif
