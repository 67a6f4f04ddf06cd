/*
 * dynlib.c - dlopen and dlsym for dynlib.h.
 */
#include "common/dynlib.h"

#include <dlfcn.h>
#include <stdio.h>

bool dynlib_load(const char *soname, const char *const names[],
		 void **const slots[], size_t n, char *err, size_t errlen)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		snprintf(err, errlen, "cannot load %s: %s", soname, dlerror());
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		*slots[i] = dlsym(h, names[i]);
		if (!*slots[i]) {
			snprintf(err, errlen, "%s has no %s", soname, names[i]);
			dlclose(h);
			return false;
		}
	}
	return true;
}

bool dynlib_load_once(DynLibOnce *once, const char *soname,
		      const char *const names[], void **const slots[],
		      size_t n, char *err, size_t errlen)
{
	pthread_mutex_lock(&once->lock);
	if (!once->loaded)
		once->loaded =
			dynlib_load(soname, names, slots, n, err, errlen);
	bool loaded = once->loaded;
	pthread_mutex_unlock(&once->lock);
	return loaded;
}
