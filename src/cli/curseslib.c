/*
 * curseslib.c - loading ncurses once for curseslib.h.
 */
#include "cli/curseslib.h"

#include "common/dynlib.h"

static DynLibOnce once = DYNLIB_ONCE_INIT;
static CursesLib lib;

const CursesLib *curseslib_load(char *err, size_t errlen)
{
#define CURSESLIB_NAME(name) #name,
#define CURSESLIB_SLOT(name) (void **)&lib.name,
	static const char *const names[] = {CURSESLIB_FUNCTIONS(CURSESLIB_NAME)};
	void **const slots[] = {CURSESLIB_FUNCTIONS(CURSESLIB_SLOT)};

	return dynlib_load_once(&once, CURSESLIB_SONAME, names, slots,
				sizeof(names) / sizeof(names[0]), err, errlen)
		       ? &lib
		       : NULL;
}
