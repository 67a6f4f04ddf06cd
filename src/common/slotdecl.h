/*
 * slotdecl.h - the formation's permanent replication slots as the
 * operator declares them (`pgkeel config set slots.NAME physical`):
 * what a slot name may be, which names pgkeel keeps for itself, and
 * which kinds of slot pgkeel keeps across a failover. The store's own
 * check (store/pgstore_migrate.c) is built from the same patterns.
 */
#ifndef PGK_SLOTDECL_H
#define PGK_SLOTDECL_H

#include <stdbool.h>
#include <stddef.h>

/* Postgres's rule for slot names: lower-case letters, digits and
 * underscores, at most 63 of them (POSIX ERE, also valid in `~`). */
#define SLOTDECL_NAME_PATTERN "^[a-z0-9_]{1,63}$"
/* pgkeel's own slot names start with this (one per node: pg/pgslots.h);
 * declared slots may not. */
#define SLOTDECL_RESERVED_PREFIX "pgkeel_"
/* the setting's prefix: slots.NAME */
#define SLOTDECL_SETTING_PREFIX "slots."
/* the one kind kept across failovers */
#define SLOTDECL_PHYSICAL "physical"
/* declared slots a formation may hold */
#define SLOTDECL_MAX 16
#define SLOTDECL_MAX_TEXT "16"

/* True for a setting name that starts with "slots." (valid or not). */
bool slotdecl_is_setting(const char *setting);
/* Checks a slot name: true when it follows Postgres's rule and is not
 * one of pgkeel's own; false with err saying what is wrong. */
bool slotdecl_name_ok(const char *name, char *err, size_t errlen);
/* Checks the value of `config set slots.NAME VALUE`: true for
 * "physical"; false with err saying what is accepted (for "logical:..."
 * which PostgreSQL version would be needed, and what to do instead). */
bool slotdecl_value_ok(const char *value, char *err, size_t errlen);

#endif
