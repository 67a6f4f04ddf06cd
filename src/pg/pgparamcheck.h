/*
 * pgparamcheck.h - whether a formation-wide Postgres parameter would be
 * accepted, checked against a running server's pg_settings: the
 * postgres store checks it on the monitor's own Postgres
 * (src/store/pgstore_params.c), the etcd store on the formation's
 * primary (src/store/storeparam.c).
 */
#ifndef PGK_PGPARAMCHECK_H
#define PGK_PGPARAMCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "pg/pgsql.h"

/* The parameters pgkeel or Postgres manage on every node: never set for
 * a formation. NULL-terminated. */
extern const char *const pg_param_managed[];

/* True when name is one of pg_param_managed. */
bool pg_param_is_managed(const char *name);

/*
 * Checks name = value (NULL: the parameter removed) on the server pc is
 * connected to: a known parameter, not managed, one line of at most 255
 * bytes, a value of its type (bool, one of an enum's values, a number
 * with an optional unit within its range), wal_level replica or logical,
 * and for a parameter any session may set, accepted by set_config. True
 * with context set to the parameter's ("postmaster": applied only by a
 * restart); false with err saying what is wrong (or the server's error).
 */
bool pg_param_check(PgConn *pc, const char *name, const char *value,
		    char *context, size_t clen, char *err, size_t errlen);

#endif
