/*
 * mhdlib.c - loading libmicrohttpd once for mhdlib.h.
 */
#include "http/mhdlib.h"

#include <pthread.h>
#include <stdio.h>

#include "common/dynlib.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static MhdLib lib;
static bool loaded;

const MhdLib *mhdlib_load(char *err, size_t errlen)
{
#define MHDLIB_NAME(name) "MHD_" #name,
#define MHDLIB_SLOT(name) (void **)&lib.name,
	static const char *const names[] = {MHDLIB_FUNCTIONS(MHDLIB_NAME)};
	void **const slots[] = {MHDLIB_FUNCTIONS(MHDLIB_SLOT)};

	pthread_mutex_lock(&lock);
	if (!loaded)
		loaded = dynlib_load(MHDLIB_SONAME, names, slots,
				     sizeof(names) / sizeof(names[0]), err,
				     errlen);
	pthread_mutex_unlock(&lock);
	return loaded ? &lib : NULL;
}

const MhdLib *mhdlib(void)
{
	return &lib;
}
