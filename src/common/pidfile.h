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

/* Writes our PID; true when written (or already ours); false with err
 * set when another live pgkeel process has it (its PID) or the file
 * cannot be written (fs_write_file_atomic logged why). */
bool pidfile_acquire(const char *path, char *err, size_t errlen);
/* The PID in the file when it is a live pgkeel process, or 0 (a stale
 * file naming a PID reused by another program is not followed). */
pid_t pidfile_read(const char *path);
/* True when pid is a running pgkeel binary (by /proc/PID/exe); false
 * when it is gone, another program, or another user's (unreadable). */
bool pidfile_is_pgkeel(pid_t pid);
/* Removes the file when it holds our PID; a failure is logged as a
 * warning, nothing more. */
void pidfile_release(const char *path);

#endif
