/*
 * runprog.c - fork/exec with captured output, line callbacks and timeouts.
 */
#define _GNU_SOURCE /* pipe2 */
#include "common/runprog.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "common/sdnotify.h"
#include "common/timeutil.h"

extern char **environ;

typedef struct {
	char *data;
	size_t len, cap;
	size_t line_start; /* first byte not yet passed to on_line */
} OutBuf;

static bool outbuf_append(OutBuf *b, const char *src, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *grown = realloc(b->data, cap);
		if (!grown)
			return false;
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, src, n);
	b->len += n;
	b->data[b->len] = '\0';
	return true;
}

/* Calls on_line for every complete line (or the rest, at the end). */
static void outbuf_flush_lines(OutBuf *b, const RunSpec *spec, bool final)
{
	while (spec->on_line && b->line_start < b->len) {
		char *start = b->data + b->line_start;
		char *nl = memchr(start, '\n', b->len - b->line_start);
		/* pg_basebackup --progress ends its updates with \r */
		char *cr = memchr(start, '\r', b->len - b->line_start);
		if (cr && (!nl || cr < nl))
			nl = cr;
		if (!nl && !final)
			return;
		size_t n = nl ? (size_t)(nl - start) : strlen(start);
		char saved = start[n];
		start[n] = '\0';
		if (n > 0)
			spec->on_line(start, spec->on_line_arg);
		start[n] = saved;
		b->line_start += n + (nl ? 1 : 0);
	}
}

static void child_exec(const RunSpec *spec, int out_fd)
{
	int devnull = open("/dev/null", O_RDONLY);

	if (devnull >= 0)
		dup2(devnull, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	if (spec->detach)
		setsid();
	if (spec->cwd && chdir(spec->cwd) != 0)
		_exit(126);
	for (size_t i = 0; spec->env && spec->env[i]; i++)
		putenv((char *)spec->env[i]);
	unsetenv(SDNOTIFY_SOCKET_ENV); /* systemd's socket is ours alone */
	/* restore default signal dispositions the daemon may have changed */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	execv(spec->argv[0], (char *const *)spec->argv);
	fprintf(stderr, "cannot execute %s: %s\n", spec->argv[0],
		strerror(errno));
	_exit(127);
}

static void read_until_exit(pid_t pid, int fd, const RunSpec *spec,
			    OutBuf *buf, RunResult *result)
{
	int64_t deadline = spec->timeout_ms > 0
				   ? time_monotonic_ms() + spec->timeout_ms
				   : 0;
	bool open_fd = true;
	char chunk[4096];

	while (open_fd) {
		int wait_ms = -1;
		if (deadline) {
			int64_t left = deadline - time_monotonic_ms();
			if (left <= 0) {
				result->timed_out = true;
				kill(pid, SIGKILL);
				break;
			}
			wait_ms = (int)left;
		}
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int rc = poll(&pfd, 1, wait_ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			continue;
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			open_fd = false;
			break;
		}
		outbuf_append(buf, chunk, (size_t)n);
		outbuf_flush_lines(buf, spec, false);
	}
	outbuf_flush_lines(buf, spec, true);
}

static void collect_status(pid_t pid, RunResult *result)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			result->exit_code = -1;
			return;
		}
	}
	if (WIFEXITED(status)) {
		result->exit_code = WEXITSTATUS(status);
		if (result->exit_code == 127)
			result->spawn_failed = true;
	} else if (WIFSIGNALED(status)) {
		result->term_signal = WTERMSIG(status);
	}
}

bool run_program(const RunSpec *spec, RunResult *result)
{
	OutBuf buf = {0};
	int fds[2];

	memset(result, 0, sizeof(*result));
	result->exit_code = -1;
	run_log_command(spec->argv);
	/* close-on-exec: the program's own children (a postmaster started by
	 * pg_ctl) must not inherit the pipe and hold it open */
	if (pipe2(fds, O_CLOEXEC) != 0) {
		result->spawn_failed = true;
		result->output = strdup(strerror(errno));
		return false;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		result->spawn_failed = true;
		result->output = strdup(strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	if (pid == 0) {
		close(fds[0]);
		child_exec(spec, fds[1]);
	}
	close(fds[1]);
	read_until_exit(pid, fds[0], spec, &buf, result);
	close(fds[0]);
	collect_status(pid, result);
	result->output = buf.data ? buf.data : strdup("");
	return result->exit_code == 0 && !result->timed_out;
}

void run_result_free(RunResult *result)
{
	free(result->output);
	result->output = NULL;
}

const char *run_result_describe(const RunResult *r, char *buf, size_t len)
{
	if (r->timed_out)
		snprintf(buf, len, "timed out");
	else if (r->spawn_failed)
		snprintf(buf, len, "could not be started");
	else if (r->term_signal)
		snprintf(buf, len, "killed by signal %d", r->term_signal);
	else
		snprintf(buf, len, "exit code %d", r->exit_code);
	return buf;
}

void run_log_command(const char *const *argv)
{
	char line[2048];
	size_t off = 0;

	if (log_get_level() > LOG_LEVEL_DEBUG)
		return;
	line[0] = '\0';
	for (size_t i = 0; argv[i] && off < sizeof(line) - 1; i++) {
		int n = snprintf(line + off, sizeof(line) - off, "%s%s",
				 i ? " " : "", argv[i]);
		if (n < 0)
			break;
		off += (size_t)n;
	}
	log_debug("running: %s", line);
}
