/*
 * dynlib.h - loading a shared library when it is first needed, rather
 * than linking it: a library the process may never use (the HTTP API's,
 * off by default; the etcd driver's) then costs nothing, neither its
 * relocated data nor its dependencies' (docs/benchmarks.md). Each user
 * lists the functions it calls in a table of pointers (http/mhdlib.h,
 * store/curllib.h).
 */
#ifndef PGK_DYNLIB_H
#define PGK_DYNLIB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Opens soname (never closed) and resolves names[i] into *slots[i] for
 * each of the n names. True when all resolved; false with err set (the
 * library or the first name missing). */
bool dynlib_load(const char *soname, const char *const names[],
		 void **const slots[], size_t n, char *err, size_t errlen);

/* A library loaded once per process, whichever thread asks first. */
typedef struct {
	pthread_mutex_t lock;
	bool loaded;
} DynLibOnce;
#define DYNLIB_ONCE_INIT {PTHREAD_MUTEX_INITIALIZER, false}

/* dynlib_load the first time it succeeds, under once's lock; true at
 * once after that. False with err set as dynlib_load's (tried again at
 * the next call). */
bool dynlib_load_once(DynLibOnce *once, const char *soname,
		      const char *const names[], void **const slots[],
		      size_t n, char *err, size_t errlen);

#endif
