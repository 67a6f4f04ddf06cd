/*
 * slotdecl.h - the formation's permanent replication slots as the
 * operator declares them (`pgkeel config set slots.NAME KIND`):
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
/* the kinds kept across failovers: "physical", or
 * "logical:PLUGIN:DATABASE" (a logical slot decoding DATABASE with the
 * output plugin PLUGIN) */
#define SLOTDECL_PHYSICAL "physical"
#define SLOTDECL_LOGICAL_PREFIX "logical:"
/* a plugin's or a database's name in a logical kind (POSIX ERE) */
#define SLOTDECL_IDENT "[A-Za-z0-9_]{1,63}"
/* every kind accepted (POSIX ERE, also valid in `~`) */
#define SLOTDECL_KIND_PATTERN \
	"^(" SLOTDECL_PHYSICAL "|" SLOTDECL_LOGICAL_PREFIX SLOTDECL_IDENT \
	":" SLOTDECL_IDENT ")$"
/* the longest kind, with its terminating NUL */
#define SLOTDECL_KIND_LEN 144
/* declared slots a formation may hold */
#define SLOTDECL_MAX 16
#define SLOTDECL_MAX_TEXT "16"

/* True for a setting name that starts with "slots." (valid or not). */
bool slotdecl_is_setting(const char *setting);
/* Checks a slot name: true when it follows Postgres's rule and is not
 * one of pgkeel's own; false with err saying what is wrong. */
bool slotdecl_name_ok(const char *name, char *err, size_t errlen);
/* A declared kind, taken apart. */
typedef struct {
	bool logical;
	char plugin[64];   /* logical: the output plugin */
	char database[64]; /* logical: the database it decodes */
} SlotKind;

/* Checks the value of `config set slots.NAME VALUE` and fills out (may
 * be NULL): true for "physical" or "logical:PLUGIN:DATABASE" (each name
 * 1 to 63 letters, digits or underscores); false with err saying what
 * is accepted. */
bool slotdecl_parse(const char *value, SlotKind *out, char *err,
		    size_t errlen);
/* slotdecl_parse without the parts: true when accepted, false with err
 * set. */
bool slotdecl_value_ok(const char *value, char *err, size_t errlen);

#endif
