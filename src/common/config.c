/*
 * config.c - INI loading (with inih) and saving of a node's settings.
 */
#define _GNU_SOURCE /* open_memstream */
#include "common/config.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/timeutil.h"

void config_init(Config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

void config_free(Config *cfg)
{
	for (int i = 0; i < SETTING_COUNT; i++)
		free(cfg->values[i]);
	config_init(cfg);
}

void config_copy(Config *dst, const Config *src)
{
	config_init(dst);
	for (int i = 0; i < SETTING_COUNT; i++)
		dst->values[i] = src->values[i] ? strdup(src->values[i]) : NULL;
	snprintf(dst->path, sizeof(dst->path), "%s", src->path);
}

bool config_set(Config *cfg, SettingId id, const char *value, char *err,
		size_t errlen)
{
	const SettingDef *def = setting_def(id);
	char why[200];

	if (!def) {
		snprintf(err, errlen, "unknown setting");
		return false;
	}
	if (!value_validate(&def->spec, value, why, sizeof(why))) {
		snprintf(err, errlen, "invalid value \"%s\" for %s.%s: %s",
			 setting_quotable(def->metavar, value), def->section,
			 def->key, why);
		return false;
	}
	char *copy = strdup(value);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	free(cfg->values[id]);
	cfg->values[id] = copy;
	return true;
}

bool config_set_by_name(Config *cfg, const char *name, const char *value,
			char *err, size_t errlen)
{
	char section[64];
	const char *dot = strchr(name, '.');
	const SettingDef *def = NULL;

	if (dot && (size_t)(dot - name) < sizeof(section)) {
		memcpy(section, name, (size_t)(dot - name));
		section[dot - name] = '\0';
		def = setting_find(section, dot + 1);
	}
	if (!def) {
		snprintf(err, errlen,
			 "unknown setting \"%s\" (see `pgkeel show settings`)",
			 name);
		return false;
	}
	return config_set(cfg, def->id, value, err, errlen);
}

bool config_is_set(const Config *cfg, SettingId id)
{
	return id >= 0 && id < SETTING_COUNT && cfg->values[id] != NULL;
}

const char *config_get(const Config *cfg, SettingId id)
{
	if (config_is_set(cfg, id))
		return cfg->values[id];
	const SettingDef *def = setting_def(id);
	return def ? def->defval : NULL;
}

int64_t config_get_int(const Config *cfg, SettingId id)
{
	const char *v = config_get(cfg, id);
	return v ? strtoll(v, NULL, 10) : 0;
}

int64_t config_get_ms(const Config *cfg, SettingId id)
{
	int64_t ms = 0;
	const char *v = config_get(cfg, id);
	return v && duration_parse_ms(v, &ms) ? ms : 0;
}

bool config_get_bool(const Config *cfg, SettingId id)
{
	bool b = false;
	const char *v = config_get(cfg, id);
	return v && value_parse_bool(v, &b) && b;
}

typedef struct {
	Config *cfg;
	bool loaded[SETTING_COUNT];
	char *err;
	size_t errlen;
	const char *path;
	bool failed;
} LoadCtx;

static int on_ini_entry(void *user, const char *section, const char *key,
			const char *value)
{
	LoadCtx *ctx = user;
	const SettingDef *def = setting_find(section, key);
	char why[300];

	if (!def) {
		snprintf(ctx->err, ctx->errlen,
			 "%s: unknown setting \"%s.%s\"", ctx->path, section,
			 key);
		ctx->failed = true;
		return 0;
	}
	if (config_is_set(ctx->cfg, def->id) && !ctx->loaded[def->id])
		return 1; /* a flag already set it: flags win */
	if (!config_set(ctx->cfg, def->id, value, why, sizeof(why))) {
		snprintf(ctx->err, ctx->errlen, "%s: %s", ctx->path, why);
		ctx->failed = true;
		return 0;
	}
	ctx->loaded[def->id] = true;
	return 1;
}

bool config_load(Config *cfg, const char *path, char *err, size_t errlen)
{
	LoadCtx ctx = {.cfg = cfg, .err = err, .errlen = errlen, .path = path};
	int rc = ini_parse(path, on_ini_entry, &ctx);

	if (rc == -1) {
		snprintf(err, errlen, "cannot open configuration file \"%s\"",
			 path);
		return false;
	}
	if (ctx.failed)
		return false;
	if (rc != 0) {
		snprintf(err, errlen, "%s:%d: malformed line", path, rc);
		return false;
	}
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	return true;
}

bool config_reread(Config *cfg, char *err, size_t errlen)
{
	Config fresh;

	config_init(&fresh);
	if (!cfg->path[0]) {
		snprintf(err, errlen, "no configuration file to read again");
		return false;
	}
	if (!config_load(&fresh, cfg->path, err, errlen)) {
		config_free(&fresh);
		return false;
	}
	config_free(cfg);
	*cfg = fresh;
	return true;
}

bool config_reload(Config *cfg)
{
	Config fresh;
	char err[1024];
	LogLevel level;

	config_copy(&fresh, cfg);
	if (!config_reread(&fresh, err, sizeof(err)) ||
	    !config_timeouts_ordered(&fresh, err, sizeof(err))) {
		log_error("configuration not reloaded: %s", err);
		config_free(&fresh);
		return false;
	}
	config_free(cfg);
	*cfg = fresh;
	if (log_level_parse(config_get(cfg, S_LOG_LEVEL), &level))
		log_set_level(level);
	log_info("configuration reloaded from %s", cfg->path);
	return true;
}

bool config_save(const Config *cfg, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *section = "";

	if (!f)
		return false;
	fprintf(f, "# pgkeel node configuration; see docs/configuration.md\n");
	for (int i = 0; i < SETTING_COUNT; i++) {
		const SettingDef *def = setting_def((SettingId)i);
		if (!cfg->values[i])
			continue;
		if (strcmp(section, def->section) != 0) {
			fprintf(f, "\n[%s]\n", def->section);
			section = def->section;
		}
		fprintf(f, "%s = %s\n", def->key, cfg->values[i]);
	}
	if (!fs_memstream_close(f, &buf)) {
		log_error("cannot write %s: out of memory", path);
		return false;
	}
	bool ok = fs_write_file_atomic(path, buf, len, 0600);
	free(buf);
	return ok;
}

/*
 * Self-fencing must happen before any promotion could: a primary that
 * lost the store notices within one cycle plus one store call, and then
 * fences after fence_timeout; the monitor waits node_down_timeout.
 */
bool config_timeouts_ordered(const Config *cfg, char *err, size_t errlen)
{
	int64_t fence = config_get_ms(cfg, S_FENCE_TIMEOUT);
	int64_t store = config_get_ms(cfg, S_STORE_TIMEOUT);
	int64_t cycle = config_get_ms(cfg, S_KEEPER_INTERVAL);
	int64_t down = config_get_ms(cfg, S_NODE_DOWN_TIMEOUT);

	if (fence + store + cycle < down)
		return true;
	snprintf(err, errlen,
		 "unsafe timeouts: fence_timeout (%lld ms) + store_timeout "
		 "(%lld ms) + keeper_interval (%lld ms) must be less than "
		 "node_down_timeout (%lld ms), or a cut-off primary could still "
		 "accept writes when a standby is promoted",
		 (long long)fence, (long long)store, (long long)cycle,
		 (long long)down);
	return false;
}
