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
/* The live PID in the file, or 0. */
pid_t pidfile_read(const char *path);
void pidfile_release(const char *path);

#endif
