/*
 * cmd_show.c - `pgkeel show state|events|uri|settings|haproxy-config`.
 */
#include "cli/command.h"

#define WHERE_FLAGS                                                       \
	FLAG_OF(S_PGDATA), FLAG_OF(S_MONITOR), FLAG_OF(S_FORMATION),      \
		FLAG_SWITCH("json", "print JSON")

static const FlagDef state_flags[] = {WHERE_FLAGS};

static const Command show_state = {
	.name = "state",
	.summary = "nodes, their states and the formation's health",
	.flags = FLAGS(state_flags),
	.run = cli_not_implemented,
};

static const FlagDef events_flags[] = {
	WHERE_FLAGS,
	FLAG_VALUE("count", "N", "how many of the latest events (default 20)",
		   VAL_INT, 1, 100000, NULL),
};

static const Command show_events = {
	.name = "events",
	.summary = "what happened, newest last",
	.flags = FLAGS(events_flags),
	.run = cli_not_implemented,
};

static const FlagDef uri_flags[] = {
	FLAG_OF(S_PGDATA),
	FLAG_OF(S_FORMATION),
	FLAG_SWITCH("json", "print JSON"),
	FLAG_SWITCH("monitor", "print the monitor's URI (for create postgres)"),
};

static const Command show_uri = {
	.name = "uri",
	.summary = "connection URIs: the formation's, or the monitor's",
	.flags = FLAGS(uri_flags),
	.run = cli_not_implemented,
};

static const FlagDef settings_flags[] = {WHERE_FLAGS};

static const Command show_settings = {
	.name = "settings",
	.summary = "run-time settings of the formation and its nodes",
	.flags = FLAGS(settings_flags),
	.run = cli_not_implemented,
};

static const FlagDef haproxy_flags[] = {WHERE_FLAGS};

static const Command show_haproxy = {
	.name = "haproxy-config",
	.summary = "an HAProxy configuration routing to the primary/replicas",
	.flags = FLAGS(haproxy_flags),
	.run = cli_not_implemented,
};

static const Command *const show_subs[] = {
	&show_state, &show_events, &show_uri, &show_settings, &show_haproxy,
	NULL};

const Command cmd_show = {
	.name = "show",
	.summary = "show the formation's state, events, URIs and settings",
	.subs = show_subs,
};
