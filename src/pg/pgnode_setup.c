/*
 * pgnode_setup.c - describing the node from its configuration.
 */
#include "pg/pgnode.h"

#include <stdio.h>
#include <string.h>

#include "common/conninfo.h"
#include "common/idents.h"
#include "common/fsutil.h"
#include "common/nodepaths.h"
#include "common/passfile.h"
#include "pg/pgsql.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")

/*
 * Where the monitor's health checks come from: hba_network when set on
 * this node (a monitor behind NAT, or several monitors), otherwise the
 * TCP hosts of the monitor's URI (the monitor connects from the address
 * it is reached at), or samehost when the URI names only a socket. None
 * on the monitor itself. A host that cannot be one is left out: it
 * would land in pg_hba.conf.
 */
static void health_hosts(const Config *cfg, PgNode *node)
{
	const char *uri = config_get(cfg, S_MONITOR);
	char found[PGNODE_MAX_HEALTH_HOSTS][256];

	node->nhealth_hosts = 0;
	if (!uri || !*uri)
		return;
	if (config_is_set(cfg, S_HBA_NETWORK)) {
		COPY(node->health_hosts[0], config_get(cfg, S_HBA_NETWORK));
		node->nhealth_hosts = 1;
		return;
	}
	size_t n = pg_conninfo_hosts(uri, found, PGNODE_MAX_HEALTH_HOSTS);
	for (size_t i = 0; i < n; i++) {
		if (host_is_valid(found[i]))
			COPY(node->health_hosts[node->nhealth_hosts++],
			     found[i]);
	}
	if (node->nhealth_hosts == 0) {
		COPY(node->health_hosts[0], "samehost");
		node->nhealth_hosts = 1;
	}
}

/* pgBackRest's configuration file, and how the node's data directory
 * may come from a backup (docs/pgbackrest.md). */
static bool backup_settings(const Config *cfg, PgNode *node, char *err,
			    size_t errlen)
{
	COPY(node->br_config, config_get(cfg, S_PGBACKREST_CONFIG));
	node->clone_from_backup =
		strcmp(config_get(cfg, S_CLONE_METHOD), "pgbackrest") == 0;
	if (strcmp(config_get(cfg, S_RESTORE_FROM), "pgbackrest") != 0)
		return true;
	if (!config_is_set(cfg, S_RESTORE_STANZA)) {
		snprintf(err, errlen, "--restore-from pgbackrest needs the "
				      "stanza: --restore-stanza NAME");
		return false;
	}
	COPY(node->restore_stanza, config_get(cfg, S_RESTORE_STANZA));
	COPY(node->restore_target, config_get(cfg, S_RESTORE_TARGET_TIME));
	return true;
}

bool pgnode_from_config(const Config *cfg, PgNode *node, char *err,
			size_t errlen)
{
	NodePaths paths;
	const char *pgdata = config_get(cfg, S_PGDATA);

	memset(node, 0, sizeof(*node));
	if (!nodepaths_init(&paths, pgdata, err, errlen) ||
	    !nodepaths_create(&paths, err, errlen) ||
	    !pgbin_resolve(config_get(cfg, S_BINDIR), &node->bin, err, errlen))
		return false;
	COPY(node->pgdata, pgdata);
	COPY(node->pglog, paths.pglog);
	snprintf(node->clone_marker, sizeof(node->clone_marker),
		 "%s/clone.inprogress", paths.home);
	node->port = (int)config_get_int(cfg, S_PGPORT);
	COPY(node->listen_addresses, config_get(cfg, S_LISTEN_ADDRESSES));
	COPY(node->socket_dir, config_get(cfg, S_SOCKET_DIR));
	COPY(node->name, config_is_set(cfg, S_NAME) ? config_get(cfg, S_NAME)
						    : "pgkeel");
	COPY(node->dbname, config_get(cfg, S_DBNAME));
	COPY(node->repl_user, config_get(cfg, S_REPL_USER));
	COPY(node->repl_passfile, paths.repl_pass);
	if (!pgnode_set_repl_password(node, config_get(cfg, S_REPL_PASSWORD),
				      err, errlen))
		return false;
	COPY(node->auth, config_get(cfg, S_AUTH));
	node->timeout_ms = PGNODE_CTL_TIMEOUT_MS;
	node->interval_ms = (int)config_get_ms(cfg, S_KEEPER_INTERVAL);
	node->restart_retries = (int)config_get_int(cfg, S_RESTART_RETRIES);
	health_hosts(cfg, node);
	sslspec_from_config(cfg, &node->ssl);
	return backup_settings(cfg, node, err, errlen);
}

bool pgnode_set_repl_password(PgNode *node, const char *password, char *err,
			      size_t errlen)
{
	if (!password)
		password = "";
	if (strcmp(node->repl_password, password) == 0 &&
	    (!*password || fs_exists(node->repl_passfile)))
		return true;
	if (strlen(password) >= sizeof(node->repl_password)) {
		snprintf(err, errlen, "the replication password is too long");
		return false;
	}
	if (*password && !passfile_write(node->repl_passfile, node->repl_user,
					 password, err, errlen))
		return false;
	snprintf(node->repl_password, sizeof(node->repl_password), "%s",
		 password);
	return true;
}
