/*
 * cmd_admin.c - administrative commands: maintenance, drop, config,
 * watch, version.
 */
#include "cli/command.h"

#include <stdio.h>

#include "common/exitcode.h"
#include "common/version.h"

#define NODE_FLAGS                                                        \
	FLAG_OF(S_PGDATA), FLAG_OF(S_MONITOR), FLAG_OF(S_FORMATION),      \
		FLAG_OF(S_NAME)

static const FlagDef maintenance_flags[] = {NODE_FLAGS};

static const Command enable_maintenance = {
	.name = "maintenance",
	.summary = "take a node out of service for operator work",
	.flags = FLAGS(maintenance_flags),
	.run = cli_not_implemented,
};

static const Command disable_maintenance = {
	.name = "maintenance",
	.summary = "bring a node back from maintenance",
	.flags = FLAGS(maintenance_flags),
	.run = cli_not_implemented,
};

static const Command *const enable_subs[] = {&enable_maintenance, NULL};
static const Command *const disable_subs[] = {&disable_maintenance, NULL};

const Command cmd_enable = {
	.name = "enable",
	.summary = "enable maintenance",
	.subs = enable_subs,
};

const Command cmd_disable = {
	.name = "disable",
	.summary = "disable maintenance",
	.subs = disable_subs,
};

static const FlagDef drop_flags[] = {
	NODE_FLAGS,
	FLAG_SWITCH("destroy", "also delete the node's data directory"),
};

static const Command drop_node = {
	.name = "node",
	.summary = "remove a node from its formation",
	.flags = FLAGS(drop_flags),
	.run = cli_not_implemented,
};

static const Command *const drop_subs[] = {&drop_node, NULL};

const Command cmd_drop = {
	.name = "drop",
	.summary = "remove a node",
	.subs = drop_subs,
};

static const FlagDef watch_flags[] = {
	FLAG_OF(S_PGDATA), FLAG_OF(S_MONITOR), FLAG_OF(S_FORMATION)};

const Command cmd_watch = {
	.name = "watch",
	.summary = "live view of the formation",
	.flags = FLAGS(watch_flags),
	.run = cli_not_implemented,
};

static int run_version(const Command *cmd, Flags *flags)
{
	(void)cmd;
	(void)flags;
	printf("pgkeel %s\n", PGKEEL_VERSION);
	return EXIT_OK;
}

const Command cmd_version = {
	.name = "version",
	.summary = "print the version",
	.run = run_version,
};
