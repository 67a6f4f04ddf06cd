/*
 * monitor_rotate.c - new passwords, given on the monitor's host through
 * its local socket: the operator's store role (operator.pgpass), and a
 * formation's replication and health-check passwords.
 *
 * The formation's passwords are drawn by the monitor's Postgres
 * (gen_random_uuid(), a strong random source), so no statement carries
 * them; each keeper reads them from the store, the primary's keeper sets
 * them on its roles (as SCRAM verifiers) and every keeper rewrites its
 * replication.pgpass. Open sessions and streaming stay up.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "monitor/monitor.h"
#include "pg/pgpassword.h"
#include "store/pgstore_schema.h"

bool monitor_rotate_password(const Config *cfg, char *err, size_t errlen)
{
	NodePaths paths;
	PgNode node;
	PgConn pc;

	if (!pgnode_from_config(cfg, &node, err, errlen) ||
	    !nodepaths_init(&paths, node.pgdata, err, errlen))
		return false;
	if (strcmp(node.auth, "trust") == 0) {
		snprintf(err, errlen, "this monitor uses --auth trust: its "
				      "roles have no password to rotate");
		return false;
	}
	if (!pgnode_connect(&node, &pc, err, errlen))
		return false;
	bool ok = pg_rotate_password(&pc, PGSTORE_OPERATOR_ROLE,
				     paths.operator_pass, err, errlen);
	pg_disconnect(&pc);
	return ok;
}

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

bool monitor_rotate_secret(const Config *cfg, const char *which, char *err,
			   size_t errlen)
{
	const char *formation = config_get(cfg, S_FORMATION);
	const char *sql = secret_sql(which);
	const char *params[] = {formation};
	PgNode node;
	PgConn pc;

	if (!sql) {
		snprintf(err, errlen, "no formation password is called %s",
			 which);
		return false;
	}
	if (!pgnode_from_config(cfg, &node, err, errlen))
		return false;
	if (!pg_connect_local(&pc, node.socket_dir, node.port, PGSTORE_DB,
			      5000)) {
		snprintf(err, errlen, "%s", pc.error);
		return false;
	}
	PGresult *res = pg_query(&pc, sql, 1, params);
	bool ok = res && PQntuples(res) == 1;
	if (!res)
		snprintf(err, errlen, "%s", pc.error);
	else if (!ok)
		snprintf(err, errlen, "formation %s does not exist; "
				      "`pgkeel show state` lists the formations",
			 formation);
	PQclear(res);
	pg_disconnect(&pc);
	return ok;
}
