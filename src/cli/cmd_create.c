/*
 * cmd_create.c - `pgkeel create monitor` and `pgkeel create postgres`.
 */
#include "cli/command.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/createssl.h"
#include "cli/nodeconf.h"
#include "common/exitcode.h"
#include "common/log.h"
#include "common/sslconn.h"
#include "keeper/keeper.h"
#include "monitor/monitor.h"

/* --pgctl names a file; its directory is the bin directory. */
static bool apply_pgctl(const Flags *flags, Config *cfg)
{
	char buf[1024], err[256];
	const char *pgctl = flags_get(flags, "pgctl");

	if (!pgctl)
		return true;
	snprintf(buf, sizeof(buf), "%s", pgctl);
	return config_set(cfg, S_BINDIR, dirname(buf), err, sizeof(err));
}

static bool load(const Flags *flags, Config *cfg)
{
	char err[1024];

	if (!nodeconf_load(flags, cfg, false, err, sizeof(err)) ||
	    !apply_pgctl(flags, cfg) ||
	    !createssl_apply(flags, cfg, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return false;
	}
	return true;
}

static int run_create_monitor(const Command *cmd, Flags *flags)
{
	Config cfg;
	char err[2048];
	(void)cmd;

	if (!nodeconf_refuse_root(cli_command_path()) || !load(flags, &cfg))
		return EXIT_USAGE;
	if (!config_timeouts_ordered(&cfg, err, sizeof(err))) {
		fprintf(stderr, "create monitor: %s\n", err);
		return EXIT_USAGE;
	}
	if (!monitor_create(&cfg, err, sizeof(err))) {
		fprintf(stderr, "create monitor failed: %s\n", err);
		return EXIT_FAILED;
	}
	config_free(&cfg);
	if (!nodeconf_load(flags, &cfg, true, err, sizeof(err))) {
		fprintf(stderr, "create monitor: %s\n", err);
		return EXIT_FAILED;
	}
	log_info("monitor created; give keepers its URI: `pgkeel show uri "
		 "--monitor --pgdata %s`",
		 config_get(&cfg, S_PGDATA));
	return flags_has(flags, "run") ? cli_run_service(&cfg, false) : EXIT_OK;
}

static int run_create_postgres(const Command *cmd, Flags *flags)
{
	Config cfg;
	char err[2048];
	(void)cmd;

	if (!nodeconf_refuse_root(cli_command_path()) || !load(flags, &cfg))
		return EXIT_USAGE;
	if (!keeper_register(&cfg, err, sizeof(err))) {
		fprintf(stderr, "create postgres failed: %s\n", err);
		return EXIT_STORE;
	}
	config_free(&cfg);
	/* the saved file, not the flags: the node's own monitor URI replaced
	 * the operator's that registered it */
	if (!nodeconf_load_saved(flags, &cfg, err, sizeof(err))) {
		fprintf(stderr, "create postgres: %s\n", err);
		return EXIT_FAILED;
	}
	log_info("waiting for the monitor to assign a state (is `pgkeel run` "
		 "running for the monitor?)");
	return cli_run_service(&cfg, !flags_has(flags, "run"));
}

/* The [http] settings, the same on both create commands. */
#define HTTP_FLAGS                                                        \
	FLAG_OF(S_HTTP_LISTEN), FLAG_OF(S_HTTP_PORT), FLAG_OF(S_HTTP_TLS),  \
		FLAG_OF(S_HTTP_MAX_PER_CLIENT), FLAG_OF(S_HTTP_TIMEOUT),    \
		FLAG_OF(S_HTTP_AUTH_FILE)

static const FlagDef monitor_flags[] = {
	FLAG_OF_REQUIRED(S_PGDATA),
	FLAG_OF(S_STORE),
	FLAG_OF(S_PGPORT),
	FLAG_OF(S_HOSTNAME),
	FLAG_OF(S_BINDIR),
	FLAG_VALUE("pgctl", "PATH",
		   "path of pg_ctl (its directory becomes --pg-bindir)",
		   VAL_ABSPATH, 0, 0, NULL),
	FLAG_OF(S_AUTH),
	FLAG_OF(S_LISTEN_ADDRESSES),
	FLAG_OF(S_SOCKET_DIR),
	FLAG_OF(S_HBA_NETWORK),
	CREATESSL_FLAGS,
	FLAG_OF(S_MONITOR_INTERVAL),
	FLAG_OF(S_SYNC_TIMEOUT),
	FLAG_OF(S_NODE_DOWN_TIMEOUT),
	FLAG_OF(S_RESTART_ALLOWANCE),
	HTTP_FLAGS,
	FLAG_OF(S_LOG_LEVEL),
	FLAG_SWITCH("run", "run the monitor in the foreground once created"),
};

static const Command create_monitor = {
	.name = "monitor",
	.summary = "create the monitor and its state store",
	.description =
		"Creates the monitor: its own Postgres instance holding the "
		"state store, or with --store etcd://..., a monitor of a store "
		"it shares with other monitors (one active, the others "
		"standing by), which keeps no Postgres.\nRun it with `pgkeel "
		"run --pgdata DIR` (or pass --run).",
	.flags = FLAGS(monitor_flags),
	.run = run_create_monitor,
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
	FLAG_OF(S_REPLICATE_FROM),
	FLAG_OF(S_STANDBY_OF),
	FLAG_OF(S_BINDIR),
	FLAG_VALUE("pgctl", "PATH",
		   "path of pg_ctl (its directory becomes --pg-bindir)",
		   VAL_ABSPATH, 0, 0, NULL),
	FLAG_OF(S_AUTH),
	FLAG_OF(S_LISTEN_ADDRESSES),
	FLAG_OF(S_SOCKET_DIR),
	FLAG_OF(S_HBA_NETWORK),
	FLAG_OF(S_DBNAME),
	FLAG_OF(S_REPL_USER),
	FLAG_OF(S_REPL_PASSWORD),
	FLAG_OF(S_PGBACKREST_CONFIG),
	FLAG_OF(S_CLONE_METHOD),
	FLAG_OF(S_RESTORE_FROM),
	FLAG_OF(S_RESTORE_STANZA),
	FLAG_OF(S_RESTORE_TARGET_TIME),
	CREATESSL_FLAGS,
	FLAG_OF(S_KEEPER_INTERVAL),
	FLAG_OF(S_STORE_TIMEOUT),
	FLAG_OF(S_FENCE_TIMEOUT),
	FLAG_OF(S_NODE_DOWN_TIMEOUT),
	FLAG_OF(S_RESTART_RETRIES),
	HTTP_FLAGS,
	FLAG_OF(S_HOOK_STATE_CHANGE),
	FLAG_OF(S_HOOK_TIMEOUT),
	FLAG_OF(S_HOOK_PRE_PROMOTE),
	FLAG_OF(S_HOOK_PRE_PROMOTE_TIMEOUT),
	FLAG_OF(S_HOOK_ON_ROLE_CHANGE),
	FLAG_OF(S_HOOK_ON_FAILOVER),
	FLAG_OF(S_HOOK_ON_SWITCHOVER),
	FLAG_OF(S_PGB_ADMIN_URI),
	FLAG_OF(S_PGB_DATABASES_FILE),
	FLAG_OF(S_PGB_DATABASE),
	FLAG_OF(S_PGB_PAUSE_TIMEOUT),
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
	.run = run_create_postgres,
};

static const Command *const create_subs[] = {&create_monitor,
					     &create_postgres, NULL};

const Command cmd_create = {
	.name = "create",
	.summary = "create a monitor or a data node",
	.subs = create_subs,
};
