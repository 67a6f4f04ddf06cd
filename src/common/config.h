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

/* Copies every value set in src into dst (which is initialised first). */
void config_copy(Config *dst, const Config *src);

/* Validates and stores; on failure err says what was wrong. */
bool config_set(Config *cfg, SettingId id, const char *value, char *err,
		size_t errlen);
/* Like config_set, by "section.key" name. */
bool config_set_by_name(Config *cfg, const char *name, const char *value,
			char *err, size_t errlen);
bool config_is_set(const Config *cfg, SettingId id);

/* The value, or the default, or NULL when neither exists. */
const char *config_get(const Config *cfg, SettingId id);
int64_t config_get_int(const Config *cfg, SettingId id);
int64_t config_get_ms(const Config *cfg, SettingId id);
bool config_get_bool(const Config *cfg, SettingId id);

/*
 * Reads an INI file. Unknown sections or keys and invalid values are
 * errors (with file and line in err): a typo must not be silently ignored.
 * Values already set in cfg (from flags) are kept: flags win.
 */
bool config_load(Config *cfg, const char *path, char *err, size_t errlen);
/*
 * Reads cfg's file again (SIGHUP). On success cfg holds the new values;
 * on failure it is unchanged and err says why.
 */
bool config_reread(Config *cfg, char *err, size_t errlen);

/*
 * SIGHUP for a daemon: config_reread, refused (logged, cfg unchanged) when
 * the timeouts would be unsafe; applies the log level. True when reloaded.
 */
bool config_reload(Config *cfg);

/*
 * The ordering of docs/configuration.md: fence_timeout + store_timeout +
 * keeper_interval < node_down_timeout; err explains a violation.
 */
bool config_timeouts_ordered(const Config *cfg, char *err, size_t errlen);

/* Writes every set value, grouped by section, atomically. */
bool config_save(const Config *cfg, const char *path);

#endif
