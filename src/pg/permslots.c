/*
 * permslots.c - positions of permanent slots, local or upstream
 * (permslots.h).
 */
#include "pg/permslots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg/pgclone.h"

/* names as a text[] literal; they hold only [a-z0-9_], no quoting. */
static char *array_literal(const char *const *names, size_t n)
{
	size_t len = 3;
	for (size_t i = 0; i < n; i++)
		len += strlen(names[i]) + 1;
	char *buf = malloc(len);
	if (!buf)
		return NULL;
	size_t off = (size_t)snprintf(buf, len, "{");
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? "," : "", names[i]);
	snprintf(buf + off, len - off, "}");
	return buf;
}

static void store_row(PGresult *res, int row, const char *const *names,
		      size_t n, PermSlotPos *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], PQgetvalue(res, row, 0)) != 0)
			continue;
		out[i].exists = true;
		if (!PQgetisnull(res, row, 1))
			lsn_parse(PQgetvalue(res, row, 1), &out[i].restart_lsn);
	}
}

bool permslots_read(PgConn *pc, const char *const *names, size_t n,
		    PermSlotPos *out)
{
	char *arr = array_literal(names, n);
	const char *params[] = {arr};

	memset(out, 0, n * sizeof(*out));
	if (!arr) {
		snprintf(pc->error, sizeof(pc->error), "out of memory");
		return false;
	}
	PGresult *res = pg_query(
		pc,
		"SELECT slot_name, restart_lsn FROM pg_replication_slots"
		" WHERE slot_type = 'physical' AND slot_name = ANY($1::text[])",
		1, params);
	free(arr);
	if (!res)
		return false;
	for (int r = 0; r < PQntuples(res); r++)
		store_row(res, r, names, n, out);
	PQclear(res);
	return true;
}

bool permslots_read_upstream(const PgNode *node, const char *const *names,
			     size_t n, PermSlotPos *out, char *err,
			     size_t errlen)
{
	Upstream up = pgnode_upstream(node);
	char *ci = node->has_upstream ? upstream_conninfo(&up, "pgkeel") : NULL;
	PgConn pc;

	memset(out, 0, n * sizeof(*out));
	if (!node->has_upstream) {
		snprintf(err, errlen, "this node follows no upstream");
		free(ci);
		return false;
	}
	if (!ci) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	bool ok = pg_connect(&pc, ci, 2000);
	free(ci);
	if (!ok) {
		snprintf(err, errlen, "cannot connect to the upstream %s:%d: %s",
			 node->up_host, node->up_port, pc.error);
		return false;
	}
	ok = permslots_read(&pc, names, n, out);
	if (!ok)
		snprintf(err, errlen, "cannot read slots on %s:%d: %s",
			 node->up_host, node->up_port, pc.error);
	pg_disconnect(&pc);
	return ok;
}
