/*
 * cmd_rotate.c - `pgkeel rotate`: new passwords with no downtime (open
 * sessions stay up). `password`: the store role of a directory (the
 * operator's on the monitor, the node's own on a data node), in its
 * passfile. `replication-password` and `health-password`: the
 * formation's, on the monitor, applied by the keepers.
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

/* `rotate replication-password` and `rotate health-password`: run on the
 * monitor's host, with its directory. */
static int run_rotate_secret(const char *which, Flags *flags)
{
	Config cfg;
	char err[1024];

	if (!nodeconf_load(flags, &cfg, true, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_BAD_CONFIG;
	}
	if (strcmp(config_get(&cfg, S_ROLE), "monitor") != 0) {
		fprintf(stderr,
			"%s: %s is a data node's directory: give the "
			"monitor's --pgdata, on the monitor's host\n",
			cli_command_path(), config_get(&cfg, S_PGDATA));
		config_free(&cfg);
		return EXIT_USAGE;
	}
	bool ok = monitor_rotate_secret(&cfg, which, err, sizeof(err));
	if (ok)
		printf("formation %s has a new %s password; its keepers apply "
		       "it on their next cycle\n",
		       config_get(&cfg, S_FORMATION), which);
	else
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
	config_free(&cfg);
	return ok ? EXIT_OK : EXIT_FAILED;
}

static int run_rotate_replication(const Command *cmd, Flags *flags)
{
	(void)cmd;
	return run_rotate_secret("replication", flags);
}

static int run_rotate_health(const Command *cmd, Flags *flags)
{
	(void)cmd;
	return run_rotate_secret("health", flags);
}

static const FlagDef secret_flags[] = {FLAG_OF_REQUIRED(S_PGDATA),
				       FLAG_OF(S_FORMATION)};

static const Command rotate_replication = {
	.name = "replication-password",
	.summary = "give the formation's replication role a new password",
	.description =
		"With the monitor's --pgdata: a new random password for the "
		"role the\nnodes replicate and rewind with. The primary's keeper "
		"sets it on the\nrole, every keeper writes it to its "
		"replication.pgpass; streaming\nstays up.",
	.flags = FLAGS(secret_flags),
	.run = run_rotate_replication,
};

static const Command rotate_health = {
	.name = "health-password",
	.summary = "give the health-check role a new password",
	.description =
		"With the monitor's --pgdata: a new random password for the "
		"role the\nmonitor's health checks log in as. The primary's "
		"keeper sets it on the\nrole; open health-check sessions stay "
		"up.",
	.flags = FLAGS(secret_flags),
	.run = run_rotate_health,
};

static const Command *const rotate_subs[] = {
	&rotate_password, &rotate_replication, &rotate_health, NULL};

const Command cmd_rotate = {
	.name = "rotate",
	.summary = "replace credentials",
	.subs = rotate_subs,
};
