/*
 * pgobserve.c - the queries behind an Observation.
 */
#include "pg/pgobserve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

/* The node's own columns (NODE_COLS of them), then a standby's
 * (pg_stat_replication) in one statement: a row per standby, the node's
 * columns repeated, or one row with no standby's when there is none. */
#define NODE_COLS 12
static const char *const observe_sql =
	"SELECT * FROM (SELECT pg_is_in_recovery(),"
	" CASE WHEN pg_is_in_recovery() THEN NULL"
	"      ELSE pg_current_wal_flush_lsn() END,"
	" pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(),"
	" CASE WHEN pg_is_in_recovery()"
	"      THEN coalesce((SELECT received_tli FROM pg_stat_wal_receiver),"
	"                    (SELECT timeline_id FROM pg_control_checkpoint()))"
	"      ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))"
	"           ::bit(32)::int END,"
	" (SELECT status FROM pg_stat_wal_receiver),"
	" (SELECT sender_host FROM pg_stat_wal_receiver),"
	" (SELECT sender_port FROM pg_stat_wal_receiver),"
	" current_setting('synchronous_standby_names'),"
	" CASE WHEN NOT pg_is_in_recovery()"
	"        OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"
	"      THEN 0 ELSE coalesce(extract(epoch FROM now() -"
	"        pg_last_xact_replay_timestamp()), 0) END,"
	" coalesce((SELECT (extract(epoch FROM clock_timestamp() -"
	"   last_msg_receipt_time) * 1000)::bigint"
	"   FROM pg_stat_wal_receiver), -1),"
	" (SELECT pid FROM pg_stat_wal_receiver)) n"
	" LEFT JOIN (SELECT application_name, coalesce(host(client_addr),"
	"  'local'), state, sync_state, flush_lsn, replay_lsn,"
	"  coalesce((extract(epoch FROM clock_timestamp() - reply_time)"
	"  * 1000)::bigint, 1000000000)"
	"  FROM pg_stat_replication WHERE state <> 'backup') s ON true"
	" ORDER BY s.application_name";

static Lsn get_lsn(PGresult *res, int row, int col)
{
	Lsn lsn = LSN_INVALID;
	if (!PQgetisnull(res, row, col))
		lsn_parse(PQgetvalue(res, row, col), &lsn);
	return lsn;
}

static void copy_field(char *dst, size_t len, PGresult *res, int row, int col)
{
	snprintf(dst, len, "%s",
		 PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col));
}

static void read_node_row(PGresult *res, Observation *obs)
{
	obs->in_recovery = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	obs->receive_lsn = get_lsn(res, 0, 2);
	obs->replay_lsn = get_lsn(res, 0, 3);
	if (obs->in_recovery)
		obs->current_lsn = obs->receive_lsn > obs->replay_lsn
					   ? obs->receive_lsn
					   : obs->replay_lsn;
	else
		obs->current_lsn = get_lsn(res, 0, 1);
	obs->timeline = atoi(PQgetvalue(res, 0, 4));
	copy_field(obs->receiver_status, sizeof(obs->receiver_status), res, 0,
		   5);
	obs->receiver_streaming = strcmp(obs->receiver_status, "streaming") == 0;
	copy_field(obs->upstream_host, sizeof(obs->upstream_host), res, 0, 6);
	obs->upstream_port = atoi(PQgetvalue(res, 0, 7));
	copy_field(obs->sync_names, sizeof(obs->sync_names), res, 0, 8);
	obs->replay_lag_s = atof(PQgetvalue(res, 0, 9));
	obs->contact_age_ms = atoll(PQgetvalue(res, 0, 10));
	obs->receiver_pid = atoi(PQgetvalue(res, 0, 11)); /* NULL: 0 */
}

static void read_standby_rows(PGresult *res, Observation *obs)
{
	const int c = NODE_COLS;
	int rows = PQntuples(res);

	for (int i = 0; i < rows && !PQgetisnull(res, i, c) &&
			obs->nstandbys < OBSERVE_MAX_STANDBYS;
	     i++) {
		ObservedStandby *s = &obs->standbys[obs->nstandbys++];
		copy_field(s->application_name, sizeof(s->application_name),
			   res, i, c);
		copy_field(s->client_addr, sizeof(s->client_addr), res, i,
			   c + 1);
		copy_field(s->state, sizeof(s->state), res, i, c + 2);
		copy_field(s->sync_state, sizeof(s->sync_state), res, i, c + 3);
		s->flush_lsn = get_lsn(res, i, c + 4);
		s->replay_lsn = get_lsn(res, i, c + 5);
		s->reply_age_ms = atoll(PQgetvalue(res, i, c + 6));
	}
}

bool pg_observe(PgConn *pc, Observation *obs)
{
	memset(obs, 0, sizeof(*obs));
	PGresult *res = pg_query_cached(pc, observe_sql, 0, NULL);
	if (!res)
		return false;
	if (PQntuples(res) < 1) { /* never: the node's row is there */
		snprintf(pc->error, sizeof(pc->error), "observation: no row");
		PQclear(res);
		return false;
	}
	read_node_row(res, obs);
	read_standby_rows(res, obs);
	PQclear(res);
	obs->running = true;
	return true;
}

bool pg_observe_pending_restart(PgConn *pc, Observation *obs)
{
	char v[8];

	if (!pg_query_value(pc,
			    "SELECT EXISTS (SELECT 1 FROM pg_settings"
			    " WHERE pending_restart)",
			    0, NULL, v, sizeof(v)))
		return false;
	obs->pending_restart = strcmp(v, "t") == 0;
	return true;
}

Lsn observe_standby_flush(const Observation *obs, const char *app_name)
{
	for (size_t i = 0; i < obs->nstandbys; i++) {
		if (strcmp(obs->standbys[i].application_name, app_name) == 0)
			return obs->standbys[i].flush_lsn;
	}
	return LSN_INVALID;
}
