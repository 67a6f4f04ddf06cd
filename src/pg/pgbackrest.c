/*
 * pgbackrest.c - the commands pgkeel gives Postgres for pgBackRest, and
 * `pgbackrest restore` with its output in the keeper's log.
 */
#include "pg/pgbackrest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/idents.h"
#include "common/log.h"
#include "pg/pgclone.h"

#define PATH_CHARS                                                     \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" \
	"_./-"

const char *const pgbackrest_recovery_settings[] = {
	"restore_command", "recovery_target_time", "recovery_target_action",
	"recovery_target_timeline", NULL};

bool pgbackrest_path_ok(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	return n > 1 && n < 1024 && path[0] == '/' &&
	       strspn(path, PATH_CHARS) == n;
}

bool pgbackrest_check(const PgBackRest *br, char *err, size_t errlen)
{
	if (!br->stanza || !name_is_valid(br->stanza)) {
		snprintf(err, errlen, "the pgBackRest stanza is not a name "
				      "(letters, digits, '_' and '-')");
		return false;
	}
	const char *what = !pgbackrest_path_ok(br->config) ? "configuration file"
			   : !pgbackrest_path_ok(br->pgdata) ? "data directory"
							      : NULL;
	if (what)
		snprintf(err, errlen, "the %s's path for pgBackRest must be "
			 "absolute, of letters, digits and \"_./-\" only",
			 what);
	return what == NULL;
}

static bool command(const PgBackRest *br, const char *tail, char *buf,
		    size_t len, char *err, size_t errlen)
{
	if (!pgbackrest_check(br, err, errlen))
		return false;
	int n = snprintf(buf, len, PGBACKREST_PROGRAM
			 " --stanza=%s --config=%s --pg1-path=%s %s",
			 br->stanza, br->config, br->pgdata, tail);
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "the pgBackRest command is too long");
		return false;
	}
	return true;
}

bool pgbackrest_archive_command(const PgBackRest *br, char *buf, size_t len,
				char *err, size_t errlen)
{
	return command(br, "archive-push %p", buf, len, err, errlen);
}

bool pgbackrest_restore_command(const PgBackRest *br, char *buf, size_t len,
				char *err, size_t errlen)
{
	return command(br, "archive-get %f \"%p\"", buf, len, err, errlen);
}

/* pgbackrest in the PATH, as Postgres's shell finds it for archiving. */
static bool find_program(char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char *dirs = strdup(path && *path ? path : "/usr/bin:/bin");
	char *save = NULL;
	bool found = false;

	for (char *d = dirs ? strtok_r(dirs, ":", &save) : NULL; d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		snprintf(buf, len, "%s/" PGBACKREST_PROGRAM, d);
		found = access(buf, X_OK) == 0;
	}
	free(dirs);
	return found;
}

bool pgbackrest_restore(const PgBackRest *br, const char *target_time,
			char *err, size_t errlen)
{
	char prog[1024], stanza[128], config[1100], pgdata[1100], target[300];
	const char *argv[16];
	size_t i = 0;

	if (!pgbackrest_check(br, err, errlen))
		return false;
	if (!find_program(prog, sizeof(prog))) {
		snprintf(err, errlen, PGBACKREST_PROGRAM " is not installed "
			 "(not found in PATH)");
		return false;
	}
	snprintf(stanza, sizeof(stanza), "--stanza=%s", br->stanza);
	snprintf(config, sizeof(config), "--config=%s", br->config);
	snprintf(pgdata, sizeof(pgdata), "--pg1-path=%s", br->pgdata);
	argv[i++] = prog;
	argv[i++] = stanza;
	argv[i++] = config;
	argv[i++] = pgdata;
	argv[i++] = "--log-level-console=detail";
	argv[i++] = "restore";
	if (!target_time) {
		argv[i++] = "--type=preserve";
	} else if (!*target_time) {
		argv[i++] = "--type=default";
	} else {
		snprintf(target, sizeof(target), "--target=%s", target_time);
		argv[i++] = "--type=time";
		argv[i++] = target;
		argv[i++] = "--target-action=promote";
	}
	argv[i] = NULL;
	log_info("restoring the latest backup of stanza %s into %s%s%s",
		 br->stanza, br->pgdata, target_time && *target_time
		 ? ", recovering to " : "", target_time ? target_time : "");
	return pgclone_run(argv, PGBACKREST_PROGRAM, err, errlen);
}
