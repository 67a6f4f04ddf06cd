/*
 * nodeflags.c - a PgNode from `pgkeel do` flags and the node's file.
 */
#include "cli/nodeflags.h"

#include "cli/nodeconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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

	bool ok = nodeconf_load(flags, &cfg, false, err, errlen) &&
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
