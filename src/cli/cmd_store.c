/*
 * cmd_store.c - `pgkeel store`: moving a running formation from the
 * monitor's own Postgres to an etcd store (storemove.h, docs/etcd.md):
 * `migrate` on the monitor, then `switch` on every data node.
 */
#include "cli/command.h"

#include <stdio.h>
#include <string.h>

#include "cli/nodeconf.h"
#include "cli/storemove.h"
#include "common/exitcode.h"
#include "monitor/monitor.h"

/* The node's configuration, of the role wanted; false after saying why
 * (the exit code in *rc). */
static bool load(Flags *flags, Config *cfg, const char *role, int *rc)
{
	char err[1024];
	const char *to = flags_get(flags, "to");

	*rc = EXIT_BAD_CONFIG;
	if (!nodeconf_load(flags, cfg, true, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return false;
	}
	*rc = EXIT_USAGE;
	if (strncmp(to, "etcd://", 7) != 0)
		fprintf(stderr, "%s: --to names an etcd store (etcd://HOST:PORT"
				"[,HOST:PORT...][/PREFIX]): formations move "
				"from the postgres store to etcd\n",
			cli_command_path());
	else if (strcmp(config_get(cfg, S_ROLE), role) != 0)
		fprintf(stderr, "%s: %s is not a %s's directory\n",
			cli_command_path(), config_get(cfg, S_PGDATA),
			strcmp(role, "monitor") == 0 ? "monitor" : "data node");
	else if (strcmp(role, "monitor") == 0 && monitor_shared_store(cfg))
		fprintf(stderr, "%s: this monitor keeps no store of its own: "
				"its formations are in %s already\n",
			cli_command_path(), monitor_shared_store(cfg));
	else
		return true;
	config_free(cfg);
	return false;
}

static int run_migrate(const Command *cmd, Flags *flags)
{
	Config cfg;
	int rc;
	(void)cmd;

	if (!load(flags, &cfg, "monitor", &rc))
		return rc;
	rc = storemove_migrate(&cfg, flags_get(flags, "to"));
	config_free(&cfg);
	return rc;
}

static int run_switch(const Command *cmd, Flags *flags)
{
	Config cfg;
	int rc;
	(void)cmd;

	if (!load(flags, &cfg, "keeper", &rc))
		return rc;
	rc = storemove_switch(&cfg, flags_get(flags, "to"),
			      flags_get_int(flags, "timeout", 30) * 1000);
	config_free(&cfg);
	return rc;
}

#define TO_FLAG(help)                                                     \
	{"to", "URI", {VAL_STRING, 0, 0, NULL}, (help), FLAG_NO_SETTING, true}

static const FlagDef migrate_flags[] = {
	FLAG_OF_REQUIRED(S_PGDATA),
	TO_FLAG("the etcd store, the operator's URI: a prefix that holds no "
		"formation"),
};

static const FlagDef switch_flags[] = {
	FLAG_OF_REQUIRED(S_PGDATA),
	TO_FLAG("the etcd store the formation was migrated to (the "
		"operator's URI; the node keeps its own)"),
	FLAG_VALUE("timeout", "SECONDS",
		   "how long to wait for the keeper's first report there "
		   "(default 30)",
		   VAL_INT, 1, 3600, NULL),
};

static const Command store_migrate = {
	.name = "migrate",
	.summary = "copy the monitor's formations into an etcd store",
	.description =
		"With the monitor's --pgdata (its own Postgres holds the "
		"store): pauses\nevery formation, waits until the monitor's "
		"decisions stopped, and copies\nthe formations (settings, "
		"parameters, slots, passwords, nodes with their\nids, goals "
		"and upstreams) into the etcd store --to, which must hold no\n"
		"formation. Nothing is restarted. Then run `pgkeel store "
		"switch` on every\nnode (docs/etcd.md, \"Moving from the "
		"postgres store\").",
	.flags = FLAGS(migrate_flags),
	.run = run_migrate,
};

static const Command store_switch = {
	.name = "switch",
	.summary = "move a data node to the etcd store its formation was "
		   "copied to",
	.description =
		"With a data node's --pgdata: once the etcd store --to holds "
		"this node,\nwrites its own URI of that store as "
		"pgkeel.monitor (with etcd's\nauthentication, makes its own "
		"user, its password in store.pgpass) and\ntells its running "
		"keeper (SIGHUP), which reports there from its next\ncycle; "
		"Postgres keeps running. Waits for the keeper's first report in "
		"the\nnew store.",
	.flags = FLAGS(switch_flags),
	.run = run_switch,
};

static const Command *const store_subs[] = {&store_migrate, &store_switch,
					    NULL};

const Command cmd_store = {
	.name = "store",
	.summary = "move formations to another state store",
	.subs = store_subs,
};
