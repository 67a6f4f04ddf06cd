/*
 * cmd_node.c - a node's own service: `pgkeel run`, `pgkeel stop`,
 * `pgkeel status`.
 */
#include "cli/command.h"

static const FlagDef run_flags[] = {
	FLAG_OF_REQUIRED(S_PGDATA),
	FLAG_OF(S_LOG_LEVEL),
	FLAG_OF(S_LOG_JSON),
	FLAG_OF(S_LOG_FILE),
	FLAG_OF(S_HTTP_LISTEN),
	FLAG_OF(S_HTTP_PORT),
};

const Command cmd_run = {
	.name = "run",
	.summary = "run the monitor or keeper of a directory in the foreground",
	.description =
		"Runs the service created in --pgdata: the monitor, or the "
		"keeper of a\ndata node. SIGTERM or SIGINT stop it cleanly, "
		"SIGHUP reloads its\nconfiguration file.",
	.flags = FLAGS(run_flags),
	.run = cli_not_implemented,
};

static const FlagDef stop_flags[] = {
	FLAG_OF_REQUIRED(S_PGDATA),
	FLAG_SWITCH("fast", "stop Postgres with the fast mode (the default)"),
	FLAG_SWITCH("immediate", "stop Postgres with the immediate mode"),
};

const Command cmd_stop = {
	.name = "stop",
	.summary = "stop a running monitor or keeper and its Postgres",
	.flags = FLAGS(stop_flags),
	.run = cli_not_implemented,
};

static const FlagDef status_flags[] = {
	FLAG_OF_REQUIRED(S_PGDATA),
	FLAG_SWITCH("json", "print JSON"),
};

const Command cmd_status = {
	.name = "status",
	.summary = "is the service of a directory running, and as what",
	.flags = FLAGS(status_flags),
	.run = cli_not_implemented,
};
