/*
 * pgclone.c - pg_basebackup and pg_rewind (and any copying tool), with
 * progress; the
 * replication password reaches them through a passfile named in the
 * connection string (never on a command line or in the environment).
 */
#include "pg/pgclone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conninfo.h"
#include "common/log.h"
#include "common/sslconn.h"
#include "common/runprog.h"
#include "common/sdnotify.h"
#include "pg/pgconninfo.h"

char *upstream_conninfo(const Upstream *up, const char *application_name)
{
	char port[16];
	char *ci = NULL;

	if (up->uri)
		return pg_conninfo_keywords(up->uri, application_name);
	snprintf(port, sizeof(port), "%d", up->port);
	ci = conninfo_append(ci, "host", up->host);
	if (ci)
		ci = conninfo_append(ci, "port", port);
	if (ci)
		ci = conninfo_append(ci, "user", up->user);
	if (ci && up->dbname)
		ci = conninfo_append(ci, "dbname", up->dbname);
	if (ci && application_name)
		ci = conninfo_append(ci, "application_name", application_name);
	if (ci && up->passfile)
		ci = conninfo_append(ci, "passfile", up->passfile);
	if (ci)
		ci = conninfo_append(ci, "connect_timeout", "2");
	return conninfo_append_ssl(ci, up->ssl);
}

/* A copy that reports progress (about once a second) is not a hung
 * keeper, however long it takes: each line feeds the watchdog. */
static void log_progress(const char *line, void *arg)
{
	log_info("%s: %s", (const char *)arg, line);
	sdnotify_watchdog();
}

static void describe_failure(char *err, size_t errlen, const char *what,
			     const RunResult *r)
{
	char how[64];
	size_t n = strlen(r->output);
	const char *tail = n > 500 ? r->output + n - 500 : r->output;
	snprintf(err, errlen, "%s failed (%s): %s", what,
		 run_result_describe(r, how, sizeof(how)), tail);
	n = strlen(err);
	while (n > 0 && err[n - 1] == '\n')
		err[--n] = '\0';
}

bool pgclone_run(const char *const *argv, const char *what, char *err,
		 size_t errlen)
{
	RunSpec spec = {.argv = argv, .on_line = log_progress,
			.on_line_arg = (void *)what};
	RunResult r;

	bool ok = run_program(&spec, &r);
	if (!ok)
		describe_failure(err, errlen, what, &r);
	run_result_free(&r);
	return ok;
}

bool pgclone_basebackup(const PgBin *bin, const Upstream *up, const char *slot,
			const char *target, char *err, size_t errlen)
{
	char prog[1100];
	char *ci = upstream_conninfo(up, "pgkeel_basebackup");
	const char *argv[16];
	size_t i = 0;

	if (!ci) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	argv[i++] = pgbin_path(bin, "pg_basebackup", prog, sizeof(prog));
	argv[i++] = "--pgdata";
	argv[i++] = target;
	argv[i++] = "--dbname";
	argv[i++] = ci;
	argv[i++] = "--wal-method=stream";
	argv[i++] = "--checkpoint=fast";
	argv[i++] = "--progress";
	argv[i++] = "--no-password";
	if (slot) {
		argv[i++] = "--slot";
		argv[i++] = slot;
	}
	argv[i] = NULL;
	if (up->uri)
		log_info("cloning %s into %s", up->uri, target);
	else
		log_info("cloning %s:%d into %s%s%s", up->host, up->port,
			 target, slot ? " through slot " : "",
			 slot ? slot : "");
	bool ok = pgclone_run(argv, "pg_basebackup", err, errlen);
	free(ci);
	return ok;
}

bool pgclone_rewind(const PgBin *bin, const Upstream *up, const char *datadir,
		    char *err, size_t errlen)
{
	char prog[1100];
	char *ci = upstream_conninfo(up, "pgkeel_rewind");

	if (!ci) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	const char *argv[] = {pgbin_path(bin, "pg_rewind", prog, sizeof(prog)),
			      "--target-pgdata", datadir, "--source-server", ci,
			      "--progress", NULL};
	log_info("rewinding %s to follow %s:%d", datadir, up->host, up->port);
	bool ok = pgclone_run(argv, "pg_rewind", err, errlen);
	free(ci);
	return ok;
}
