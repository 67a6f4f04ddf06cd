/*
 * keeper_credentials.c - the node's own store credential: opening the
 * store with it, and replacing its password without downtime.
 *
 * The node's password lives in its store.pgpass (0600) only; pgkeel.ini
 * keeps a URI without it, and the connection string pgkeel builds names
 * the passfile, so neither the password nor the file's content ever
 * reaches a command line or a log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/passfile.h"
#include "keeper/keeper.h"
#include "pg/pgpassword.h"
#include "store/store_identity.h"

/* The monitor URI with the node's passfile, or as given when it carries
 * a credential itself (an operator's); malloc'd, NULL with err. */
static char *store_conninfo(const Config *cfg, bool *own, char *err,
			    size_t errlen)
{
	NodePaths paths;
	const char *uri = config_get(cfg, S_MONITOR);

	*own = false;
	if (!uri) {
		snprintf(err, errlen, "no monitor URI (pgkeel.monitor)");
		return NULL;
	}
	if (store_uri_has_credential(uri) ||
	    !nodepaths_init(&paths, config_get(cfg, S_PGDATA), err, errlen) ||
	    !fs_exists(paths.store_pass))
		return strdup(uri);
	if (!passfile_is_private(paths.store_pass, err, errlen))
		return NULL;
	*own = true;
	return store_uri_with_passfile(uri, paths.store_pass, err, errlen);
}

Store *keeper_store_open(const Config *cfg, char *err, size_t errlen)
{
	bool own;
	SslSpec ssl; /* this node's TLS toward the store */
	char *ci = store_conninfo(cfg, &own, err, errlen);

	sslspec_from_config(cfg, &ssl);
	Store *s = ci ? store_open(ci, &ssl,
				   (int)config_get_ms(cfg, S_STORE_TIMEOUT),
				   err, errlen)
		      : NULL;
	free(ci);
	return s;
}

bool keeper_rotate_password(const Config *cfg, char *err, size_t errlen)
{
	NodePaths paths;
	PgConn pc;
	bool own, ok = false;
	char *ci = store_conninfo(cfg, &own, err, errlen);

	if (!ci || !nodepaths_init(&paths, config_get(cfg, S_PGDATA), err,
				   errlen)) {
		free(ci);
		return false;
	}
	if (!own)
		snprintf(err, errlen, "%s is missing: this node has no store "
				      "credential of its own",
			 paths.store_pass);
	else if (strncmp(ci, "etcd://", 7) == 0)
		snprintf(err, errlen, "this node's store is etcd: its user's "
				      "password is changed in etcd (`etcdctl "
				      "user passwd`, docs/etcd.md), then "
				      "written to %s",
			 paths.store_pass);
	else if (!pg_connect(&pc, ci,
			     (int)config_get_ms(cfg, S_STORE_TIMEOUT)))
		snprintf(err, errlen, "%s", pc.error);
	else {
		ok = pg_rotate_password(&pc, NULL, paths.store_pass, err,
					 errlen);
		pg_disconnect(&pc);
	}
	free(ci);
	return ok;
}
