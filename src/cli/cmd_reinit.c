/*
 * cmd_reinit.c - `pgkeel perform reinit --name N [--no-wait]`: clones a
 * standby again from scratch. The request goes through the store; the
 * node's keeper carries it out (keeper_reinit.c) while the monitor keeps
 * the node in maintenance, and reports it. The command waits until the
 * node streams from the primary again.
 */
#include "cli/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/nodeconf.h"
#include "cli/perform.h"
#include "common/exitcode.h"
#include "common/timeutil.h"

/* a clone copies the whole database: allow it time */
#define REINIT_WAIT_MS (60 * 60 * 1000)

static bool is_standby_goal(NodeState s)
{
	return s == NS_CATCHINGUP || s == NS_SECONDARY;
}

/* Checks the request; prints why it is refused. */
static int check(const StoreFormation *f, const char *name)
{
	const StoreNode *n = store_formation_node_named(f, name);
	const StoreNode *p = store_formation_primary(f);
	const char *why = NULL;

	if (!n) {
		fprintf(stderr, "%s: no node named \"%s\" in formation %s\n",
			cli_command_path(), name, f->name);
		return EXIT_USAGE;
	}
	if (n == p)
		why = "is the primary: only a standby is cloned again (hand "
		      "its role over first: pgkeel perform switchover)";
	else if (!p || p->reported != p->goal)
		why = "has no settled primary to clone from now (see pgkeel "
		      "show state)";
	else if (!is_standby_goal(n->goal) || !is_standby_goal(n->reported))
		why = "is not a standby now (see pgkeel show state)";
	else if (n->restart_requested > n->report.restarted)
		why = "has a restart or reinit under way";
	if (!why)
		return EXIT_OK;
	fprintf(stderr, "%s: refused: %s %s; nothing changed\n",
		cli_command_path(), name, why);
	return EXIT_REFUSED;
}

/* Carried out and streaming again. */
static bool back(const StoreNode *n, long long seq)
{
	return n->report.restarted >= seq && n->reported == n->goal &&
	       state_is_standby(n->goal) && n->report.pg_running &&
	       n->report.receiver_streaming;
}

static int wait_back(Store *s, const char *formation, const char *name,
		     long long seq)
{
	StoreFormation *f = calloc(1, sizeof(StoreFormation));
	int64_t t0 = time_monotonic_ms();
	NodeState seen = NS_COUNT;

	while (f && time_monotonic_ms() - t0 < REINIT_WAIT_MS) {
		double t = (double)(time_monotonic_ms() - t0) / 1000;
		const StoreNode *n = store_get_formation(s, formation, f)
					     ? store_formation_node_named(f, name)
					     : NULL;
		if (n && n->reported != seen) {
			seen = n->reported;
			printf("%6.2fs  %-12s %s\n", t, name, state_name(seen));
		}
		if (n && back(n, seq)) {
			printf("%6.2fs  %-12s cloned again, %s, streaming from "
			       "%s:%d\n", t, name, state_name(n->reported),
			       n->report.upstream_host,
			       n->report.upstream_port);
			free(f);
			return EXIT_OK;
		}
		time_sleep_ms(200);
	}
	free(f);
	fprintf(stderr, "%s: %s is not back after %d s; see its keeper's log "
			"and pgkeel show events\n",
		cli_command_path(), name, REINIT_WAIT_MS / 1000);
	return EXIT_TIMEOUT;
}

static int reinit(Store *s, const StoreFormation *f, const char *name,
		  bool wait)
{
	long long seq;
	char formation[STORE_NAME_LEN];
	int rc = check(f, name);

	if (rc != EXIT_OK)
		return rc;
	if (!store_request_reinit(s, f->name, name, &seq)) {
		return nodeconf_store_failed(s);
	}
	printf("reinit of %s requested: its keeper clones %s again; the old "
	       "data directory is kept beside it as "
	       "PGDATA.pgkeel-reinit-%lld\n",
	       name, store_formation_primary(f)->name, seq);
	snprintf(formation, sizeof(formation), "%s", f->name);
	return wait ? wait_back(s, formation, name, seq) : EXIT_OK;
}

static int run(const Command *cmd, Flags *flags)
{
	Config cfg;
	char err[1024];
	const char *name = flags_get(flags, "name");

	(void)cmd;
	if (!name) {
		fprintf(stderr, "%s: --name NAME is required\n",
			cli_command_path());
		return EXIT_USAGE;
	}
	if (!nodeconf_load(flags, &cfg, false, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_BAD_CONFIG;
	}
	Store *s = nodeconf_open_store(&cfg, err, sizeof(err));
	StoreFormation *f = calloc(1, sizeof(StoreFormation));
	int rc = EXIT_STORE;
	if (!s || !f || !store_get_formation(s, nodeconf_formation(&cfg), f))
		fprintf(stderr, "%s: %s\n", cli_command_path(),
			s ? s->error : err);
	else
		rc = reinit(s, f, name, !flags_has(flags, "no-wait"));
	free(f);
	store_close(s);
	return rc;
}

static const FlagDef reinit_flags[] = {
	FLAG_OF(S_PGDATA),
	FLAG_OF(S_MONITOR),
	FLAG_OF(S_FORMATION),
	FLAG_OF(S_NAME),
	FLAG_SWITCH("no-wait", "return once the request is stored"),
};

const Command cmd_perform_reinit = {
	.name = "reinit",
	.summary = "clone a standby again from the primary",
	.description =
		"The node's keeper stops its Postgres, moves the data "
		"directory aside (kept as PGDATA.pgkeel-reinit-N for the "
		"operator to remove), clones the primary again with "
		"pg_basebackup and rejoins as a standby; the node is in "
		"maintenance meanwhile. Refused for the primary, a node that "
		"is not a standby, or a formation without a settled primary. "
		"Waits until the node streams again, unless --no-wait.",
	.flags = FLAGS(reinit_flags),
	.run = run,
};
