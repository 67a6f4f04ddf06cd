/*
 * pgstore_secrets.c - new formation passwords in the postgres store.
 *
 * The formation's passwords are drawn by the store's Postgres
 * (gen_random_uuid(), a strong random source), so no statement carries
 * them; each keeper reads them from the store, the primary's keeper sets
 * them on its roles and every keeper rewrites its replication.pgpass.
 */
#include <stdio.h>
#include <string.h>

#include "store/pgstore.h"

/* A new value for one password column, an event saying so, and the
 * keepers and the monitor woken to apply it. */
#define ROTATE_SQL(column, what)                                           \
	"WITH u AS (UPDATE pgkeel.formation SET " column                  \
	" = replace(gen_random_uuid()::text, '-', '')"                     \
	" || replace(gen_random_uuid()::text, '-', '')"                    \
	" WHERE name = $1 RETURNING name)"                                 \
	" INSERT INTO pgkeel.event (formation, description)"               \
	" SELECT name, '" what " password rotated' FROM u"                 \
	" RETURNING pg_notify('pgkeel_goal', formation),"                  \
	" pg_notify('pgkeel_report', formation)"

/* The statement for each formation password, by the name the CLI uses. */
static const char *secret_sql(const char *which)
{
	if (strcmp(which, "replication") == 0)
		return ROTATE_SQL("replication_password", "replication");
	if (strcmp(which, "health") == 0)
		return ROTATE_SQL("health_password", "health check");
	return NULL;
}

bool pgstore_rotate_secret(Store *s, const char *formation,
			   const char *which)
{
	const char *sql = secret_sql(which);
	const char *params[] = {formation};

	if (!sql) {
		s->failure = STORE_REFUSED;
		snprintf(s->error, sizeof(s->error),
			 "no formation password is called %s", which);
		return false;
	}
	PGresult *res = pgstore_query(s, sql, 1, params);
	if (!res)
		return false;
	bool ok = PQntuples(res) == 1;
	PQclear(res);
	if (!ok) {
		s->failure = STORE_NOT_FOUND;
		snprintf(s->error, sizeof(s->error),
			 "formation %s does not exist; `pgkeel show state` "
			 "lists the formations", formation);
	}
	return ok;
}
