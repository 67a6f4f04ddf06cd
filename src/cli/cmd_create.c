/*
 * cmd_create.c - `pgkeel create monitor` and `pgkeel create postgres`.
 */
#include "cli/command.h"

static const FlagDef monitor_flags[] = {
	FLAG_OF_REQUIRED(S_PGDATA),
	FLAG_OF(S_PGPORT),
	FLAG_OF(S_HOSTNAME),
	FLAG_OF(S_BINDIR),
	FLAG_VALUE("pgctl", "PATH",
		   "path of pg_ctl (its directory becomes --pg-bindir)",
		   VAL_ABSPATH, 0, 0, NULL),
	FLAG_OF(S_AUTH),
	FLAG_OF(S_LISTEN_ADDRESSES),
	FLAG_OF(S_HBA_NETWORK),
	FLAG_OF(S_MONITOR_INTERVAL),
	FLAG_OF(S_NODE_DOWN_TIMEOUT),
	FLAG_OF(S_HTTP_LISTEN),
	FLAG_OF(S_HTTP_PORT),
	FLAG_OF(S_LOG_LEVEL),
	FLAG_SWITCH("run", "run the monitor in the foreground once created"),
};

static const Command create_monitor = {
	.name = "monitor",
	.summary = "create the monitor and its state store",
	.description =
		"Creates the monitor: its own Postgres instance holding the "
		"state store.\nRun it with `pgkeel run --pgdata DIR` (or pass "
		"--run).",
	.flags = FLAGS(monitor_flags),
	.run = cli_not_implemented,
};

static const FlagDef postgres_flags[] = {
	FLAG_OF_REQUIRED(S_PGDATA),
	FLAG_OF(S_PGPORT),
	FLAG_OF(S_HOSTNAME),
	FLAG_OF_REQUIRED(S_MONITOR),
	FLAG_OF(S_NAME),
	FLAG_OF(S_FORMATION),
	FLAG_OF(S_CANDIDATE_PRIORITY),
	FLAG_OF(S_REPLICATION_QUORUM),
	FLAG_OF(S_BINDIR),
	FLAG_VALUE("pgctl", "PATH",
		   "path of pg_ctl (its directory becomes --pg-bindir)",
		   VAL_ABSPATH, 0, 0, NULL),
	FLAG_OF(S_AUTH),
	FLAG_OF(S_LISTEN_ADDRESSES),
	FLAG_OF(S_HBA_NETWORK),
	FLAG_OF(S_DBNAME),
	FLAG_OF(S_REPL_USER),
	FLAG_OF(S_REPL_PASSWORD),
	FLAG_OF(S_KEEPER_INTERVAL),
	FLAG_OF(S_STORE_TIMEOUT),
	FLAG_OF(S_FENCE_TIMEOUT),
	FLAG_OF(S_RESTART_RETRIES),
	FLAG_OF(S_HTTP_LISTEN),
	FLAG_OF(S_HTTP_PORT),
	FLAG_OF(S_HOOK_STATE_CHANGE),
	FLAG_OF(S_HOOK_TIMEOUT),
	FLAG_OF(S_LOG_LEVEL),
	FLAG_SWITCH("run", "run the keeper in the foreground once created"),
};

static const Command create_postgres = {
	.name = "postgres",
	.summary = "create a data node and register it with the monitor",
	.description =
		"Registers a data node with the monitor. The first node of a "
		"formation\nis initialised as the primary; the next ones are "
		"cloned from it and\nbecome standbys. An existing data directory "
		"is adopted, not re-created.",
	.flags = FLAGS(postgres_flags),
	.run = cli_not_implemented,
};

static const Command *const create_subs[] = {&create_monitor,
					     &create_postgres, NULL};

const Command cmd_create = {
	.name = "create",
	.summary = "create a monitor or a data node",
	.subs = create_subs,
};
