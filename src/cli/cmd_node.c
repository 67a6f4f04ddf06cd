/*
 * cmd_node.c - a node's own service: `pgkeel run`, `pgkeel stop`,
 * `pgkeel status`.
 */
#include "cli/command.h"

#include <jansson.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/nodeconf.h"
#include "common/exitcode.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "common/passfile.h"
#include "common/pidfile.h"
#include "common/signals.h"
#include "common/svcenv.h"
#include "common/timeutil.h"
#include "keeper/keeper.h"
#include "monitor/monitor.h"

static int run_monitor(const Config *cfg)
{
	char err[1024];
	Monitor *m = calloc(1, sizeof(Monitor));

	if (!m || !monitor_init(m, cfg, err, sizeof(err))) {
		fprintf(stderr, "run: %s\n", m ? err : "out of memory");
		free(m);
		return EXIT_BAD_CONFIG;
	}
	int rc = monitor_run(m);
	monitor_free(m);
	free(m);
	return rc;
}

/* The Keeper is on the heap, zeroed: on the stack its 400 kB would stay
 * resident for the life of the process (docs/benchmarks.md). */
static int run_keeper(const Config *cfg, bool until_stable)
{
	char err[1024] = "";
	Keeper *k = calloc(1, sizeof(Keeper));

	if (!k || !keeper_init(k, cfg, err, sizeof(err))) {
		fprintf(stderr, "run: %s\n", k ? err : "out of memory");
		if (k)
			keeper_free(k);
		free(k);
		return EXIT_BAD_CONFIG;
	}
	int rc = keeper_run(k, until_stable, 0);
	if (until_stable && rc == EXIT_OK)
		log_info("node %s is %s; run its keeper with `pgkeel run "
			 "--pgdata %s`",
			 k->st.name, state_name(k->st.current), k->node.pgdata);
	StopRequest how = signals_stop_requested();
	if (how != SIGNAL_STOP_NONE) {
		log_info("stopping Postgres");
		pgnode_stop(&k->node,
			    how == SIGNAL_STOP_IMMEDIATE ? STOP_IMMEDIATE
							 : STOP_FAST,
			    err, sizeof(err));
	}
	keeper_free(k);
	free(k);
	return rc;
}

int cli_run_service(const Config *cfg, bool until_stable)
{
	NodePaths paths;
	char err[1024];

	if (!nodepaths_init(&paths, config_get(cfg, S_PGDATA), err,
			    sizeof(err)) ||
	    !nodeconf_secrets_private(cfg, &paths, err, sizeof(err))) {
		fprintf(stderr, "run: %s\n", err);
		return EXIT_BAD_CONFIG;
	}
	if (config_get_bool(cfg, S_LOG_JSON))
		log_set_json(true);
	if (*config_get(cfg, S_LOG_FILE))
		log_set_file(config_get(cfg, S_LOG_FILE));
	if (!pidfile_acquire(paths.pid, err, sizeof(err))) {
		fprintf(stderr, "run: %s\n", err);
		return EXIT_FAILED;
	}
	bool monitor = strcmp(config_get(cfg, S_ROLE), "monitor") == 0;
	log_set_prefix(monitor ? "monitor" : "keeper");
	int rc = monitor ? run_monitor(cfg) : run_keeper(cfg, until_stable);
	pidfile_release(paths.pid);
	return rc;
}

static int run_node(const Command *cmd, Flags *flags)
{
	Config cfg;
	char err[1024];
	(void)cmd;

	if (!nodeconf_refuse_root("run"))
		return EXIT_USAGE;
	/* first, while nothing is open: the same process again, started
	 * with GnuTLS's constructor turned off (common/svcenv.h) */
	char *const *argv = cli_argv();
	int reexec = argv ? svcenv_reexec(argv) : EINVAL;
	if (!nodeconf_load(flags, &cfg, true, err, sizeof(err))) {
		fprintf(stderr, "run: %s\n", err);
		return EXIT_BAD_CONFIG;
	}
	if (reexec != 0)
		log_debug("running as started, without %s: executing "
			  "/proc/self/exe failed: %s",
			  SVCENV_ASSIGNMENT, strerror(reexec));
	return cli_run_service(&cfg, false);
}

/* The configuration and files of an existing node; false after a
 * message. */
static bool load_node(const Flags *flags, Config *cfg, NodePaths *paths)
{
	char err[1024];

	if (nodeconf_load(flags, cfg, true, err, sizeof(err)) &&
	    nodepaths_init(paths, config_get(cfg, S_PGDATA), err, sizeof(err)))
		return true;
	fprintf(stderr, "%s: %s\n", cli_command_path(), err);
	return false;
}

static int stop_node(const Command *cmd, Flags *flags)
{
	Config cfg;
	NodePaths paths;
	(void)cmd;

	if (!load_node(flags, &cfg, &paths))
		return EXIT_BAD_CONFIG;
	pid_t pid = pidfile_read(paths.pid);
	if (pid <= 0) {
		printf("pgkeel is not running for %s\n",
		       config_get(&cfg, S_PGDATA));
		return EXIT_OK;
	}
	kill(pid, flags_has(flags, "immediate") ? SIGQUIT : SIGTERM);
	int64_t deadline = time_monotonic_ms() + 60000;
	while (pidfile_read(paths.pid) > 0 && time_monotonic_ms() < deadline)
		time_sleep_ms(100);
	if (pidfile_read(paths.pid) > 0) {
		fprintf(stderr, "stop: pgkeel (pid %d) did not stop in 60s\n",
			(int)pid);
		return EXIT_TIMEOUT;
	}
	printf("stopped pgkeel (pid %d) for %s\n", (int)pid,
	       config_get(&cfg, S_PGDATA));
	return EXIT_OK;
}

static int status_node(const Command *cmd, Flags *flags)
{
	Config cfg;
	NodePaths paths;
	KeeperState st = {0};
	char err[1024];
	(void)cmd;

	if (!load_node(flags, &cfg, &paths))
		return EXIT_BAD_CONFIG;
	pid_t pid = pidfile_read(paths.pid);
	bool keeper = strcmp(config_get(&cfg, S_ROLE), "keeper") == 0;
	if (keeper)
		statefile_load(paths.state, &st, err, sizeof(err));
	if (flags_has(flags, "json")) {
		json_t *j = json_pack("{s:s, s:s, s:b, s:i, s:s}", "pgdata",
				      config_get(&cfg, S_PGDATA), "role",
				      config_get(&cfg, S_ROLE), "running",
				      pid > 0, "pid", (int)pid, "state",
				      keeper ? state_name(st.current) : "");
		cli_print_json(j);
	} else {
		printf("%s %s: %s", config_get(&cfg, S_ROLE),
		       config_get(&cfg, S_PGDATA),
		       pid > 0 ? "running" : "not running");
		if (pid > 0)
			printf(" (pid %d)", (int)pid);
		if (keeper)
			printf(", state %s", state_name(st.current));
		putchar('\n');
	}
	return pid > 0 ? EXIT_OK : EXIT_FAILED;
}

static const FlagDef run_flags[] = {
	FLAG_OF_REQUIRED(S_PGDATA),
	FLAG_OF(S_LOG_LEVEL),
	FLAG_OF(S_LOG_JSON),
	FLAG_OF(S_LOG_FILE),
	FLAG_OF(S_HTTP_LISTEN),
	FLAG_OF(S_HTTP_PORT),
	FLAG_OF(S_HTTP_AUTH_FILE),
};

const Command cmd_run = {
	.name = "run",
	.summary = "run the monitor or keeper of a directory in the foreground",
	.description =
		"Runs the service created in --pgdata: the monitor, or the "
		"keeper of a\ndata node. SIGTERM or SIGINT stop it cleanly, "
		"SIGHUP reloads its\nconfiguration file. Started without "
		SVCENV_NAME " in its\nenvironment, it first executes itself "
		"again (the same process) with\n" SVCENV_ASSIGNMENT
		", so that GnuTLS, which libpq loads, does not\nstart "
		"itself.",
	.flags = FLAGS(run_flags),
	.run = run_node,
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
	.run = stop_node,
};

static const FlagDef status_flags[] = {
	FLAG_OF_REQUIRED(S_PGDATA),
	FLAG_SWITCH("json", "print JSON"),
};

const Command cmd_status = {
	.name = "status",
	.summary = "is the service of a directory running, and as what",
	.flags = FLAGS(status_flags),
	.run = status_node,
};
