/*
 * log.c - leveled logging to stderr and an optional file, plain or JSON.
 */
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

static LogLevel current_level = LOG_LEVEL_INFO;
static bool json_mode = false;
static bool to_stderr = true;
static FILE *log_file = NULL;
static char log_path[1024] = "";
static bool log_file_failing = false; /* said on stderr already */
static char prefix[64] = "";

static const char *const level_names[] = {"debug", "info", "warn", "error",
					  "fatal"};

bool log_level_parse(const char *name, LogLevel *out)
{
	for (int i = 0; i <= LOG_LEVEL_ERROR; i++) {
		if (strcasecmp(name, level_names[i]) == 0) {
			*out = (LogLevel)i;
			return true;
		}
	}
	return false;
}

const char *log_level_name(LogLevel level)
{
	if (level < LOG_LEVEL_DEBUG || level > LOG_LEVEL_FATAL)
		return "unknown";
	return level_names[level];
}

void log_set_level(LogLevel level) { current_level = level; }
LogLevel log_get_level(void) { return current_level; }
void log_set_json(bool json) { json_mode = json; }
void log_set_stderr(bool enabled) { to_stderr = enabled; }

void log_set_prefix(const char *p)
{
	snprintf(prefix, sizeof(prefix), "%s", p ? p : "");
}

bool log_set_file(const char *path)
{
	if (log_file) {
		fclose(log_file);
		log_file = NULL;
	}
	if (!path)
		return true;
	/* log lines can name hosts, roles and files: the owner's alone */
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	log_file = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!log_file) {
		if (fd >= 0)
			close(fd);
		log_error("cannot open log file \"%s\": %s", path,
			  strerror(errno));
		return false;
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	snprintf(log_path, sizeof(log_path), "%s", path);
	log_file_failing = false;
	return true;
}

static void format_timestamp(char *buf, size_t len)
{
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03ld", (long)(tv.tv_usec / 1000));
}

static bool emit(FILE *out, const char *line)
{
	bool ok = fputs(line, out) >= 0 && fputc('\n', out) != EOF;
	ok = fflush(out) == 0 && ok;
	clearerr(out);
	return ok;
}

static void format_line(char *line, size_t len, const char *ts,
			LogLevel level, const char *msg)
{
	if (json_mode) {
		json_t *obj = json_pack("{s:s, s:s, s:s, s:s}", "ts", ts,
					"level", level_names[level], "component",
					prefix, "msg", msg);
		char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
		snprintf(line, len, "%s", text ? text : msg);
		free(text);
		json_decref(obj);
	} else if (prefix[0]) {
		snprintf(line, len, "%s %-5s [%s] %s", ts, level_names[level],
			 prefix, msg);
	} else {
		snprintf(line, len, "%s %-5s %s", ts, level_names[level], msg);
	}
}

/* A log file that cannot be written (a full disk) is said on stderr,
 * once until it can be written again. */
static void emit_to_file(const char *line, const char *ts)
{
	char msg[1200], said[1400];
	bool ok = emit(log_file, line);
	if (ok || log_file_failing) {
		log_file_failing = !ok;
		return;
	}
	log_file_failing = true;
	snprintf(msg, sizeof(msg), "cannot write log file \"%s\": %s",
		 log_path, strerror(errno));
	format_line(said, sizeof(said), ts, LOG_LEVEL_ERROR, msg);
	emit(stderr, said);
}

void log_write(LogLevel level, const char *fmt, ...)
{
	char msg[4096], ts[40], line[8192];
	va_list ap;
	int saved_errno = errno;

	if (level < current_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	format_timestamp(ts, sizeof(ts));
	format_line(line, sizeof(line), ts, level, msg);
	if (to_stderr)
		emit(stderr, line);
	if (log_file)
		emit_to_file(line, ts);
	errno = saved_errno;
}
