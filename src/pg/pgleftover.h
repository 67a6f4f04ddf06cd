/*
 * pgleftover.h - what a dead postmaster leaves behind, and clearing it
 * so that Postgres can start again in place at once.
 *
 * A postmaster killed alone (an OOM kill) leaves its backends running for
 * a moment, attached to its System V shared memory segment: Postgres
 * refuses to start while the segment is in use ("pre-existing shared
 * memory block is still in use"). A killed postmaster that nobody has
 * reaped yet (its parent is an init that reaps slowly, as when another
 * process started it) is a zombie whose PID still answers kill(pid, 0):
 * Postgres then takes postmaster.pid for a live server's and refuses too.
 * The keeper reads these leftovers, waits in small steps for the old
 * processes to go, and removes a postmaster.pid that no server holds.
 */
#ifndef PGK_PGLEFTOVER_H
#define PGK_PGLEFTOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct {
	bool pidfile;    /* postmaster.pid exists */
	pid_t pid;       /* the postmaster it names */
	bool pid_alive;  /* that PID is a live process (not a zombie) */
	bool pid_zombie; /* that PID is a zombie: dead, not reaped yet */
	key_t shm_key;   /* its shared memory segment (line 7) */
	int shm_id;      /* -1: none named, gone, or not this key any more */
	int attached;    /* processes still attached to the segment */
	int port;        /* line 4, and the socket directory of line 5: */
	char sockdir[512]; /* its socket's lock file names the PID too */
} PgLeftover;

/* Reads datadir's postmaster.pid and the state of what it names; an
 * unreadable file reads as none (out->pidfile false), silently. */
void pgleftover_read(const char *datadir, PgLeftover *out);
/*
 * A postmaster.pid no server holds, once pgctl_status said no server of
 * this directory runs: no process is attached to its segment (its PID is
 * then dead, a zombie, or reused by another program). True when l has a
 * postmaster.pid and nothing is attached; false otherwise.
 */
bool pgleftover_pidfile_is_stale(const PgLeftover *l);
/* Removes postmaster.pid, and the lock file of its Unix socket when that
 * names the same postmaster (Postgres refuses to start with either).
 * True when both are gone (or were never there); false with err naming
 * the file that could not be removed and the system's reason. */
bool pgleftover_remove_stale(const PgLeftover *l, const char *datadir,
			     char *err, size_t errlen);
/*
 * SIGKILL to every process (of this user) still attached to the dead
 * postmaster's segment: its orphaned backends and auxiliary processes,
 * which can no longer serve anyone. Only once pgctl_status said no
 * server of this directory runs: a postmaster PID still in /proc then is
 * exiting (or another program's), and these are no live server's
 * children. Returns how many were signalled: 0 when no segment is
 * attached or /proc cannot be read (nothing is logged).
 */
int pgleftover_kill_attached(const PgLeftover *l);

#endif
