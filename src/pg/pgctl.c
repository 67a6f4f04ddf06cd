/*
 * pgctl.c - initdb, pg_ctl start/stop, reload and postmaster status.
 */
#define _GNU_SOURCE /* strchrnul, memmem */
#include "pg/pgctl.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/runprog.h"
#include "common/timeutil.h"

static void log_progress_line(const char *line, void *arg)
{
	log_info("%s: %s", (const char *)arg, line);
}

/* Copies the last lines of text (at most len bytes) into err. */
static void tail_into(char *err, size_t errlen, const char *prefix,
		      const char *text)
{
	size_t n = strlen(text);
	size_t keep = errlen > 400 ? 400 : errlen / 2;
	const char *start = n > keep ? text + n - keep : text;
	snprintf(err, errlen, "%s: %s", prefix, start);
	size_t m = strlen(err);
	while (m > 0 && (err[m - 1] == '\n' || err[m - 1] == ' '))
		err[--m] = '\0';
}

bool pgctl_initdb(const PgBin *bin, const char *datadir, char *err,
		  size_t errlen)
{
	char prog[1100];
	const char *argv[] = {pgbin_path(bin, "initdb", prog, sizeof(prog)),
			      "--pgdata", datadir, "--data-checksums",
			      "--encoding", "UTF8", "--locale", "C.UTF-8",
			      "--auth-local", "peer", "--auth-host",
			      "scram-sha-256", NULL};
	RunSpec spec = {.argv = argv};
	RunResult r;

	log_info("initializing a new Postgres data directory in %s", datadir);
	bool ok = run_program(&spec, &r);
	if (!ok)
		tail_into(err, errlen, "initdb failed", r.output);
	run_result_free(&r);
	return ok;
}

static size_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

/* The lines of text that name a failure's cause: errors, and the
 * messages and hints around them ("could not bind ...: Address already
 * in use", "Is another postmaster ...?"). */
static bool names_cause(const char *line, size_t n)
{
	static const char *const marks[] = {"FATAL:", "PANIC:", "ERROR:",
					     "HINT:", "could not"};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		if (memmem(line, n, marks[i], strlen(marks[i])))
			return true;
	}
	return false;
}

/* Appends the lines of text that name the cause, joined by " | ". */
static size_t cause_lines(const char *text, char *buf, size_t len)
{
	size_t used = 0;

	for (const char *line = text; *line && used + 1 < len;) {
		const char *end = strchrnul(line, '\n');
		int n = (int)(end - line);
		if (names_cause(line, (size_t)n))
			used += (size_t)snprintf(buf + used, len - used,
						 "%s%.*s", used ? " | " : "", n,
						 line);
		line = *end ? end + 1 : end;
	}
	return used;
}

/*
 * What the failed start wrote to the server log (from offset on): the
 * lines that name the cause, else its last whole lines; never lines of
 * earlier runs (a health check's FATAL before the crash).
 */
static const char *start_log_excerpt(const char *logfile, size_t offset,
				     char *buf, size_t len)
{
	size_t n = 0;
	char *text = fs_read_file(logfile, &n);
	const char *from = text && offset < n ? text + offset : "";
	size_t rest = strlen(from);

	buf[0] = '\0';
	if (rest && !cause_lines(from, buf, len)) {
		const char *tail = rest > len - 1 ? from + rest - (len - 1) : from;
		const char *nl = tail > from ? strchr(tail, '\n') : NULL;
		snprintf(buf, len, "%s", nl ? nl + 1 : tail);
	}
	free(text);
	return buf[0] ? buf : "(nothing new in the server log)";
}

/* How long a launched postmaster gets to write its postmaster.pid,
 * unless it says first that it stops (a keeper's step must stay short:
 * its fencing deadline is checked between steps, docs/guarantees.md). */
#define LAUNCH_SEEN_MS 1000

/* Whether the server log, from offset on, says the server stops: a
 * FATAL or PANIC line. Until postmaster.pid is written, no client can
 * connect, so such a line is the postmaster's own. Reads 64 kB at most. */
static bool start_failed(const char *logfile, size_t offset)
{
	char buf[65536];
	FILE *f = fopen(logfile, "r");
	size_t n = 0;

	if (!f)
		return false;
	if (fseek(f, (long)offset, SEEK_SET) == 0)
		n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, "FATAL:") || strstr(buf, "PANIC:");
}

static bool start(const PgBin *bin, const char *datadir, const char *logfile,
		  int timeout_ms, bool wait, char *err, size_t errlen)
{
	char prog[1100], secs[16], logtail[700];
	size_t log_offset = file_size(logfile);
	PgPostmaster pm;

	if (pgctl_status(datadir, &pm) != PM_NOT_RUNNING)
		return true; /* already running */
	snprintf(secs, sizeof(secs), "%d", (timeout_ms + 999) / 1000);
	const char *argv[] = {pgbin_path(bin, "pg_ctl", prog, sizeof(prog)),
			      "start", "--pgdata", datadir, "--log", logfile,
			      wait ? "--wait" : "--no-wait", "--timeout", secs,
			      NULL};
	RunSpec spec = {.argv = argv, .on_line = log_progress_line,
			.on_line_arg = "pg_ctl"};
	RunResult r;

	log_info("starting Postgres in %s", datadir);
	bool ok = run_program(&spec, &r);
	if (!ok) {
		snprintf(err, errlen, "Postgres did not start (%s); server log: "
				      "%s",
			 r.output[0] ? "pg_ctl failed" : "no output",
			 start_log_excerpt(logfile, log_offset, logtail,
					   sizeof(logtail)));
	}
	run_result_free(&r);
	return ok;
}

bool pgctl_start(const PgBin *bin, const char *datadir, const char *logfile,
		 int timeout_ms, char *err, size_t errlen)
{
	return start(bin, datadir, logfile, timeout_ms, true, err, errlen);
}

bool pgctl_launch(const PgBin *bin, const char *datadir, const char *logfile,
		  char *err, size_t errlen)
{
	char logtail[700];
	size_t log_offset = file_size(logfile);
	PgPostmaster pm;

	if (!start(bin, datadir, logfile, 0, false, err, errlen))
		return false;
	/* the postmaster writes postmaster.pid first thing: until then it
	 * could not yet be told from a server that failed at once */
	int64_t until = time_monotonic_ms() + LAUNCH_SEEN_MS;
	while (pgctl_status(datadir, &pm) == PM_NOT_RUNNING) {
		if (time_monotonic_ms() >= until ||
		    start_failed(logfile, log_offset)) {
			snprintf(err, errlen, "Postgres did not start; server "
					      "log: %s",
				 start_log_excerpt(logfile, log_offset, logtail,
						   sizeof(logtail)));
			return false;
		}
		time_sleep_ms(10);
	}
	return true;
}

size_t pgctl_log_size(const char *logfile)
{
	return file_size(logfile);
}

const char *pgctl_start_log(const char *logfile, size_t offset, char *buf,
			    size_t len)
{
	return start_log_excerpt(logfile, offset, buf, len);
}

const char *pgctl_stop_mode_name(PgStopMode mode)
{
	switch (mode) {
	case STOP_SMART:
		return "smart";
	case STOP_IMMEDIATE:
		return "immediate";
	default:
		return "fast";
	}
}

bool pgctl_stop(const PgBin *bin, const char *datadir, PgStopMode mode,
		int timeout_ms, char *err, size_t errlen)
{
	char prog[1100], secs[16];
	PgPostmaster pm;

	if (pgctl_status(datadir, &pm) == PM_NOT_RUNNING)
		return true;
	snprintf(secs, sizeof(secs), "%d", (timeout_ms + 999) / 1000);
	const char *argv[] = {pgbin_path(bin, "pg_ctl", prog, sizeof(prog)),
			      "stop", "--pgdata", datadir, "--mode",
			      pgctl_stop_mode_name(mode), "--wait", "--timeout",
			      secs, NULL};
	RunSpec spec = {.argv = argv};
	RunResult r;

	log_info("stopping Postgres in %s (%s)", datadir,
		 pgctl_stop_mode_name(mode));
	run_program(&spec, &r);
	bool ok = pgctl_status(datadir, &pm) == PM_NOT_RUNNING;
	if (!ok)
		tail_into(err, errlen, "Postgres did not stop", r.output);
	run_result_free(&r);
	return ok;
}

bool pgctl_reload(const char *datadir, char *err, size_t errlen)
{
	PgPostmaster pm;

	if (pgctl_status(datadir, &pm) == PM_NOT_RUNNING) {
		snprintf(err, errlen, "cannot reload: Postgres is not running");
		return false;
	}
	if (kill(pm.pid, SIGHUP) != 0) {
		snprintf(err, errlen, "cannot signal postmaster %d: %s",
			 (int)pm.pid, strerror(errno));
		return false;
	}
	return true;
}

static PgPmStatus parse_pm_status(const char *word)
{
	if (strncmp(word, "ready", 5) == 0 || strncmp(word, "standby", 7) == 0)
		return PM_READY;
	if (strncmp(word, "starting", 8) == 0)
		return PM_STARTING;
	if (strncmp(word, "stopping", 8) == 0)
		return PM_STOPPING;
	return PM_UNKNOWN;
}

/*
 * A postmaster's working directory is its data directory: this tells a
 * live server from a stale postmaster.pid whose PID was reused.
 */
static bool pid_runs_in(pid_t pid, const char *datadir)
{
	char link[64], cwd[PATH_MAX], real[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/cwd", (int)pid);
	n = readlink(link, cwd, sizeof(cwd) - 1);
	if (n < 0)
		return errno != ENOENT; /* another user's process: assume so */
	cwd[n] = '\0';
	return realpath(datadir, real) && strcmp(cwd, real) == 0;
}

/*
 * postmaster.pid lines: 1 pid, 2 datadir, 3 start time, 4 port,
 * 5 socket directory, 6 listen address, 7 shmem key, 8 status.
 */
PgPmStatus pgctl_status(const char *datadir, PgPostmaster *out)
{
	char path[4096];
	char *lines[8] = {0};
	int n = 0;

	memset(out, 0, sizeof(*out));
	fs_path_join(path, sizeof(path), datadir, "postmaster.pid");
	char *text = fs_read_file(path, NULL);
	if (!text)
		return PM_NOT_RUNNING;
	for (char *save = NULL, *line = strtok_r(text, "\n", &save);
	     line && n < 8; line = strtok_r(NULL, "\n", &save))
		lines[n++] = line;
	out->pid = n > 0 ? (pid_t)atoi(lines[0]) : 0;
	if (out->pid <= 0 || (kill(out->pid, 0) != 0 && errno == ESRCH) ||
	    !pid_runs_in(out->pid, datadir)) {
		free(text);
		out->pid = 0;
		return PM_NOT_RUNNING;
	}
	out->port = n > 3 ? atoi(lines[3]) : 0;
	if (n > 4)
		snprintf(out->sockdir, sizeof(out->sockdir), "%s", lines[4]);
	out->status = n > 7 ? parse_pm_status(lines[7]) : PM_STARTING;
	free(text);
	return out->status;
}

bool pgctl_is_datadir(const char *datadir)
{
	char path[4096];
	fs_path_join(path, sizeof(path), datadir, "PG_VERSION");
	return fs_exists(path);
}

int pgctl_datadir_major(const char *datadir)
{
	char path[4096];
	fs_path_join(path, sizeof(path), datadir, "PG_VERSION");
	char *text = fs_read_file(path, NULL);
	int major = text ? atoi(text) : 0;
	free(text);
	return major;
}

bool pgctl_checkpoint_lsn(const PgBin *bin, const char *datadir, Lsn *out)
{
	char prog[1100];
	const char *argv[] = {pgbin_path(bin, "pg_controldata", prog,
					 sizeof(prog)),
			      datadir, NULL};
	const char *env[] = {"LC_ALL=C", NULL};
	RunSpec spec = {.argv = argv, .env = env, .timeout_ms = 10000};
	RunResult r;
	bool ok = false;

	if (run_program(&spec, &r)) {
		const char *p = strstr(r.output, "Latest checkpoint location:");
		char text[LSN_TEXT_LEN + 8];
		if (p && sscanf(p + strlen("Latest checkpoint location:"),
				" %25s", text) == 1)
			ok = lsn_parse(text, out);
	}
	run_result_free(&r);
	return ok;
}
