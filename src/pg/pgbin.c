/*
 * pgbin.c - locating initdb/pg_ctl/postgres and checking their version.
 */
#include "pg/pgbin.h"

#include <ctype.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/runprog.h"

const char *pgbin_path(const PgBin *bin, const char *prog, char *buf,
		       size_t len)
{
	snprintf(buf, len, "%s/%s", bin->bindir, prog);
	return buf;
}

bool pgbin_parse_version(const char *text, int *major, char *version,
			 size_t len)
{
	const char *p = strstr(text, "(PostgreSQL) ");
	size_t n = 0;

	if (!p)
		return false;
	p += strlen("(PostgreSQL) ");
	if (!isdigit((unsigned char)*p))
		return false;
	*major = atoi(p);
	while (p[n] && (isdigit((unsigned char)p[n]) || p[n] == '.'))
		n++;
	snprintf(version, len, "%.*s", (int)n, p);
	return *major > 0;
}

static bool find_in_path(const char *prog, char *dir, size_t len)
{
	const char *path = getenv("PATH");
	char candidate[PATH_MAX], real[PATH_MAX];

	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		snprintf(candidate, sizeof(candidate), "%.*s/%s", (int)n, path,
			 prog);
		if (access(candidate, X_OK) == 0 && realpath(candidate, real)) {
			snprintf(dir, len, "%s", dirname(real));
			return true;
		}
		path += n + (colon ? 1 : 0);
	}
	return false;
}

static bool discover_bindir(char *dir, size_t len, char *err, size_t errlen)
{
	glob_t g;

	if (glob("/usr/lib/postgresql/*/bin/postgres", 0, NULL, &g) == 0) {
		if (g.gl_pathc == 1) {
			snprintf(dir, len, "%s", dirname(g.gl_pathv[0]));
			globfree(&g);
			return true;
		}
		size_t off = 0;
		char list[512] = "";
		for (size_t i = 0; i < g.gl_pathc && off < sizeof(list); i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off,
						"%s%s", i ? ", " : "",
						g.gl_pathv[i]);
		globfree(&g);
		snprintf(err, errlen,
			 "several PostgreSQL versions are installed (%s): "
			 "choose one with --pg-bindir",
			 list);
		return false;
	}
	if (find_in_path("pg_ctl", dir, len))
		return true;
	snprintf(err, errlen,
		 "no PostgreSQL server programs found: install postgresql or "
		 "name their directory with --pg-bindir");
	return false;
}

static bool read_version(PgBin *out, char *err, size_t errlen)
{
	char prog[1100];
	const char *argv[] = {pgbin_path(out, "postgres", prog, sizeof(prog)),
			      "--version", NULL};
	RunSpec spec = {.argv = argv, .timeout_ms = 10000};
	RunResult r;

	bool ok = run_program(&spec, &r) &&
		  pgbin_parse_version(r.output, &out->major, out->version,
				      sizeof(out->version));
	if (!ok)
		snprintf(err, errlen, "cannot run \"%s --version\": %s", prog,
			 r.output);
	run_result_free(&r);
	return ok;
}

bool pgbin_resolve(const char *bindir, PgBin *out, char *err, size_t errlen)
{
	char prog[1100];

	memset(out, 0, sizeof(*out));
	if (bindir && *bindir)
		snprintf(out->bindir, sizeof(out->bindir), "%s", bindir);
	else if (!discover_bindir(out->bindir, sizeof(out->bindir), err,
				  errlen))
		return false;
	static const char *const needed[] = {"postgres", "initdb", "pg_ctl",
					     "pg_basebackup", "pg_rewind"};
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		pgbin_path(out, needed[i], prog, sizeof(prog));
		if (access(prog, X_OK) != 0) {
			snprintf(err, errlen,
				 "\"%s\" is missing or not executable: is %s "
				 "a PostgreSQL bin directory?",
				 prog, out->bindir);
			return false;
		}
	}
	if (!read_version(out, err, errlen))
		return false;
	if (out->major < PG_MIN_MAJOR) {
		snprintf(err, errlen,
			 "PostgreSQL %s in %s is too old: pgkeel needs %d or "
			 "newer",
			 out->version, out->bindir, PG_MIN_MAJOR);
		return false;
	}
	return true;
}
