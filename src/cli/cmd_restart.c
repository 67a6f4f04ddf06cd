/*
 * cmd_restart.c - `pgkeel perform restart [--name N] [--pending]
 * [--rolling]`: restarts Postgres on the nodes of a formation, to apply
 * parameters that only take effect at server start. Standbys go first,
 * one at a time, each waited for until it streams again; then the
 * primary: restarted in place, or with --rolling handed over by a
 * switchover (which restarts it as a standby), so clients see at most one
 * switchover's write gap.
 */
#include "cli/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/nodeconf.h"
#include "cli/perform.h"
#include "common/exitcode.h"
#include "common/timeutil.h"

#define RESTART_WAIT_MS 120000

typedef struct {
	Store *s;
	StoreFormation *f;
	char formation[STORE_NAME_LEN]; /* not f->name: reads clear f */
	const char *only;  /* --name, or NULL */
	bool pending_only; /* --pending */
	int64_t t0;
} Restart;

static double since(const Restart *r)
{
	return (double)(time_monotonic_ms() - r->t0) / 1000;
}

/* Back in its role: the restart carried out and, for a standby,
 * streaming again. */
static bool back_up(const StoreNode *n, long long seq)
{
	return n->report.restarted >= seq && n->report.pg_running &&
	       n->reported == n->goal &&
	       (state_is_primary(n->goal) || n->report.receiver_streaming);
}

static int restart_node(Restart *r, const char *name)
{
	long long seq;
	int64_t start = time_monotonic_ms();

	if (!store_request_restart(r->s, r->formation, name, &seq)) {
		return nodeconf_store_failed(r->s);
	}
	printf("%6.2fs  %-12s restart requested\n", since(r), name);
	while (time_monotonic_ms() - start < RESTART_WAIT_MS) {
		time_sleep_ms(100);
		if (!store_get_formation(r->s, r->formation, r->f))
			continue;
		const StoreNode *n = store_formation_node_named(r->f, name);
		if (n && back_up(n, seq)) {
			printf("%6.2fs  %-12s restarted, %s\n", since(r), name,
			       state_name(n->reported));
			return EXIT_OK;
		}
	}
	fprintf(stderr, "%s: %s did not come back within %d s; see pgkeel "
			"show state and its keeper's log\n",
		cli_command_path(), name, RESTART_WAIT_MS / 1000);
	return EXIT_TIMEOUT;
}

static bool wanted(const Restart *r, const StoreNode *n)
{
	if (r->only && strcmp(n->name, r->only) != 0)
		return false;
	return !r->pending_only || n->report.pending_restart;
}

/* Names of the standbys to restart, in id order; others are skipped
 * with a note. */
static size_t standbys_to_restart(Restart *r, char (*names)[STORE_NAME_LEN])
{
	size_t n = 0;
	for (size_t i = 0; i < r->f->nnodes; i++) {
		const StoreNode *node = &r->f->nodes[i];
		if (state_is_primary(node->goal) || !wanted(r, node))
			continue;
		if (!perform_in_sync(node)) {
			printf("skipping %s: %s, not a running standby\n",
			       node->name, state_name(node->reported));
			continue;
		}
		snprintf(names[n++], STORE_NAME_LEN, "%s", node->name);
	}
	return n;
}

static int restart_primary(Restart *r, bool rolling)
{
	const StoreNode *p = store_formation_primary(r->f);
	if (!p || !wanted(r, p))
		return EXIT_OK;
	char name[STORE_NAME_LEN];
	snprintf(name, sizeof(name), "%s", p->name);
	bool standby = false;
	for (size_t i = 0; i < r->f->nnodes; i++)
		standby = standby || (perform_in_sync(&r->f->nodes[i]) &&
				      r->f->nodes[i].priority > 0);
	if (!rolling || !standby) {
		if (rolling)
			printf("no standby can take over: restarting %s in "
			       "place\n", name);
		return restart_node(r, name);
	}
	printf("%6.2fs  %-12s handing over with a switchover\n", since(r),
	       name);
	int rc = perform_request(r->s, r->f, "switchover", NULL, false, true);
	if (rc == EXIT_OK)
		printf("%6.2fs  %-12s restarted as a standby by the "
		       "switchover\n", since(r), name);
	return rc;
}

static int run_restart(Restart *r, bool rolling)
{
	char names[STORE_MAX_NODES][STORE_NAME_LEN];
	size_t n = standbys_to_restart(r, names);

	for (size_t i = 0; i < n; i++) {
		int rc = restart_node(r, names[i]);
		if (rc != EXIT_OK)
			return rc;
	}
	if (!store_get_formation(r->s, r->formation, r->f)) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), r->s->error);
		return EXIT_STORE;
	}
	int rc = restart_primary(r, rolling);
	if (rc == EXIT_OK)
		printf("done in %.2fs\n", since(r));
	return rc;
}

/* --at: one node's restart, scheduled */
static int schedule(const Flags *flags)
{
	if (!flags_has(flags, "name") || flags_has(flags, "rolling") ||
	    flags_has(flags, "pending")) {
		fprintf(stderr, "%s: --at schedules the restart of one node: "
				"give --name, without --rolling or --pending\n",
			cli_command_path());
		return EXIT_USAGE;
	}
	return perform_schedule(flags, "restart", flags_get(flags, "name"));
}

static int run(const Command *cmd, Flags *flags)
{
	Config cfg;
	char err[1024];
	Restart r = {.only = flags_get(flags, "name"),
		     .pending_only = flags_has(flags, "pending"),
		     .t0 = time_monotonic_ms()};

	(void)cmd;
	if (flags_has(flags, "at"))
		return schedule(flags);
	if (!nodeconf_load(flags, &cfg, false, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_BAD_CONFIG;
	}
	r.s = nodeconf_open_store(&cfg, err, sizeof(err));
	r.f = calloc(1, sizeof(StoreFormation));
	int rc = EXIT_STORE;
	if (!r.s || !r.f ||
	    !store_get_formation(r.s, nodeconf_formation(&cfg), r.f)) {
		fprintf(stderr, "%s: %s\n", cli_command_path(),
			r.s ? r.s->error : err);
	} else if (r.only && !store_formation_node_named(r.f, r.only)) {
		fprintf(stderr, "%s: no node named \"%s\" in formation %s\n",
			cli_command_path(), r.only, r.f->name);
		rc = EXIT_USAGE;
	} else {
		snprintf(r.formation, sizeof(r.formation), "%s", r.f->name);
		rc = run_restart(&r, flags_has(flags, "rolling"));
	}
	free(r.f);
	store_close(r.s);
	return rc;
}

static const FlagDef restart_flags[] = {
	FLAG_OF(S_PGDATA),
	FLAG_OF(S_MONITOR),
	FLAG_OF(S_FORMATION),
	FLAG_OF(S_NAME),
	FLAG_SWITCH("rolling",
		    "hand the primary over with a switchover instead of "
		    "restarting it in place"),
	FLAG_SWITCH("pending", "only nodes with a restart pending"),
	PERFORM_AT_FLAG,
};

const Command cmd_perform_restart = {
	.name = "restart",
	.summary = "restart Postgres on the nodes: standbys first, then the "
		   "primary",
	.description =
		"Standbys are restarted one at a time, each waited for until "
		"it streams again. Then the primary is restarted in place, or "
		"with --rolling handed over to the best standby by a "
		"switchover (which restarts it as a standby), so clients see "
		"at most one switchover's write gap. --name restarts one "
		"node, --pending only the nodes whose parameters wait for a "
		"restart.",
	.flags = FLAGS(restart_flags),
	.run = run,
};
