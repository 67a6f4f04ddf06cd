/*
 * monitor_rotate.c - new passwords, given on the monitor's host through
 * its local socket: the operator's store role (operator.pgpass), and a
 * formation's replication and health-check passwords.
 *
 * The formation's passwords are drawn by the monitor's Postgres
 * (store_rotate_secret), so no statement carries them; each keeper reads
 * them from the store, the primary's keeper sets them on its roles (as
 * SCRAM verifiers) and every keeper rewrites its replication.pgpass.
 * Open sessions and streaming stay up.
 */
#include <stdio.h>
#include <string.h>

#include "monitor/monitor.h"
#include "pg/pgpassword.h"
#include "store/pgstore_schema.h"

bool monitor_rotate_password(const Config *cfg, char *err, size_t errlen)
{
	NodePaths paths;
	PgNode node;
	PgConn pc;

	if (monitor_shared_store(cfg)) {
		snprintf(err, errlen, "this monitor shares an etcd store: the "
				      "operator's password is etcd's, changed "
				      "with `etcdctl user passwd` "
				      "(docs/etcd.md)");
		return false;
	}
	if (!pgnode_from_config(cfg, &node, err, errlen) ||
	    !nodepaths_init(&paths, node.pgdata, err, errlen))
		return false;
	if (strcmp(node.auth, "trust") == 0) {
		snprintf(err, errlen, "this monitor uses --auth trust: its "
				      "roles have no password to rotate");
		return false;
	}
	if (!pgnode_connect(&node, &pc, err, errlen))
		return false;
	bool ok = pg_rotate_password(&pc, PGSTORE_OPERATOR_ROLE,
				     paths.operator_pass, err, errlen);
	pg_disconnect(&pc);
	return ok;
}

bool monitor_rotate_secret(const Config *cfg, const char *which, char *err,
			   size_t errlen)
{
	Store *s = monitor_open_store(cfg, false, err, errlen);
	if (!s)
		return false;
	bool ok = store_rotate_secret(s, config_get(cfg, S_FORMATION), which);
	if (!ok)
		snprintf(err, errlen, "%s", s->error);
	store_close(s);
	return ok;
}
