/*
 * pgroles.h - the replication role pgkeel's nodes use between themselves:
 * LOGIN REPLICATION, a password (or none with trust), and the grants
 * pg_rewind needs to read files from a source server without being a
 * superuser.
 */
#ifndef PGK_PGROLES_H
#define PGK_PGROLES_H

#include <stdbool.h>

#include "pg/pgsql.h"

/* Creates or updates the role; password "" leaves it without one. */
bool pgroles_ensure_replication(PgConn *pc, const char *user,
				const char *password);

#endif
