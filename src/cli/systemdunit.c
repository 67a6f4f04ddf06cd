/*
 * systemdunit.c - writing a systemd service unit for `pgkeel run`.
 */
#include "cli/systemdunit.h"

#include <stdio.h>
#include <string.h>

#include "common/svcenv.h"
#include "pg/pgnode.h"

int systemd_watchdog_sec(int64_t interval_ms, int64_t store_timeout_ms)
{
	int64_t ms = 2 * (int64_t)PGNODE_CTL_TIMEOUT_MS +
		     2 * store_timeout_ms + interval_ms;
	return (int)((ms + 999) / 1000);
}

int systemd_stop_timeout_sec(int watchdog_s)
{
	return watchdog_s + (PGNODE_CTL_TIMEOUT_MS + 999) / 1000;
}

/*
 * A value in double quotes, as systemd reads it: C escapes for \ and ",
 * %% for its specifiers and, in a command line, $$ for its variables;
 * as it is when none of these is needed. Control characters have no
 * place in a path.
 */
static bool quoted(const char *in, bool exec, char *out, size_t len)
{
	size_t n = 0;

	if (len < 3)
		return false;
	if (!strpbrk(in, " \t\"'\\%$;") && strlen(in) < len) {
		snprintf(out, len, "%s", in); /* nothing to protect */
		return strcspn(in, "\n\r") == strlen(in);
	}
	out[n++] = '"';
	for (const char *p = in; *p; p++) {
		const char *rep = NULL;
		char one[2] = {*p, '\0'};
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
		if (*p == '\\')
			rep = "\\\\";
		else if (*p == '"')
			rep = "\\\"";
		else if (*p == '%')
			rep = "%%";
		else if (*p == '$' && exec)
			rep = "$$";
		else
			rep = one;
		size_t r = strlen(rep);
		if (n + r + 2 > len)
			return false;
		memcpy(out + n, rep, r);
		n += r;
	}
	out[n++] = '"';
	out[n] = '\0';
	return true;
}

static const char *const kill_mode_comment =
	"# SIGTERM goes to pgkeel alone, which stops its Postgres itself\n"
	"# (pg_ctl stop -m fast, as `pgkeel stop` asks) before it exits;\n"
	"# with KillMode=mixed systemd then kills whatever is left of the\n"
	"# unit. The default (control-group) would also send SIGTERM to\n"
	"# Postgres at once, a smart shutdown racing pgkeel's own stop;\n"
	"# KillMode=process would leave a Postgres running without its\n"
	"# keeper after a crash or a watchdog restart, where nothing could\n"
	"# fence it. Each Postgres lives and dies with its keeper.\n";

static void write_service(FILE *out, const SystemdUnit *u, const char *exec,
			  const char *pgdata, const char *home)
{
	fprintf(out, "[Service]\nType=notify\nNotifyAccess=main\n");
	if (u->user)
		fprintf(out, "User=%s\n", u->user);
	if (home)
		fprintf(out, "Environment=%s\n", home);
	fprintf(out,
		"# GnuTLS, which libpq brings but pgkeel does not use, does\n"
		"# not start itself before main (without it, `pgkeel run`\n"
		"# executes itself once more to set it; see docs/systemd.md)\n"
		"Environment=%s\n",
		SVCENV_ASSIGNMENT);
	fprintf(out, "ExecStart=%s run --pgdata %s\n", exec, pgdata);
	fprintf(out, "ExecReload=/bin/kill -HUP $MAINPID\n");
	fprintf(out, "%sKillMode=mixed\n", kill_mode_comment);
	fprintf(out,
		"# time to finish the cycle under way, then stop Postgres\n"
		"TimeoutStopSec=%ds\n",
		u->stop_timeout_s);
	fprintf(out,
		"# pgkeel says WATCHDOG=1 after every cycle of its loop (and\n"
		"# on every progress line of a copy): a keeper or monitor that\n"
		"# hangs longer than its longest cycle is killed and restarted\n"
		"WatchdogSec=%ds\n",
		u->watchdog_s);
	fprintf(out, "Restart=on-failure\nRestartSec=5s\n\n");
}

bool systemd_unit_write(FILE *out, const SystemdUnit *u, char *err,
			size_t errlen)
{
	char exec[2100], pgdata[2100], home[2200], env[1100] = "";

	if (u->home)
		snprintf(env, sizeof(env), "PGKEEL_HOME=%s", u->home);
	if (!quoted(u->exec, false, exec, sizeof(exec)) || /* no $ there */
	    (!u->template && !quoted(u->pgdata, true, pgdata, sizeof(pgdata))) ||
	    (u->home && !quoted(env, false, home, sizeof(home))) ||
	    (u->user && strpbrk(u->user, "% \t\n\"\\")) ||
	    strpbrk(u->description, "\n")) {
		snprintf(err, errlen, "a path or user name a unit file cannot "
				      "hold (a control character, or too long)");
		return false;
	}
	fprintf(out, "# %s\n# written by `pgkeel show systemd%s`; see "
		     "docs/systemd.md\n",
		u->template ? "pgkeel@.service: the instance is the data "
			      "directory, escaped\n# by `systemd-escape --path`"
			    : "the service of one pgkeel node",
		u->template ? " --template" : "");
	fprintf(out, "[Unit]\nDescription=");
	for (const char *p = u->description; *p; p++) {
		if (*p == '%' && !u->template) /* the template's %f stays */
			fputc('%', out);
		fputc(*p, out);
	}
	fprintf(out, "\nDocumentation=man:pgkeel-run(1)\n"
		     "After=network-online.target\n"
		     "Wants=network-online.target\n\n");
	write_service(out, u, exec, u->template ? "%f" : pgdata,
		      u->home ? home : NULL);
	fprintf(out, "[Install]\nWantedBy=multi-user.target\n");
	return true;
}
