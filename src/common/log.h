/*
 * log.h - leveled logging for the pgkeel daemons and commands.
 *
 * Lines go to stderr and, when configured, also to a file. Each line has a
 * timestamp, the level and the message; in JSON mode each line is one JSON
 * object ({"ts":..., "level":..., "msg":...}) for log shippers.
 */
#ifndef PGK_LOG_H
#define PGK_LOG_H

#include <stdbool.h>
#include "common/compat.h"

typedef enum {
	LOG_LEVEL_DEBUG = 0,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARN,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_FATAL
} LogLevel;

/* Parses "debug", "info", "warn", "error" (any case); false on anything
 * else, *out unchanged. */
bool log_level_parse(const char *name, LogLevel *out);
/* The level's lower-case name; "unknown" for no level, never NULL. */
const char *log_level_name(LogLevel level);

/* log_get_level: the level set last (info until then). */
void log_set_level(LogLevel level);
LogLevel log_get_level(void);
void log_set_json(bool json);
void log_set_stderr(bool enabled);
/* Appends to path as well as stderr; NULL closes the file. True when the
 * file is open (or closed, for NULL); false when it cannot be opened,
 * logged as an error, and no file is written any more. */
bool log_set_file(const char *path);
/* A short tag printed on every line, e.g. "keeper node1". */
void log_set_prefix(const char *prefix);

void log_write(LogLevel level, const char *fmt, ...) PGK_PRINTF(2, 3);

#define log_debug(...) log_write(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...)  log_write(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...)  log_write(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_write(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_fatal(...) log_write(LOG_LEVEL_FATAL, __VA_ARGS__)

#endif
