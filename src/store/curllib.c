/*
 * curllib.c - loading libcurl once for curllib.h.
 */
#include "store/curllib.h"


#include "common/dynlib.h"

static DynLibOnce once = DYNLIB_ONCE_INIT;
static CurlLib lib;

const CurlLib *curllib_load(char *err, size_t errlen)
{
#define CURLLIB_NAME(name) "curl_" #name,
#define CURLLIB_SLOT(name) (void **)&lib.name,
	static const char *const names[] = {CURLLIB_FUNCTIONS(CURLLIB_NAME)};
	void **const slots[] = {CURLLIB_FUNCTIONS(CURLLIB_SLOT)};

	return dynlib_load_once(&once, CURLLIB_SONAME, names, slots,
				sizeof(names) / sizeof(names[0]), err, errlen)
		       ? &lib
		       : NULL;
}

const CurlLib *curllib(void)
{
	return &lib;
}
