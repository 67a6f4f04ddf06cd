/*
 * config.h - one node's configuration: values for the settings of
 * settings.h, read from and written to an INI file.
 *
 * Values are kept as validated text; typed getters convert them. A value
 * that was never set falls back to the setting's default. Command-line
 * flags override the file (config_set), and the merged result is what the
 * daemon writes back at create time.
 */
#ifndef PGK_CONFIG_H
#define PGK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/settings.h"

typedef struct {
	char *values[SETTING_COUNT]; /* NULL: not set */
	char path[4096];             /* file it was loaded from, or "" */
} Config;

void config_init(Config *cfg);
void config_free(Config *cfg);

/* Copies every value set in src into dst (which is initialised first).
 * A value that cannot be copied (out of memory) is left unset, silently. */
void config_copy(Config *dst, const Config *src);

/* Validates and stores. True when stored; false with err set (the value,
 * the setting and what is wrong with it; or "out of memory") and cfg
 * unchanged. */
bool config_set(Config *cfg, SettingId id, const char *value, char *err,
		size_t errlen);
/* Like config_set, by "section.key" name; false with err set as
 * config_set does, or naming an unknown setting. */
bool config_set_by_name(Config *cfg, const char *name, const char *value,
			char *err, size_t errlen);
/* True when id is a setting with a value in cfg (not its default). */
bool config_is_set(const Config *cfg, SettingId id);

/* The value, or the default, or NULL when neither exists. */
const char *config_get(const Config *cfg, SettingId id);
/* config_get_int, config_get_ms: the value as a number (a duration in
 * milliseconds); 0 when there is none or it does not parse. */
int64_t config_get_int(const Config *cfg, SettingId id);
int64_t config_get_ms(const Config *cfg, SettingId id);
/* True when the value is a true boolean; false when false, unset
 * without a default, or not a boolean. */
bool config_get_bool(const Config *cfg, SettingId id);

/*
 * Reads an INI file. Unknown sections or keys and invalid values are
 * errors (with file and line in err): a typo must not be silently ignored.
 * Values already set in cfg (from flags) are kept: flags win.
 * True when read; false with err set (the file cannot be opened, or
 * file:line and what is wrong). Values read before the error stay set.
 */
bool config_load(Config *cfg, const char *path, char *err, size_t errlen);
/*
 * Reads cfg's file again (SIGHUP). On success (true) cfg holds the new
 * values; on failure (false) it is unchanged and err says why.
 */
bool config_reread(Config *cfg, char *err, size_t errlen);

/*
 * SIGHUP for a daemon: config_reread, refused (logged, cfg unchanged) when
 * the timeouts would be unsafe; applies the log level. True when reloaded.
 */
bool config_reload(Config *cfg);

/*
 * The ordering of docs/configuration.md: fence_timeout + store_timeout +
 * keeper_interval < node_down_timeout. True when it holds; false with err
 * explaining the violation (the four values and the risk).
 */
bool config_timeouts_ordered(const Config *cfg, char *err, size_t errlen);

/* Writes every set value, grouped by section, atomically. True when
 * written; false when not, logged (fs_write_file_atomic's message, or
 * "out of memory"; nothing is logged when open_memstream fails). */
bool config_save(const Config *cfg, const char *path);

#endif
