/*
 * storeparam.h - checking a formation-wide Postgres parameter for a
 * driver that keeps no Postgres to check it in (etcd): its set_pg_param
 * calls storeparam_check first, which checks it on the formation's
 * primary (storeparam.c).
 */
#ifndef PGK_STOREPARAM_H
#define PGK_STOREPARAM_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

/* How long the primary has to answer the check. */
#define STOREPARAM_TIMEOUT_MS 5000

/*
 * Checks name = value (NULL: removed) against formation's primary within
 * STOREPARAM_TIMEOUT_MS: true with context set to the parameter's context
 * ("postmaster": applied by a restart); false with s->error and
 * s->failure set: STORE_REFUSED for an invalid parameter or value, or a
 * formation without a primary; STORE_UNAVAILABLE when the primary cannot
 * be reached; what store_get_formation sets when the formation cannot be
 * read.
 */
bool storeparam_check(Store *s, const char *formation, const char *name,
		      const char *value, char *context, size_t len);

#endif
