/*
 * runprog.h - running an external program (initdb, pg_ctl, pg_basebackup,
 * pg_rewind, hooks) with its output captured and its exit status known.
 *
 * The program is executed directly (no shell), so arguments need no
 * quoting. Output (stdout and stderr merged) is collected in a buffer and,
 * optionally, passed line by line to a callback as it arrives: that is how
 * long operations show progress. A timeout kills the program.
 */
#ifndef PGK_RUNPROG_H
#define PGK_RUNPROG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef void (*RunLineFn)(const char *line, void *arg);

typedef struct {
	const char *const *argv;   /* argv[0] is the program path */
	const char *const *env;    /* extra NAME=VALUE entries, or NULL */
	const char *cwd;           /* or NULL */
	int timeout_ms;            /* 0: no timeout */
	RunLineFn on_line;         /* or NULL */
	void *on_line_arg;
	bool detach;               /* new session, stdin from /dev/null */
} RunSpec;

typedef struct {
	int exit_code;   /* -1 if it did not exit normally */
	int term_signal; /* the signal that ended it, or 0 */
	bool timed_out;
	bool spawn_failed;
	char *output;    /* malloc'd, NUL-terminated (never NULL on return) */
} RunResult;

/*
 * Runs to completion. True when the program exited with status 0 in
 * time; false otherwise, with result saying how it ended: spawn_failed
 * (the system's reason as output) when no process could be made; exit
 * code 127 with "cannot execute" in the output when the program could
 * not be executed, 126 when cwd could not be entered.
 * result->output is always to be freed (run_result_free); it can be NULL
 * only when memory ran out.
 */
bool run_program(const RunSpec *spec, RunResult *result);
void run_result_free(RunResult *result);

/* "exit code 3", "killed by signal 9", "timed out", "could not be
 * started": into buf, which it returns (never NULL). */
const char *run_result_describe(const RunResult *result, char *buf,
				size_t len);

/* Logs the command line at debug level, for diagnosis. */
void run_log_command(const char *const *argv);

#endif
