/*
 * cmd_show_systemd.c - `pgkeel show systemd`: the systemd unit that runs a
 * node's monitor or keeper, or the template unit pgkeel@.service.
 */
#include "cli/systemdunit.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/nodeconf.h"
#include "common/exitcode.h"
#include "common/nodepaths.h"

/* The user the template runs as: the one Debian's postgresql creates. */
#define TEMPLATE_USER "postgres"

static bool exec_path(const Flags *flags, char *buf, size_t len)
{
	const char *given = flags_get(flags, "exec");
	if (given) {
		snprintf(buf, len, "%s", given);
		return true;
	}
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* Intervals and timeouts of a node, or the defaults for the template. */
static void fill_timing(SystemdUnit *u, const Config *cfg, bool monitor)
{
	int64_t keeper = config_get_ms(cfg, S_KEEPER_INTERVAL);
	int64_t mon = config_get_ms(cfg, S_MONITOR_INTERVAL);
	int64_t interval = monitor ? mon : keeper;

	if (u->template) /* either may run: the longer cycle */
		interval = keeper > mon ? keeper : mon;
	u->watchdog_s = systemd_watchdog_sec(
		interval, config_get_ms(cfg, S_STORE_TIMEOUT));
	u->stop_timeout_s = systemd_stop_timeout_sec(u->watchdog_s);
}

/* User= the owner of PGDATA, PGKEEL_HOME as found now. */
static bool fill_node(SystemdUnit *u, char *user,
		      size_t userlen, char *home, size_t homelen, char *err,
		      size_t errlen)
{
	struct stat st;

	if (stat(u->pgdata, &st) != 0) {
		snprintf(err, errlen, "cannot read %s", u->pgdata);
		return false;
	}
	struct passwd *pw = getpwuid(st.st_uid);
	if (!pw) {
		snprintf(err, errlen, "%s belongs to uid %d, which has no "
				      "user name", u->pgdata, (int)st.st_uid);
		return false;
	}
	snprintf(user, userlen, "%s", pw->pw_name);
	u->user = user;
	if (!nodepaths_base(home, homelen, err, errlen))
		return false;
	u->home = home;
	return true;
}

static int show_systemd_run(const Command *cmd, Flags *flags)
{
	Config cfg;
	SystemdUnit u = {.template = flags_has(flags, "template")};
	char err[1024], exec[1024], user[256], home[1024], desc[1200];
	(void)cmd;

	if (!u.template && !flags_has(flags, "pgdata")) {
		fprintf(stderr, "%s: --pgdata or --template is required\n",
			cli_command_path());
		return EXIT_USAGE;
	}
	if (!nodeconf_load(flags, &cfg, !u.template, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_BAD_CONFIG;
	}
	const char *role = config_get(&cfg, S_ROLE);
	bool monitor = role && strcmp(role, "monitor") == 0;
	u.pgdata = config_get(&cfg, S_PGDATA);
	snprintf(desc, sizeof(desc), "pgkeel %s of %s",
		 u.template ? "node" : monitor ? "monitor" : "keeper",
		 u.template ? "%f" : u.pgdata);
	u.description = desc;
	u.user = TEMPLATE_USER;
	fill_timing(&u, &cfg, monitor);
	bool ok = exec_path(flags, exec, sizeof(exec));
	u.exec = exec;
	if (!ok)
		snprintf(err, sizeof(err), "cannot tell where this pgkeel "
					   "binary is: give --exec");
	ok = ok && (u.template ||
		    fill_node(&u, user, sizeof(user), home, sizeof(home),
			      err, sizeof(err)));
	ok = ok && systemd_unit_write(stdout, &u, err, sizeof(err));
	config_free(&cfg);
	if (!ok)
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
	return ok ? EXIT_OK : EXIT_FAILED;
}

static const FlagDef systemd_flags[] = {
	FLAG_OF(S_PGDATA),
	FLAG_SWITCH("template", "the template unit pgkeel@.service instead"),
	FLAG_VALUE("exec", "PATH", "the pgkeel binary the unit runs "
				   "(default: this one)",
		   VAL_ABSPATH, 0, 0, NULL),
};

const Command show_systemd = {
	.name = "systemd",
	.summary = "a systemd unit running the node's monitor or keeper",
	.description =
		"Prints a systemd service unit that runs `pgkeel run --pgdata "
		"DIR` as the\nowner of DIR, with PGKEEL_HOME as found now, "
		"readiness and watchdog\nnotifications (Type=notify, "
		"WatchdogSec=) and a clean stop of Postgres\n"
		"(KillMode=mixed). With --template, the template unit "
		"pgkeel@.service,\nwhose instance is the data directory "
		"escaped by `systemd-escape --path`.\nSee docs/systemd.md.",
	.flags = FLAGS(systemd_flags),
	.run = show_systemd_run,
};
