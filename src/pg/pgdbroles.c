/*
 * pgdbroles.c - creating the replication role and its pg_rewind grants,
 * and the health-check role.
 */
#include "pg/pgdbroles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "pg/pgpassword.h"

static const char *const rewind_functions[] = {
	"pg_catalog.pg_ls_dir(text, boolean, boolean)",
	"pg_catalog.pg_stat_file(text, boolean)",
	"pg_catalog.pg_read_binary_file(text)",
	"pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)",
};

static bool run_sql(PgConn *pc, const char *sql)
{
	bool ok = pg_exec(pc, sql, 0, NULL);
	if (!ok)
		log_error("%s", pc->error);
	return ok;
}

bool pgdbroles_ensure_replication(PgConn *pc, const char *user,
				const char *password)
{
	char sql[1024];
	char *ident = pg_quote_ident(pc, user);
	char *userlit = pg_quote_literal(pc, user);
	bool ok = ident && userlit;

	snprintf(sql, sizeof(sql),
		 "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE "
		 "rolname = %s) THEN CREATE ROLE %s; END IF; END $$",
		 userlit ? userlit : "''", ident ? ident : "\"\"");
	ok = ok && run_sql(pc, sql);
	snprintf(sql, sizeof(sql), "ALTER ROLE %s WITH LOGIN REPLICATION%s",
		 ident ? ident : "\"\"",
		 password && *password ? "" : " PASSWORD NULL");
	ok = ok && run_sql(pc, sql);
	if (ok && password && *password && !pg_set_password(pc, user, password)) {
		log_error("%s", pc->error);
		ok = false;
	}
	for (size_t i = 0; ok && i < sizeof(rewind_functions) /
					    sizeof(rewind_functions[0]);
	     i++) {
		snprintf(sql, sizeof(sql), "GRANT EXECUTE ON FUNCTION %s TO %s",
			 rewind_functions[i], ident);
		ok = run_sql(pc, sql);
	}
	free(ident);
	free(userlit);
	return ok;
}

/* The role's defaults: whatever it runs is short, and writes nothing. */
static const char *const health_settings[] = {
	"ALTER ROLE " PG_HEALTH_ROLE " SET statement_timeout = '1s'",
	"ALTER ROLE " PG_HEALTH_ROLE
	" SET idle_in_transaction_session_timeout = '1s'",
	"ALTER ROLE " PG_HEALTH_ROLE " SET default_transaction_read_only = on",
};

/* The password as a quoted verifier (SCRAM or md5, as the server's
 * password_encryption says), or "NULL" for none; malloc'd. */
static char *password_literal(PgConn *pc, const char *password)
{
	if (!password || !*password)
		return strdup("NULL");
	char *verifier = PQencryptPasswordConn(pc->conn, password,
					       PG_HEALTH_ROLE, NULL);
	if (!verifier) {
		log_error("cannot encrypt the password of %s: %s",
			  PG_HEALTH_ROLE, PQerrorMessage(pc->conn));
		return NULL;
	}
	char *lit = pg_quote_literal(pc, verifier);
	PQfreemem(verifier);
	return lit;
}

bool pgdbroles_ensure_health(PgConn *pc, const char *password)
{
	char sql[1024];
	bool ok = run_sql(pc, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM "
			      "pg_roles WHERE rolname = '" PG_HEALTH_ROLE
			      "') THEN CREATE ROLE " PG_HEALTH_ROLE
			      "; END IF; END $$");
	char *pwlit = ok ? password_literal(pc, password) : NULL;

	snprintf(sql, sizeof(sql),
		 "ALTER ROLE " PG_HEALTH_ROLE " WITH LOGIN NOSUPERUSER "
		 "NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS "
		 "CONNECTION LIMIT %d PASSWORD %s",
		 PG_HEALTH_CONN_LIMIT, pwlit ? pwlit : "NULL");
	ok = ok && pwlit && run_sql(pc, sql);
	for (size_t i = 0; ok && i < sizeof(health_settings) /
					    sizeof(health_settings[0]);
	     i++)
		ok = run_sql(pc, health_settings[i]);
	free(pwlit);
	return ok;
}
