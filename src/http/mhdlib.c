/*
 * mhdlib.c - loading libmicrohttpd once for mhdlib.h.
 */
#include "http/mhdlib.h"

#include <stdio.h>

#include "common/dynlib.h"

static DynLibOnce once = DYNLIB_ONCE_INIT;
static MhdLib lib;

const MhdLib *mhdlib_load(char *err, size_t errlen)
{
#define MHDLIB_NAME(name) "MHD_" #name,
#define MHDLIB_SLOT(name) (void **)&lib.name,
	static const char *const names[] = {MHDLIB_FUNCTIONS(MHDLIB_NAME)};
	void **const slots[] = {MHDLIB_FUNCTIONS(MHDLIB_SLOT)};

	return dynlib_load_once(&once, MHDLIB_SONAME, names, slots,
				sizeof(names) / sizeof(names[0]), err, errlen)
		       ? &lib
		       : NULL;
}

const MhdLib *mhdlib(void)
{
	return &lib;
}
