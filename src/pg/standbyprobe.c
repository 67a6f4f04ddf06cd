/*
 * standbyprobe.c - a primary asks its streaming standbys to answer now
 * (standbyprobe.h).
 */
#include "pg/standbyprobe.h"

#include <stdlib.h>

#include "common/timeutil.h"

#define POLL_MS 5

static const char *const before_sql =
	"SELECT coalesce(json_object_agg(pid, reply_time), '{}')::text"
	" FROM pg_catalog.pg_stat_replication WHERE state = 'streaming'";
static const char *const write_sql = "SELECT pg_catalog.txid_current()";
static const char *const answered_sql =
	"SELECT count(*) FROM pg_catalog.pg_stat_replication r"
	" WHERE state = 'streaming' AND reply_time > coalesce("
	"  ($1::json ->> r.pid::text)::timestamptz, '-infinity')";

bool pg_standbys_answer(PgConn *pc, int wait_ms)
{
	char before[4096], count[32];
	const char *params[1] = {before};
	int64_t until = time_monotonic_ms() + wait_ms;

	pc->error[0] = '\0';
	if (!pg_query_value(pc, before_sql, 0, NULL, before, sizeof(before)) ||
	    !pg_query_value(pc, write_sql, 0, NULL, count, sizeof(count)))
		return false;
	for (;;) {
		if (!pg_query_value(pc, answered_sql, 1, params, count,
				    sizeof(count)))
			return false;
		if (atoi(count) > 0)
			return true;
		if (time_monotonic_ms() >= until)
			return false;
		time_sleep_ms(POLL_MS);
	}
}
