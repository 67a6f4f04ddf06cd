/*
 * hookrun.c - the hook queue: fork, a new process group, the event's
 * variables added to the environment, exec /bin/sh -c COMMAND; and the
 * same for one hook whose answer the caller waits for.
 */
#include "common/hookrun.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "common/sdnotify.h"
#include "common/timeutil.h"

/* The queue's slots are left as they are: each is written before it is
 * read, so a runner in zeroed memory that never queues an event never
 * touches their pages (a keeper's runners are most of its size). */
void hookrun_init(HookRunner *h, const char *command, int64_t timeout_ms)
{
	snprintf(h->command, sizeof(h->command), "%s", command ? command : "");
	h->timeout_ms = timeout_ms;
	h->pid = 0;
	h->started_ms = 0;
	h->head = h->count = 0;
	h->dropped = 0;
}

bool hookrun_var(HookEvent *e, const char *name, const char *value)
{
	/* a value cut short could name another directory or node: the
	 * hook gets none rather than a wrong one (found by the hookenv fuzz
	 * target) */
	if (e->nvars >= HOOK_MAX_VARS ||
	    strlen(name) + 1 + strlen(value) >= sizeof(e->vars[0])) {
		log_warn("hook variable %s not passed: too long or too many",
			 name);
		return false;
	}
	snprintf(e->vars[e->nvars++], sizeof(e->vars[0]), "%s=%s", name,
		 value);
	return true;
}

bool hookrun_fire(HookRunner *h, const HookEvent *e)
{
	if (h->command[0] == '\0')
		return true;
	if (h->count == HOOK_MAX_QUEUE) {
		h->dropped++;
		log_warn("hook queue full: an event was not passed to the hook "
			 "(%lld so far); is the hook stuck?", h->dropped);
		return false;
	}
	h->queue[(h->head + h->count++) % HOOK_MAX_QUEUE] = *e;
	return true;
}

extern char **environ;

/* Our environment plus the event's variables, built before fork so the
 * child only calls async-signal-safe functions. */
static char **event_env(HookEvent *e)
{
	size_t n = 0, kept = 0;
	size_t skip = strlen(SDNOTIFY_SOCKET_ENV "=");
	while (environ[n])
		n++;
	char **envp = calloc(n + (size_t)e->nvars + 1, sizeof(char *));
	if (!envp)
		return NULL;
	for (size_t i = 0; i < n; i++) { /* systemd's socket is ours alone */
		if (strncmp(environ[i], SDNOTIFY_SOCKET_ENV "=", skip) != 0)
			envp[kept++] = environ[i];
	}
	for (int i = 0; i < e->nvars; i++)
		envp[kept + (size_t)i] = e->vars[i];
	return envp;
}

/* Starts command with e's variables in a process group of its own: its
 * PID, or -1 (logged) when it cannot start. */
static pid_t spawn(const char *command, HookEvent *e)
{
	char *argv[] = {"sh", "-c", (char *)command, NULL};
	char **envp = event_env(e);
	pid_t pid = envp ? fork() : -1;

	if (pid == 0) {
		setpgid(0, 0);
		execve("/bin/sh", argv, envp);
		_exit(127);
	}
	free(envp);
	if (pid < 0) {
		log_error("cannot start the hook: %s", strerror(errno));
		return -1;
	}
	setpgid(pid, pid); /* also in the parent: no race with kill */
	return pid;
}

static void start_next(HookRunner *h, int64_t now_ms)
{
	HookEvent *e = &h->queue[h->head];
	pid_t pid = spawn(h->command, e);

	h->head = (h->head + 1) % HOOK_MAX_QUEUE;
	h->count--;
	if (pid < 0)
		return;
	h->pid = pid;
	h->started_ms = now_ms;
}

static void collect(HookRunner *h, int64_t now_ms)
{
	int status = 0;
	pid_t r = waitpid(h->pid, &status, WNOHANG);

	if (r == 0 && now_ms - h->started_ms <= h->timeout_ms)
		return; /* still running, in time */
	if (r == 0) {
		log_warn("hook still running after %lld ms: killing it",
			 (long long)h->timeout_ms);
		kill(-h->pid, SIGKILL);
		waitpid(h->pid, &status, 0);
	} else if (r > 0 && WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		log_warn("hook exited with status %d", WEXITSTATUS(status));
	} else if (r > 0 && WIFSIGNALED(status)) {
		log_warn("hook killed by signal %d", WTERMSIG(status));
	}
	h->pid = 0;
}

void hookrun_poll(HookRunner *h, int64_t now_ms)
{
	if (h->pid > 0)
		collect(h, now_ms);
	if (h->pid == 0 && h->count > 0)
		start_next(h, now_ms);
}

HookResult hookrun_wait(const char *command, const HookEvent *e,
			int64_t timeout_ms, int *status)
{
	HookEvent copy = *e;
	int st = 0;
	int64_t deadline = time_monotonic_ms() + timeout_ms;
	pid_t pid = spawn(command, &copy);

	*status = -1;
	if (pid < 0)
		return HOOK_NOT_STARTED;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (time_monotonic_ms() >= deadline) {
			kill(-pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return HOOK_TIMED_OUT;
		}
		time_sleep_ms(10);
	}
	if (WIFEXITED(st))
		*status = WEXITSTATUS(st);
	return *status == 0 ? HOOK_OK : HOOK_FAILED;
}

void hookrun_stop(HookRunner *h)
{
	if (h->pid > 0) {
		kill(-h->pid, SIGKILL);
		waitpid(h->pid, NULL, 0);
	}
	h->pid = 0;
	h->count = 0;
}
