/*
 * rtsettings.h - the catalog of the run-time settings: the ones kept in
 * the store for a formation or for one of its nodes and changed with
 * `pgkeel config set|unset` without restarting anything.
 *
 * This table is their one definition. `pgkeel config` looks names and
 * defaults up in it, `pgkeel show settings` lists its rows,
 * docs/configuration.md's table of formation settings is generated from
 * it (`make docs`), every store validates changes with it
 * (store/storepolicy_admin.c), and a unit test holds the postgres
 * store's column defaults to its types and defaults.
 */
#ifndef PGK_RTSETTINGS_H
#define PGK_RTSETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/settings.h"

typedef enum {
	RS_NUMBER_SYNC_STANDBYS,
	RS_STRICT_SYNC,
	RS_PAUSED,
	RS_CANDIDATE_PRIORITY,
	RS_REPLICATION_QUORUM,
	RS_TAGS,
	RS_REPLICATE_FROM,
	RS_APPLY_DELAY,
	RS_STANDBY_OF,
	RS_COUNT
} RuntimeSettingId;

typedef enum {
	RS_FORMATION, /* one value for the formation */
	RS_NODE       /* one value per node, named with --name */
} RuntimeScope;

typedef struct {
	RuntimeSettingId id;
	/* "formation.KEY" or "node.KEY": KEY is the column of the store's
	 * table pgkeel.formation or pgkeel.node that holds it */
	const char *name;
	RuntimeScope scope;
	ValueSpec spec;     /* VAL_INT within [min, max], VAL_BOOL,
			     * VAL_TAGS (a mask of common/nodetags.h's
			     * bits in force, their names as text),
			     * VAL_DURATION (milliseconds in force), or
			     * VAL_NODE (a node's name, kept as text),
			     * VAL_URI (a postgres:// URI, kept as text;
			     * "" for none) */
	const char *defval; /* what `config unset` sets */
	const char *doc;    /* its effect, one line of the docs' table */
} RuntimeSettingDef;

/* The row of id; NULL for an id out of range. */
const RuntimeSettingDef *runtime_setting(RuntimeSettingId id);
/* Looks up a full name such as "formation.paused"; NULL when unknown. */
const RuntimeSettingDef *runtime_setting_find(const char *name);
/* The name after its scope's prefix: the store's column (a pointer into
 * d->name, never NULL). */
const char *runtime_setting_key(const RuntimeSettingDef *d);
/* Its values as the docs write them: "0..16", "true" sep "false", the
 * tags joined with ",", "0ms..1440min", "a node's name" or "a URI". */
void runtime_setting_values(const RuntimeSettingDef *d, const char *sep,
			    char *buf, size_t len);
/* A value in force, v (a bool as 0 or 1, tags as a mask, a duration in
 * milliseconds), as text: "3", "true", "nofailover", "60min". Not for
 * VAL_NODE and VAL_URI, whose values are text already. */
void runtime_setting_format(const RuntimeSettingDef *d, int v, char *buf,
			    size_t len);
/* Every name, "a, b, ... and " last: for messages. */
void runtime_setting_names(const char *last, char *buf, size_t len);

#endif
