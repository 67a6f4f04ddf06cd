/*
 * pgbouncer.c - pgBouncer's [databases] file and admin console. The
 * console is reached with libpq, over the simple query protocol, with
 * the admin URI as given (its password in the passfile it names). A
 * console that does not answer is not asked again for a few seconds,
 * so that a pgBouncer that is down costs its caller little.
 */
#include "pg/pgbouncer.h"

#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/idents.h"
#include "common/log.h"
#include "common/timeutil.h"

#define PGB_RETRY_MS 5000

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

void pgbouncer_from_config(const Config *cfg, int timeout_ms, PgBouncer *b)
{
	pgbouncer_close(b);
	memset(b, 0, sizeof(*b));
	b->enabled = config_is_set(cfg, S_PGB_ADMIN_URI) &&
		     config_is_set(cfg, S_PGB_DATABASES_FILE);
	copy(b->admin_uri, sizeof(b->admin_uri),
	     config_get(cfg, S_PGB_ADMIN_URI));
	copy(b->databases_file, sizeof(b->databases_file),
	     config_get(cfg, S_PGB_DATABASES_FILE));
	copy(b->database, sizeof(b->database), config_get(cfg, S_PGB_DATABASE));
	copy(b->formation, sizeof(b->formation), config_get(cfg, S_FORMATION));
	b->pause_timeout_ms = (int)config_get_ms(cfg, S_PGB_PAUSE_TIMEOUT);
	b->timeout_ms = timeout_ms;
}

void pgbouncer_close(PgBouncer *b)
{
	pg_disconnect(&b->admin);
}

bool pgbouncer_uri_has_password(const PgBouncer *b)
{
	PQconninfoOption *opts = PQconninfoParse(b->admin_uri, NULL);
	bool has = false;

	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
			has = true;
	}
	PQconninfoFree(opts);
	return has;
}

bool pgbouncer_write_databases(FILE *out, const char *formation,
			       const char *database, const char *host,
			       int port)
{
	if (!host_is_valid(host) || !name_is_valid(database) ||
	    !name_is_valid(formation))
		return false;
	fprintf(out,
		"; pgBouncer's [databases] for pgkeel formation %s: the "
		"primary, %s:%d.\n"
		"; Written by `pgkeel show pgbouncer-config` or by the "
		"primary's keeper\n"
		"; (see docs/pgbouncer.md); the keeper rewrites it when the "
		"primary changes.\n"
		"[databases]\n"
		"%s = host=%s port=%d dbname=%s\n",
		formation, host, port, database, host, port, database);
	return true;
}

/* The console's connection; force: even within the pause after a
 * failure. */
static bool admin(PgBouncer *b, bool force, char *err, size_t errlen)
{
	if (b->admin.conn && PQstatus(b->admin.conn) == CONNECTION_OK)
		return true;
	pg_disconnect(&b->admin);
	if (!force && time_monotonic_ms() < b->retry_ms) {
		snprintf(err, errlen, "pgBouncer's admin console did not "
				      "answer a moment ago");
		return false;
	}
	if (pg_connect(&b->admin, b->admin_uri, b->timeout_ms)) {
		b->admin.query_timeout_ms = b->timeout_ms;
		return true;
	}
	snprintf(err, errlen, "pgBouncer's admin console: %s", b->admin.error);
	b->retry_ms = time_monotonic_ms() + PGB_RETRY_MS;
	return false;
}

/* Runs a console command; false with err (the connection is closed when
 * it broke, kept when the console only refused the command). */
static bool command(PgBouncer *b, const char *sql, int timeout_ms,
		    char *err, size_t errlen)
{
	b->admin.query_timeout_ms = timeout_ms;
	PGresult *res = pg_query_simple(&b->admin, sql);
	b->admin.query_timeout_ms = b->timeout_ms;
	if (res) {
		PQclear(res);
		return true;
	}
	snprintf(err, errlen, "pgBouncer %s: %s", sql, b->admin.error);
	if (b->admin.conn && PQstatus(b->admin.conn) != CONNECTION_OK)
		pg_disconnect(&b->admin);
	return false;
}

static void read_row(PGresult *res, int row, PgbPool *pool)
{
	int host = PQfnumber(res, "host"), port = PQfnumber(res, "port");
	int paused = PQfnumber(res, "paused");

	pool->found = true;
	if (host >= 0)
		copy(pool->host, sizeof(pool->host),
		     PQgetvalue(res, row, host));
	if (port >= 0)
		pool->port = atoi(PQgetvalue(res, row, port));
	if (paused >= 0)
		pool->paused = strcmp(PQgetvalue(res, row, paused), "0") != 0;
}

bool pgbouncer_show(PgBouncer *b, PgbPool *pool, char *err, size_t errlen)
{
	memset(pool, 0, sizeof(*pool));
	if (!admin(b, false, err, errlen))
		return false;
	PGresult *res = pg_query_simple(&b->admin, "SHOW DATABASES");
	if (!res) {
		snprintf(err, errlen, "pgBouncer SHOW DATABASES: %s",
			 b->admin.error);
		pg_disconnect(&b->admin);
		return false;
	}
	int name = PQfnumber(res, "name");
	for (int i = 0; name >= 0 && i < PQntuples(res); i++) {
		if (strcmp(PQgetvalue(res, i, name), b->database) == 0)
			read_row(res, i, pool);
	}
	PQclear(res);
	return true;
}

bool pgbouncer_pause(PgBouncer *b, char *err, size_t errlen)
{
	char sql[128], more[512];

	if (b->pause_timeout_ms <= 0) {
		snprintf(err, errlen, "pgbouncer.pause_timeout is 0");
		return false;
	}
	if (!admin(b, true, err, errlen))
		return false;
	snprintf(sql, sizeof(sql), "PAUSE %s", b->database);
	if (command(b, sql, b->pause_timeout_ms, err, errlen))
		return true;
	/* a PAUSE that did not finish leaves the pool pausing */
	if (admin(b, true, more, sizeof(more))) {
		snprintf(sql, sizeof(sql), "RESUME %s", b->database);
		command(b, sql, b->timeout_ms, more, sizeof(more));
	}
	return false;
}

bool pgbouncer_resume(PgBouncer *b, char *err, size_t errlen)
{
	PgbPool pool;
	char sql[128];

	if (!pgbouncer_show(b, &pool, err, errlen))
		return false;
	if (!pool.paused)
		return true;
	snprintf(sql, sizeof(sql), "RESUME %s", b->database);
	return command(b, sql, b->timeout_ms, err, errlen);
}

/* The databases file for host:port, rewritten only when it says
 * something else. */
static bool write_file(PgBouncer *b, const char *host, int port, char *err,
		       size_t errlen)
{
	char *text = NULL, *old;
	size_t len = 0, oldlen = 0;
	FILE *f = open_memstream(&text, &len);

	bool valid = f && pgbouncer_write_databases(f, b->formation,
						    b->database, host, port);
	if (!f || !fs_memstream_close(f, &text)) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	if (!valid) {
		snprintf(err, errlen, "host %s is not a valid host name: "
				      "not written to %s", host,
			 b->databases_file);
		free(text);
		return false;
	}
	old = fs_read_file(b->databases_file, &oldlen);
	bool same = old && oldlen == len && memcmp(old, text, len) == 0;
	bool ok = same || fs_write_file_atomic(b->databases_file, text, len,
					       0644);
	if (!ok)
		snprintf(err, errlen, "cannot write %s", b->databases_file);
	free(old);
	free(text);
	return ok;
}

bool pgbouncer_point(PgBouncer *b, const char *host, int port,
		     bool *changed, char *err, size_t errlen)
{
	PgbPool pool;
	char sql[128];

	*changed = false;
	if (!pgbouncer_show(b, &pool, err, errlen))
		return false;
	if (!pool.found || strcmp(pool.host, host) != 0 || pool.port != port) {
		if (!write_file(b, host, port, err, errlen) ||
		    !command(b, "RELOAD", b->timeout_ms, err, errlen))
			return false;
		*changed = true;
		log_info("pgBouncer's pool %s now goes to %s:%d (was %s:%d)",
			 b->database, host, port,
			 pool.found ? pool.host : "none", pool.port);
	}
	if (!pool.paused)
		return true;
	snprintf(sql, sizeof(sql), "RESUME %s", b->database);
	if (!command(b, sql, b->timeout_ms, err, errlen))
		return false;
	*changed = true;
	log_info("pgBouncer's pool %s resumed", b->database);
	return true;
}
