/*
 * cmd_rotate.c - `pgkeel rotate password`: a new password for the store
 * role of a directory (the operator's on the monitor, the node's own on
 * a data node), with no downtime: open sessions stay up, new ones use the
 * new password from the passfile.
 */
#include "cli/command.h"

#include <stdio.h>
#include <string.h>

#include "cli/nodeconf.h"
#include "common/exitcode.h"
#include "keeper/keeper.h"
#include "monitor/monitor.h"

static int run_rotate_password(const Command *cmd, Flags *flags)
{
	Config cfg;
	char err[1024];
	(void)cmd;

	if (!nodeconf_load(flags, &cfg, true, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_BAD_CONFIG;
	}
	bool monitor = strcmp(config_get(&cfg, S_ROLE), "monitor") == 0;
	bool ok = monitor ? monitor_rotate_password(&cfg, err, sizeof(err))
			  : keeper_rotate_password(&cfg, err, sizeof(err));
	config_free(&cfg);
	if (!ok) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_FAILED;
	}
	printf("%s password changed\n",
	       monitor ? "the operator's" : "this node's store");
	return EXIT_OK;
}

static const FlagDef password_flags[] = {FLAG_OF_REQUIRED(S_PGDATA)};

static const Command rotate_password = {
	.name = "password",
	.summary = "give this directory's store role a new password",
	.description =
		"With the monitor's --pgdata: a new password for the operator's "
		"role,\nwritten to its operator.pgpass. With a data node's: a new "
		"password for\nthat node's own role, written to its store.pgpass. "
		"Open sessions stay up.",
	.flags = FLAGS(password_flags),
	.run = run_rotate_password,
};

static const Command *const rotate_subs[] = {&rotate_password, NULL};

const Command cmd_rotate = {
	.name = "rotate",
	.summary = "replace credentials",
	.subs = rotate_subs,
};
