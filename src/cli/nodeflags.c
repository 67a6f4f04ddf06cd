/*
 * nodeflags.c - a PgNode from `pgkeel do` flags and the node's file.
 */
#include "cli/nodeflags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/nodepaths.h"

static bool load_config(const Flags *flags, Config *cfg, char *err,
			size_t errlen)
{
	NodePaths paths;
	LogLevel level;

	config_init(cfg);
	if (!flags_apply_to_config(flags, cfg))
		return snprintf(err, errlen, "bad flags"), false;
	if (!nodepaths_init(&paths, config_get(cfg, S_PGDATA), err, errlen))
		return false;
	if (fs_exists(paths.config) &&
	    !config_load(cfg, paths.config, err, errlen))
		return false;
	if (log_level_parse(config_get(cfg, S_LOG_LEVEL), &level))
		log_set_level(level);
	return true;
}

static void add_hosts(PgNode *node, const char *list)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save = NULL, *h = strtok_r(buf, ",", &save);
	     h && node->nhosts < PGNODE_MAX_HOSTS; h = strtok_r(NULL, ",", &save))
		snprintf(node->hosts[node->nhosts++], sizeof(node->hosts[0]),
			 "%s", h);
}

bool nodeflags_to_pgnode(const Flags *flags, PgNode *node, char *err,
			 size_t errlen)
{
	Config cfg;
	const char *v;

	bool ok = load_config(flags, &cfg, err, errlen) &&
		  pgnode_from_config(&cfg, node, err, errlen);
	config_free(&cfg);
	if (!ok)
		return false;
	if ((v = flags_get(flags, "upstream-host")) != NULL) {
		node->has_upstream = true;
		snprintf(node->up_host, sizeof(node->up_host), "%s", v);
		node->up_port = flags_get_int(flags, "upstream-port", 5432);
	}
	if ((v = flags_get(flags, "upstream-slot")) != NULL)
		snprintf(node->up_slot, sizeof(node->up_slot), "%s", v);
	if ((v = flags_get(flags, "sync-names")) != NULL)
		snprintf(node->sync_names, sizeof(node->sync_names), "%s", v);
	if ((v = flags_get(flags, "allow-hosts")) != NULL)
		add_hosts(node, v);
	return true;
}
