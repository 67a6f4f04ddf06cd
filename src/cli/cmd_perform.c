/*
 * cmd_perform.c - `pgkeel perform switchover|failover|promotion|restart`.
 */
#include "cli/command.h"

#define TARGET_FLAGS                                                      \
	FLAG_OF(S_PGDATA), FLAG_OF(S_MONITOR), FLAG_OF(S_FORMATION),      \
		FLAG_SWITCH("no-wait", "return once the operation started")

static const FlagDef switchover_flags[] = {
	TARGET_FLAGS,
	FLAG_VALUE("candidate", "NAME",
		   "the standby to promote (default: the best one)", VAL_NAME,
		   0, 0, NULL),
};

static const Command perform_switchover = {
	.name = "switchover",
	.summary = "planned role swap with the least write downtime",
	.flags = FLAGS(switchover_flags),
	.run = cli_not_implemented,
};

static const FlagDef failover_flags[] = {
	TARGET_FLAGS,
	FLAG_SWITCH("force", "promote even when data would be lost"),
};

static const Command perform_failover = {
	.name = "failover",
	.summary = "forced failover, for tests and unresponsive primaries",
	.flags = FLAGS(failover_flags),
	.run = cli_not_implemented,
};

static const FlagDef promotion_flags[] = {
	TARGET_FLAGS,
	FLAG_OF(S_NAME),
};

static const Command perform_promotion = {
	.name = "promotion",
	.summary = "make the named node the primary",
	.flags = FLAGS(promotion_flags),
	.run = cli_not_implemented,
};

static const FlagDef restart_flags[] = {
	TARGET_FLAGS,
	FLAG_SWITCH("rolling", "standbys first, then a switchover"),
};

static const Command perform_restart = {
	.name = "restart",
	.summary = "restart nodes to apply pending parameters",
	.flags = FLAGS(restart_flags),
	.run = cli_not_implemented,
};

static const Command *const perform_subs[] = {
	&perform_switchover, &perform_failover, &perform_promotion,
	&perform_restart, NULL};

const Command cmd_perform = {
	.name = "perform",
	.summary = "switchover, failover, promotion, rolling restart",
	.subs = perform_subs,
};
