/*
 * cmd_config_check.c - pgkeel config check: what a node needs before it
 * can run, checked without changing anything: its configuration file and
 * timeouts, the privacy of its secret files, the Postgres binaries and
 * the data directory's version, its port, its TLS files, and the store
 * (reachable, the formation there, this node registered in it). Every
 * check runs and says what to do when it fails.
 */
#include "cli/command.h"

#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/nodeconf.h"
#include "common/exitcode.h"
#include "keeper/statefile.h"
#include "monitor/monitor.h"
#include "pg/pgbin.h"
#include "pg/pgctl.h"

typedef enum { CHECK_OK, CHECK_FAIL, CHECK_SKIP } CheckResult;

typedef struct {
	json_t *list; /* the checks, for --json */
	bool json;
	bool failed;
} Report;

static void say(Report *r, const char *check, CheckResult res,
		const char *detail)
{
	static const char *const word[] = {"ok", "FAIL", "skip"};

	r->failed |= res == CHECK_FAIL;
	if (r->json)
		json_array_append_new(
			r->list, json_pack("{s:s, s:s, s:s}", "check", check,
					   "result", word[res], "detail",
					   detail));
	else
		printf("%-5s %-18s %s\n", word[res], check, detail);
}

static void check_binaries(Report *r, const Config *cfg, PgBin *bin)
{
	char err[1024], msg[1200];
	const char *pgdata = config_get(cfg, S_PGDATA);

	if (!pgbin_resolve(config_get(cfg, S_BINDIR), bin, err, sizeof(err))) {
		say(r, "postgres binaries", CHECK_FAIL, err);
		bin->major = 0;
	} else {
		snprintf(msg, sizeof(msg), "PostgreSQL %s in %s", bin->version,
			 bin->bindir);
		say(r, "postgres binaries", CHECK_OK, msg);
	}
	int major = pgctl_datadir_major(pgdata);
	CheckResult res = CHECK_FAIL;
	if (!pgctl_is_datadir(pgdata) || major <= 0) {
		snprintf(msg, sizeof(msg), "%s is not a Postgres data directory "
			 "(create postgres makes one)", pgdata);
	} else if (bin->major > 0 && major != bin->major) {
		snprintf(msg, sizeof(msg), "%s is for PostgreSQL %d, the "
			 "binaries are %d: set bindir to version %d's", pgdata,
			 major, bin->major, major);
	} else {
		snprintf(msg, sizeof(msg), "%s (PostgreSQL %d)", pgdata, major);
		res = CHECK_OK;
	}
	say(r, "data directory", res, msg);
}

/* Free, or held by this node's own running Postgres. */
static void check_port(Report *r, const Config *cfg)
{
	char msg[256];
	int port = (int)config_get_int(cfg, S_PGPORT);
	PgPostmaster pm;

	if (pgctl_status(config_get(cfg, S_PGDATA), &pm) != PM_NOT_RUNNING) {
		snprintf(msg, sizeof(msg), "%d, this node's Postgres (pid %d) "
			 "listens there", port, (int)pm.pid);
		say(r, "port", pm.port == port ? CHECK_OK : CHECK_FAIL, msg);
		return;
	}
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)port)};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	bool taken = fd >= 0 &&
		     setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
				sizeof(one)) == 0 &&
		     bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 &&
		     errno == EADDRINUSE;
	if (fd >= 0)
		close(fd);
	if (taken)
		snprintf(msg, sizeof(msg), "%d is taken by another program "
			 "while this node's Postgres is stopped: stop it, or "
			 "give this node another pgport", port);
	else
		snprintf(msg, sizeof(msg), "%d is free", port);
	say(r, "port", taken ? CHECK_FAIL : CHECK_OK, msg);
}

static void check_tls_files(Report *r, const Config *cfg)
{
	static const SettingId files[] = {S_SSL_CERT_FILE, S_SSL_KEY_FILE,
					  S_SSL_CA_FILE, S_SSL_CRL_FILE};
	char msg[1200];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *path = config_get(cfg, files[i]);
		if (!path || !*path)
			continue;
		n++;
		if (access(path, R_OK) != 0) {
			snprintf(msg, sizeof(msg), "%s: %s", path,
				 strerror(errno));
			say(r, "tls files", CHECK_FAIL, msg);
			return;
		}
	}
	snprintf(msg, sizeof(msg), n ? "%zu configured, all readable"
				     : "none configured (self-signed or "
				       "--no-ssl)",
		 n);
	say(r, "tls files", CHECK_OK, msg);
}

/* The node in the store: registered, with the id keeper.state holds. */
static void check_registration(Report *r, const StoreFormation *f,
			       const NodePaths *paths)
{
	KeeperState st;
	char err[1024], msg[1200];
	const StoreNode *n = NULL;

	if (!statefile_load(paths->state, &st, err, sizeof(err))) {
		say(r, "registration", CHECK_FAIL, err);
		return;
	}
	n = store_formation_node(f, st.node_id);
	if (!n)
		snprintf(msg, sizeof(msg), "node %d (%s) is not in formation "
			 "%s: it was dropped; create the node again", st.node_id,
			 st.name, f->name);
	else
		snprintf(msg, sizeof(msg), "node %d (%s), assigned %s",
			 n->id, n->name, state_name(n->goal));
	say(r, "registration", n ? CHECK_OK : CHECK_FAIL, msg);
}

static void check_store(Report *r, const Config *cfg, const NodePaths *paths)
{
	char err[1024];
	bool monitor = strcmp(config_get(cfg, S_ROLE), "monitor") == 0;
	PgPostmaster pm;

	if (monitor && !monitor_shared_store(cfg) &&
	    pgctl_status(config_get(cfg, S_PGDATA), &pm) == PM_NOT_RUNNING) {
		say(r, "store", CHECK_SKIP, "the monitor's Postgres is not "
		    "running (pgkeel run starts it)");
		return;
	}
	Store *s = nodeconf_open_store(cfg, err, sizeof(err));
	StoreFormation *f = calloc(1, sizeof(*f));
	if (!s || !f) {
		say(r, "store", CHECK_FAIL, s ? "out of memory" : err);
	} else if (!store_get_formation(s, nodeconf_formation(cfg), f)) {
		say(r, "store", CHECK_FAIL, s->error);
	} else {
		char msg[256];
		snprintf(msg, sizeof(msg), "reachable; formation %s has %zu "
			 "node(s)", f->name, f->nnodes);
		say(r, "store", CHECK_OK, msg);
		if (!monitor)
			check_registration(r, f, paths);
	}
	free(f);
	store_close(s);
}

static void check_files(Report *r, const Config *cfg, const NodePaths *paths)
{
	char err[1024];

	say(r, "configuration", CHECK_OK, paths->config);
	if (!config_timeouts_ordered(cfg, err, sizeof(err)))
		say(r, "timeouts", CHECK_FAIL, err);
	else
		say(r, "timeouts", CHECK_OK, "in the order fencing needs");
	if (!nodeconf_secrets_private(cfg, paths, err, sizeof(err)))
		say(r, "secret files", CHECK_FAIL, err);
	else
		say(r, "secret files", CHECK_OK, "readable by their owner only");
}

static int run_check(const Command *cmd, Flags *flags)
{
	Config cfg;
	NodePaths paths;
	PgBin bin;
	char err[1024];
	Report r = {.json = flags_has(flags, "json")};
	(void)cmd;

	if (!nodeconf_load(flags, &cfg, true, err, sizeof(err)) ||
	    !nodepaths_init(&paths, config_get(&cfg, S_PGDATA), err,
			    sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_BAD_CONFIG;
	}
	r.list = r.json ? json_array() : NULL;
	check_files(&r, &cfg, &paths);
	if (monitor_shared_store(&cfg)) { /* a monitor with no Postgres */
		say(&r, "postgres binaries", CHECK_SKIP, "none: the monitor "
		    "of a shared store keeps no Postgres");
	} else {
		check_binaries(&r, &cfg, &bin);
		check_port(&r, &cfg);
	}
	check_tls_files(&r, &cfg);
	check_store(&r, &cfg, &paths);
	if (r.json) {
		cli_print_json(json_pack("{s:b, s:o}", "ok", !r.failed,
					 "checks", r.list));
	}
	config_free(&cfg);
	return r.failed ? EXIT_BAD_CONFIG : EXIT_OK;
}

static const FlagDef check_flags[] = {
	FLAG_OF(S_PGDATA),
	FLAG_SWITCH("json", "print JSON"),
};

const Command cmd_config_check = {
	.name = "check",
	.summary = "check a node's configuration, files, binaries, port and "
		   "store, changing nothing",
	.description =
		"Runs every check and prints one line each (ok, FAIL with "
		"what to do, or skip). Exits 0 when nothing failed, 3 "
		"otherwise.",
	.flags = FLAGS(check_flags),
	.run = run_check,
};
