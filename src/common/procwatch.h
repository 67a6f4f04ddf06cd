/*
 * procwatch.h - noticing at once that a process ended, without polling:
 * a pidfd per watched process (Linux 5.3 and later), all in one epoll
 * set whose descriptor is readable once any of them ended. The keeper
 * watches its postmaster and its WAL receiver this way, so that their
 * exit ends its wait (docs/architecture.md, "The quiet cadence").
 *
 * A process that ended stays noted as ended (its PID remembered) until
 * another PID is watched in its slot: a PID file still naming a dead
 * postmaster does not arm the watch again.
 */
#ifndef PGK_PROCWATCH_H
#define PGK_PROCWATCH_H

#include <stdbool.h>
#include <sys/types.h>

#define PROCWATCH_SLOTS 2

typedef struct {
	int epfd;                    /* -1: no watch (unsupported) */
	int fd[PROCWATCH_SLOTS];     /* the pidfds; -1: none */
	pid_t pid[PROCWATCH_SLOTS];  /* watched or ended; 0: none */
	bool ended[PROCWATCH_SLOTS];
} ProcWatch;

/* Opens the epoll set: false (w unusable, every call harmless) when the
 * system has none. */
bool procwatch_open(ProcWatch *w);
void procwatch_close(ProcWatch *w);
/* Watches pid in slot (0: nothing). The same PID as before changes
 * nothing, ended or not. A PID that is gone already counts as ended. */
void procwatch_set(ProcWatch *w, int slot, pid_t pid);
/* Notes every watched process that ended and takes it out of the set,
 * so that the descriptor is no longer readable for it. True when one
 * had ended. */
bool procwatch_take(ProcWatch *w);
/* True while slot's process is watched and was not seen to end. */
bool procwatch_live(const ProcWatch *w, int slot);
/* Readable once a watched process ended (-1 without a watch). */
int procwatch_fd(const ProcWatch *w);

#endif
