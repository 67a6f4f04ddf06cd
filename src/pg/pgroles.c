/*
 * pgroles.c - creating the replication role and its pg_rewind grants.
 */
#include "pg/pgroles.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/log.h"

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

bool pgroles_ensure_replication(PgConn *pc, const char *user,
				const char *password)
{
	char sql[1024];
	char *ident = pg_quote_ident(pc, user);
	char *userlit = pg_quote_literal(pc, user);
	char *pwlit = password && *password ? pg_quote_literal(pc, password)
					    : NULL;
	bool ok = ident && userlit;

	snprintf(sql, sizeof(sql),
		 "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE "
		 "rolname = %s) THEN CREATE ROLE %s; END IF; END $$",
		 userlit ? userlit : "''", ident ? ident : "\"\"");
	ok = ok && run_sql(pc, sql);
	snprintf(sql, sizeof(sql), "ALTER ROLE %s WITH LOGIN REPLICATION "
				   "PASSWORD %s",
		 ident ? ident : "\"\"", pwlit ? pwlit : "NULL");
	ok = ok && run_sql(pc, sql);
	for (size_t i = 0; ok && i < sizeof(rewind_functions) /
					    sizeof(rewind_functions[0]);
	     i++) {
		snprintf(sql, sizeof(sql), "GRANT EXECUTE ON FUNCTION %s TO %s",
			 rewind_functions[i], ident);
		ok = run_sql(pc, sql);
	}
	free(ident);
	free(userlit);
	free(pwlit);
	return ok;
}
