/*
 * flags.h - command-line flags, declared per command as a table.
 *
 * A path given relative on the command line is made absolute against the
 * current directory (the configuration file stores absolute paths only).
 *
 * A flag either names a setting of settings.h (then its name, metavar,
 * help and validation come from the settings catalog, so every setting is
 * a flag with one definition) or is local to the command (--json,
 * --count, --force...). Values are validated while parsing, and errors say
 * which flag was wrong and what was expected.
 */
#ifndef PGK_FLAGS_H
#define PGK_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/config.h"
#include "common/settings.h"

#define FLAG_NO_SETTING (-1)
#define FLAGS_MAX 64

typedef struct {
	const char *name;    /* long name without dashes (local flags) */
	const char *metavar; /* NULL: a switch that takes no value */
	ValueSpec spec;
	const char *help;
	int setting;         /* a SettingId, or FLAG_NO_SETTING */
	bool required;
} FlagDef;

/* A flag that is a setting. */
#define FLAG_OF(id) {NULL, NULL, {VAL_TEXT, 0, 0, NULL}, NULL, (id), false}
#define FLAG_OF_REQUIRED(id)                                              \
	{NULL, NULL, {VAL_TEXT, 0, 0, NULL}, NULL, (id), true}
/* A switch. */
#define FLAG_SWITCH(name, help)                                           \
	{(name), NULL, {VAL_TEXT, 0, 0, NULL}, (help), FLAG_NO_SETTING, false}
/* A local flag with a value: FLAG_VALUE(name, metavar, help, type[, min,
 * max, choices]). */
#define FLAG_VALUE(name, metavar, help, ...)                              \
	{(name), (metavar), {__VA_ARGS__}, (help), FLAG_NO_SETTING, false}

typedef struct {
	const FlagDef *defs;
	size_t ndefs;
	const char *values[FLAGS_MAX]; /* argv text, "true" for switches */
	char *owned[FLAGS_MAX];        /* values made here (absolute paths) */
	char **args;                   /* positional arguments */
	int nargs;
} Flags;

/* A flag's effective name, metavar, help and spec (settings resolved):
 * flag_name, flag_metavar, flag_help, flag_spec. flag_metavar is NULL
 * for a switch, flag_help NULL only when the table gives none; flag_name
 * and flag_spec are never NULL for a well-formed table. */
const char *flag_name(const FlagDef *def);
const char *flag_metavar(const FlagDef *def);
const char *flag_help(const FlagDef *def);
const ValueSpec *flag_spec(const FlagDef *def);
/* A setting's default shown in help, or NULL. */
const char *flag_default(const FlagDef *def);

/*
 * Parses argv (argv[0] is the command's name) into out. On a usage error
 * prints a message naming the flag to stderr and returns false. Sets
 * *want_help when --help was given.
 */
bool flags_parse(const FlagDef *defs, size_t ndefs, int argc, char **argv,
		 Flags *out, bool *want_help, const char *command_path);

/* Frees what flags_parse allocated. */
void flags_free(Flags *flags);

/* Value of a flag by name, or NULL when not given. flags_has: true when
 * given. flags_get_int: its value as a number (0 when not one), or
 * fallback when not given. */
const char *flags_get(const Flags *flags, const char *name);
bool flags_has(const Flags *flags, const char *name);
int flags_get_int(const Flags *flags, const char *name, int fallback);

/* Copies every flag that is a setting into cfg (flags override files).
 * False, with the first invalid value's message printed on stderr, when
 * one does not validate; the values before it are copied. */
bool flags_apply_to_config(const Flags *flags, Config *cfg);

#endif
