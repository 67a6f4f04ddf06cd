/*
 * pgparamcheck.c - checking a formation-wide Postgres parameter against a
 * running server's pg_settings (pgparamcheck.h).
 */
#include "pg/pgparamcheck.h"

#include <stdio.h>
#include <string.h>

const char *const pg_param_managed[] = {
	"port", "listen_addresses", "unix_socket_directories",
	"synchronous_standby_names", "primary_conninfo", "primary_slot_name",
	"data_directory", "hba_file", "ident_file", "config_file",
	"hot_standby", "wal_log_hints", "recovery_target_timeline",
	"cluster_name", "wal_receiver_status_interval", "ssl",
	"ssl_cert_file", "ssl_key_file", "ssl_ca_file", "ssl_crl_file",
	"ssl_crl_dir", "restore_command", "recovery_target",
	"recovery_target_lsn", "recovery_target_name",
	"recovery_target_time", "recovery_target_xid",
	"recovery_target_action", NULL,
};

bool pg_param_is_managed(const char *name)
{
	for (size_t i = 0; pg_param_managed[i]; i++) {
		if (strcmp(pg_param_managed[i], name) == 0)
			return true;
	}
	return false;
}

/* What pg_settings says of name and of value as its value. */
static const char *const describe_sql =
	"SELECT context, vartype,"
	" CASE WHEN vartype = 'enum' THEN lower($2) = ANY (enumvals) END,"
	" CASE WHEN vartype IN ('integer', 'real') THEN $2 ~"
	"  '^\\s*-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\s*[a-zA-Z]*\\s*$' END,"
	" CASE WHEN vartype IN ('integer', 'real') AND $2 ~ '^\\s*-?[0-9.]+\\s*$'"
	"  THEN $2::numeric < min_val::numeric OR $2::numeric > max_val::numeric"
	" END,"
	" min_val, max_val, array_to_string(enumvals, ', ')"
	" FROM pg_settings WHERE name = $1";

static bool one_line(const char *name, const char *value, char *err,
		     size_t errlen)
{
	for (const char *p = value; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "postgresql.%s must be one line of "
					      "at most 255 bytes without "
					      "control characters", name);
			return false;
		}
	}
	if (strlen(value) <= 255)
		return true;
	snprintf(err, errlen, "postgresql.%s must be one line of at most 255 "
			      "bytes without control characters", name);
	return false;
}

static bool invalid(const char *name, const char *value, const char *why,
		    char *err, size_t errlen)
{
	snprintf(err, errlen, "invalid value \"%s\" for postgresql.%s: %s",
		 value, name, why);
	return false;
}

/* The value's type, from the row describe_sql returned. */
static bool check_type(PgConn *pc, PGresult *r, const char *name,
		       const char *value, char *err, size_t errlen)
{
	const char *type = PQgetvalue(r, 0, 1);
	char why[300];

	if (strcmp(type, "bool") == 0) {
		const char *p[] = {value};
		PGresult *b = pg_query(pc, "SELECT $1::bool", 1, p);
		PQclear(b);
		return b || invalid(name, value, pc->error, err, errlen);
	}
	if (strcmp(PQgetvalue(r, 0, 2), "f") == 0) {
		snprintf(why, sizeof(why), "not one of %s", PQgetvalue(r, 0, 7));
		return invalid(name, value, why, err, errlen);
	}
	if (strcmp(PQgetvalue(r, 0, 3), "f") == 0)
		return invalid(name, value, "not a number with an optional unit",
			       err, errlen);
	if (strcmp(PQgetvalue(r, 0, 4), "t") == 0) {
		snprintf(why, sizeof(why), "out of range %s .. %s",
			 PQgetvalue(r, 0, 5), PQgetvalue(r, 0, 6));
		return invalid(name, value, why, err, errlen);
	}
	return true;
}

/* A parameter any session may set: the server's own parser has the last
 * word, in a transaction that is rolled back. */
static bool try_set(PgConn *pc, const char *name, const char *value,
		    char *err, size_t errlen)
{
	const char *p[] = {name, value};
	bool ok = pg_exec(pc, "BEGIN", 0, NULL);
	PGresult *r = ok ? pg_query(pc, "SELECT set_config($1, $2, true)", 2,
				    p)
			 : NULL;
	char why[1024];

	snprintf(why, sizeof(why), "%s", pc->error);
	PQclear(r);
	pg_exec(pc, "ROLLBACK", 0, NULL);
	return r || invalid(name, value, why, err, errlen);
}

bool pg_param_check(PgConn *pc, const char *name, const char *value,
		    char *context, size_t clen, char *err, size_t errlen)
{
	const char *p[] = {name, value ? value : ""};
	PGresult *r = pg_query(pc, describe_sql, 2, p);

	if (!r)
		return invalid(name, value ? value : "", pc->error, err,
			       errlen);
	bool ok = PQntuples(r) == 1;
	if (!ok)
		snprintf(err, errlen, "unknown Postgres parameter \"%s\" (names "
				      "are lower case, as in postgresql.conf)",
			 name);
	else if (strcmp(PQgetvalue(r, 0, 0), "internal") == 0 ||
		 pg_param_is_managed(name)) {
		snprintf(err, errlen, "postgresql.%s is managed by pgkeel or by "
				      "Postgres itself and cannot be set for a "
				      "formation", name);
		ok = false;
	} else {
		snprintf(context, clen, "%s", PQgetvalue(r, 0, 0));
	}
	if (ok && value) {
		bool anyone = strcmp(context, "user") == 0;
		ok = one_line(name, value, err, errlen) &&
		     (strcmp(name, "wal_level") != 0 ||
		      strcmp(value, "replica") == 0 ||
		      strcmp(value, "logical") == 0 ||
		      invalid(name, value, "wal_level must stay replica or "
			      "logical for streaming replication", err,
			      errlen)) &&
		     check_type(pc, r, name, value, err, errlen) &&
		     (!anyone || try_set(pc, name, value, err, errlen));
	}
	PQclear(r);
	return ok;
}
