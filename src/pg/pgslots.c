/*
 * pgslots.c - creating, dropping and advancing pgkeel's physical slots.
 */
#include "pg/pgslots.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"

void slot_name_for(const char *node_name, char *buf, size_t len)
{
	size_t off = (size_t)snprintf(buf, len, "%s", SLOT_PREFIX);
	for (const char *p = node_name; *p && off + 1 < len; p++) {
		char c = (char)tolower((unsigned char)*p);
		buf[off++] = isalnum((unsigned char)c) ? c : '_';
	}
	buf[off < len ? off : len - 1] = '\0';
}

bool slots_list(PgConn *pc, SlotInfo *out, size_t max, size_t *n)
{
	PGresult *res = pg_query(
		pc,
		"SELECT slot_name, coalesce(restart_lsn::text, '0/0'), active"
		" FROM pg_replication_slots WHERE slot_type = 'physical'"
		" AND slot_name LIKE 'pgkeel\\_%' ORDER BY slot_name",
		0, NULL);

	*n = 0;
	if (!res)
		return false;
	for (int i = 0; i < PQntuples(res) && *n < max; i++) {
		SlotInfo *s = &out[(*n)++];
		snprintf(s->name, sizeof(s->name), "%s", PQgetvalue(res, i, 0));
		lsn_parse(PQgetvalue(res, i, 1), &s->restart_lsn);
		s->active = strcmp(PQgetvalue(res, i, 2), "t") == 0;
	}
	PQclear(res);
	return true;
}

bool slot_create(PgConn *pc, const char *name)
{
	const char *params[] = {name};
	bool ok = pg_exec(
		pc,
		"SELECT pg_create_physical_replication_slot($1, true)"
		" WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots"
		"                   WHERE slot_name = $1)",
		1, params);
	/* a standby creating its slot on the primary may race the primary's
	 * keeper doing the same: the slot exists either way */
	if (!ok && strcmp(pc->sqlstate, "42710") == 0)
		ok = true;
	if (ok)
		log_debug("replication slot %s present", name);
	return ok;
}

bool slot_drop(PgConn *pc, const char *name)
{
	const char *params[] = {name};
	bool ok = pg_exec(pc,
			  "SELECT pg_drop_replication_slot(slot_name)"
			  " FROM pg_replication_slots WHERE slot_name = $1"
			  " AND NOT active",
			  1, params);
	if (ok)
		log_info("dropped replication slot %s", name);
	return ok;
}

bool slot_advance(PgConn *pc, const char *name, Lsn lsn)
{
	char text[LSN_TEXT_LEN];
	const char *params[] = {name, lsn_format(lsn, text, sizeof(text))};

	return pg_exec(pc,
		       "SELECT pg_replication_slot_advance(slot_name, $2)"
		       " FROM pg_replication_slots WHERE slot_name = $1"
		       " AND restart_lsn IS NOT NULL AND restart_lsn < $2"
		       " AND NOT active",
		       2, params);
}

static bool contains(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0)
			return true;
	}
	return false;
}

bool slots_sync(PgConn *pc, const char *const *wanted, size_t nwanted,
		Lsn advance_to)
{
	SlotInfo have[SLOTS_MAX];
	size_t nhave;
	bool ok = true;

	if (!slots_list(pc, have, SLOTS_MAX, &nhave))
		return false;
	for (size_t i = 0; i < nhave; i++) {
		if (!contains(wanted, nwanted, have[i].name) && !have[i].active)
			ok = slot_drop(pc, have[i].name) && ok;
	}
	for (size_t i = 0; i < nwanted; i++) {
		ok = slot_create(pc, wanted[i]) && ok;
		if (advance_to != LSN_INVALID)
			ok = slot_advance(pc, wanted[i], advance_to) && ok;
	}
	return ok;
}
