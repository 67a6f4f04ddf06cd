/*
 * pgstore_ids.c - the highest node id the postgres store ever gave (the
 * sequence behind pgkeel.node's ids), for moving its formations to
 * another store that must never give it again (docs/etcd.md).
 */
#include <stdlib.h>

#include "store/pgstore.h"

bool pgstore_last_node_id(Store *s, int64_t *id)
{
	PGresult *res = pgstore_query(
		s,
		"SELECT coalesce(pg_sequence_last_value("
		"pg_get_serial_sequence('pgkeel.node', 'id')::regclass), 0)",
		0, NULL);

	*id = 0;
	if (!res)
		return false;
	*id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}
