/*
 * hookrun.h - running an operator's hook command without ever blocking
 * the caller's loop: events are queued and run one at a time, in order,
 * through /bin/sh -c, with extra environment variables; a hook running
 * past its timeout is killed (its whole process group). The owner calls
 * hookrun_poll() every cycle. hookrun_wait runs one hook the same way
 * and waits for its answer (a veto, for instance).
 */
#ifndef PGK_HOOKRUN_H
#define PGK_HOOKRUN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define HOOK_MAX_QUEUE 16
#define HOOK_MAX_VARS 16

typedef struct {
	char vars[HOOK_MAX_VARS][320]; /* NAME=VALUE */
	int nvars;
} HookEvent;

typedef struct {
	char command[1024]; /* "" disables the hooks */
	int64_t timeout_ms;
	pid_t pid;          /* the running hook, or 0 */
	int64_t started_ms;
	HookEvent queue[HOOK_MAX_QUEUE];
	int head, count;
	long long dropped;  /* events lost to a full queue */
} HookRunner;

void hookrun_init(HookRunner *h, const char *command, int64_t timeout_ms);
/* Adds NAME=VALUE to an event; false (logged, nothing added) when it
 * would not fit whole or the event has HOOK_MAX_VARS already. */
bool hookrun_var(HookEvent *e, const char *name, const char *value);
/* Queues an event; false (and counted) when the queue is full. */
bool hookrun_fire(HookRunner *h, const HookEvent *e);
/* Collects a finished hook, kills an overdue one, starts the next. */
void hookrun_poll(HookRunner *h, int64_t now_ms);
typedef enum {
	HOOK_OK,          /* exited 0 */
	HOOK_FAILED,      /* exited non-zero, or killed by a signal */
	HOOK_TIMED_OUT,   /* still running at the timeout: killed with its
			     process group */
	HOOK_NOT_STARTED  /* fork failed (logged) */
} HookResult;

/* Runs command with e's variables, as a queued hook runs, and waits up
 * to timeout_ms for it. *status: its exit status, or -1 when it did not
 * exit by itself (signal, timeout, not started). */
HookResult hookrun_wait(const char *command, const HookEvent *e,
			int64_t timeout_ms, int *status);
/* Kills a running hook and forgets the queue (at exit). */
void hookrun_stop(HookRunner *h);

#endif
