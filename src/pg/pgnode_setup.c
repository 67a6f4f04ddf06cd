/*
 * pgnode_setup.c - describing the node from its configuration.
 */
#include "pg/pgnode.h"

#include <stdio.h>
#include <string.h>

#include "common/nodepaths.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")

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
	COPY(node->repl_password, config_get(cfg, S_REPL_PASSWORD));
	COPY(node->auth, config_get(cfg, S_AUTH));
	node->timeout_ms = 60000;
	node->interval_ms = (int)config_get_ms(cfg, S_KEEPER_INTERVAL);
	node->restart_retries = (int)config_get_int(cfg, S_RESTART_RETRIES);
	sslspec_from_config(cfg, &node->ssl);
	return true;
}
