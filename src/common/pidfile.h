/*
 * pidfile.h - one running service per node directory: `pgkeel run`
 * writes its PID, refuses to start when a live process holds the file,
 * and `pgkeel stop` and `pgkeel status` read it.
 */
#ifndef PGK_PIDFILE_H
#define PGK_PIDFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Writes our PID; false (with err) when another live process has it. */
bool pidfile_acquire(const char *path, char *err, size_t errlen);
/* The PID in the file when it is a live pgkeel process, or 0 (a stale
 * file naming a PID reused by another program is not followed). */
pid_t pidfile_read(const char *path);
/* Whether pid is a running pgkeel binary (by /proc/PID/exe). */
bool pidfile_is_pgkeel(pid_t pid);
void pidfile_release(const char *path);

#endif
