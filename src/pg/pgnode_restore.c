/*
 * pgnode_restore.c - the end of a primary's restore from a backup: once
 * recovery reached its target and promoted the server, the recovery
 * settings pgBackRest wrote into postgresql.auto.conf are removed, so
 * that they never apply again (to this node later rejoining as a standby,
 * say). Run again after a crash, it finds nothing left to do.
 */
#include "pg/pgnode.h"

#include <stdio.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "pg/pgbackrest.h"

/* 1: recovery is over, 0: not yet (or not reachable yet), -1: error */
static int promoted(const PgNode *node, char *err, size_t errlen)
{
	PgConn pc;
	char v[8];

	if (!pgnode_connect(node, &pc, err, errlen))
		return 0; /* still starting up, before a consistent state */
	bool ok = pg_query_value(&pc, "SELECT pg_is_in_recovery()", 0, NULL, v,
				 sizeof(v));
	for (size_t i = 0; ok && v[0] == 'f' && pgbackrest_recovery_settings[i];
	     i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "ALTER SYSTEM RESET %s",
			 pgbackrest_recovery_settings[i]);
		ok = pg_exec(&pc, sql, 0, NULL);
	}
	ok = ok && (v[0] != 'f' ||
		    pg_exec(&pc, "SELECT pg_reload_conf()", 0, NULL));
	if (!ok)
		snprintf(err, errlen, "after the restore: %s", pc.error);
	pg_disconnect(&pc);
	return !ok ? -1 : v[0] == 'f';
}

bool pgnode_finish_restore(const PgNode *node, char *err, size_t errlen)
{
	int64_t deadline = time_monotonic_ms() + node->timeout_ms;
	int64_t next_log = 0;

	for (;;) {
		int r = promoted(node, err, errlen);
		if (r != 0)
			return r > 0;
		if (time_monotonic_ms() > deadline)
			break;
		if (time_monotonic_ms() >= next_log) {
			log_info("waiting for recovery from the archive to "
				 "reach its target and promote");
			next_log = time_monotonic_ms() + 10000;
		}
		time_sleep_ms(200);
	}
	snprintf(err, errlen, "recovery from the archive has not promoted "
			      "the server yet (its log says how far it is)");
	return false;
}
