/*
 * logslots.c - permanent logical slots on one server (logslots.h).
 */
#include "pg/logslots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void store_row(PGresult *res, int row, const char *const *names,
		      size_t n, LogSlotPos *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], PQgetvalue(res, row, 0)) != 0)
			continue;
		out[i].exists = true;
		out[i].active = strcmp(PQgetvalue(res, row, 1), "t") == 0;
		if (!PQgetisnull(res, row, 2))
			lsn_parse(PQgetvalue(res, row, 2),
				  &out[i].confirmed_flush);
		snprintf(out[i].plugin, sizeof(out[i].plugin), "%s",
			 PQgetvalue(res, row, 3));
		snprintf(out[i].database, sizeof(out[i].database), "%s",
			 PQgetvalue(res, row, 4));
	}
}

bool logslots_read(PgConn *pc, const char *const *names, size_t n,
		   LogSlotPos *out)
{
	memset(out, 0, n * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const char *params[] = {names[i]};
		PGresult *res = pg_query(
			pc,
			"SELECT slot_name, active, confirmed_flush_lsn, plugin,"
			" database FROM pg_replication_slots"
			" WHERE slot_type = 'logical' AND slot_name = $1",
			1, params);
		if (!res) {
			memset(out, 0, n * sizeof(*out));
			return false;
		}
		for (int r = 0; r < PQntuples(res); r++)
			store_row(res, r, names, n, out);
		PQclear(res);
	}
	return true;
}

bool logslot_create(PgConn *pc, const char *name, const char *plugin)
{
	const char *params[] = {name, plugin};

	return pg_exec(pc,
		       "SELECT pg_create_logical_replication_slot($1, $2)"
		       " WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots"
		       " WHERE slot_name = $1)",
		       2, params);
}

bool logslot_advance(PgConn *pc, const char *name, Lsn lsn)
{
	char text[LSN_TEXT_LEN];
	const char *params[] = {name, lsn_format(lsn, text, sizeof(text))};

	/* pg_last_wal_replay_lsn() is NULL on a primary: LEAST ignores it */
	return pg_exec(pc,
		       "SELECT pg_replication_slot_advance(slot_name,"
		       " LEAST($2::pg_lsn, pg_last_wal_replay_lsn()))"
		       " FROM pg_replication_slots WHERE slot_name = $1"
		       " AND slot_type = 'logical' AND NOT active"
		       " AND confirmed_flush_lsn < LEAST($2::pg_lsn,"
		       " pg_last_wal_replay_lsn())",
		       2, params);
}

bool logslots_feedback_on(PgConn *pc, bool *on)
{
	char v[16];

	if (!pg_query_value(pc, "SELECT current_setting('hot_standby_feedback')",
			    0, NULL, v, sizeof(v)))
		return false;
	*on = strcmp(v, "on") == 0;
	return true;
}

bool logslot_missing_wal(const PgConn *pc)
{
	/* "requested WAL segment ... has already been removed" */
	return strcmp(pc->sqlstate, "58P01") == 0; /* undefined_file */
}
