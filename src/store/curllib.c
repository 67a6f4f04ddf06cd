/*
 * curllib.c - loading libcurl once for curllib.h.
 */
#include "store/curllib.h"

#include <pthread.h>
#include <stdbool.h>

#include "common/dynlib.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static CurlLib lib;
static bool loaded;

const CurlLib *curllib_load(char *err, size_t errlen)
{
#define CURLLIB_NAME(name) "curl_" #name,
#define CURLLIB_SLOT(name) (void **)&lib.name,
	static const char *const names[] = {CURLLIB_FUNCTIONS(CURLLIB_NAME)};
	void **const slots[] = {CURLLIB_FUNCTIONS(CURLLIB_SLOT)};

	pthread_mutex_lock(&lock);
	if (!loaded)
		loaded = dynlib_load(CURLLIB_SONAME, names, slots,
				     sizeof(names) / sizeof(names[0]), err,
				     errlen);
	pthread_mutex_unlock(&lock);
	return loaded ? &lib : NULL;
}

const CurlLib *curllib(void)
{
	return &lib;
}
