/*
 * cmd_perform.c - `pgkeel perform switchover|failover|promotion|restart`.
 */
#include "cli/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/nodeconf.h"
#include "cli/perform.h"
#include "common/exitcode.h"
#include "common/timeutil.h"

#define WAIT_MS 120000

bool perform_in_sync(const StoreNode *n)
{
	return n->goal == NS_SECONDARY && n->reported == NS_SECONDARY;
}

/* The standby the monitor would pick: in sync, priority above 0, the
 * highest priority then LSN. */
static const StoreNode *best_standby(const StoreFormation *f)
{
	const StoreNode *best = NULL;
	for (size_t i = 0; i < f->nnodes; i++) {
		const StoreNode *n = &f->nodes[i];
		if (!perform_in_sync(n) || n->priority <= 0)
			continue;
		if (!best || n->priority > best->priority ||
		    (n->priority == best->priority &&
		     n->report.lsn > best->report.lsn))
			best = n;
	}
	return best;
}

/* Checks the request; prints why it is refused. */
static int check_candidate(const StoreFormation *f, const char *name,
			   const StoreNode **out)
{
	const StoreNode *p = store_formation_primary(f);

	if (!p || p->reported != p->goal) {
		fprintf(stderr, "%s: formation %s has no settled primary now "
				"(see `pgkeel show state`)\n",
			cli_command_path(), f->name);
		return EXIT_REFUSED;
	}
	const StoreNode *c = name ? store_formation_node_named(f, name)
				  : best_standby(f);
	if (name && !c) {
		fprintf(stderr, "%s: no node named \"%s\" in formation %s\n",
			cli_command_path(), name, f->name);
		return EXIT_USAGE;
	}
	if (c == p) {
		fprintf(stderr, "%s: %s is already the primary\n",
			cli_command_path(), c->name);
		return EXIT_REFUSED;
	}
	if (!c || !perform_in_sync(c)) {
		fprintf(stderr,
			"%s: %s: promote only a standby in sync (secondary); "
			"wait until one is\n",
			cli_command_path(),
			c ? c->name : "no standby is eligible");
		return EXIT_REFUSED;
	}
	*out = c;
	return EXIT_OK;
}

/* A state change: printed, or recorded in trace. */
static void note_change(const StoreNode *n, NodeState *seen, int64_t t0,
			PerformTrace *trace)
{
	double t = (double)(time_monotonic_ms() - t0) / 1000;

	if (*seen == n->reported)
		return;
	*seen = n->reported;
	if (!trace) {
		printf("%6.2fs  %-12s %s\n", t, n->name,
		       state_name(n->reported));
		return;
	}
	if (trace->n < PERFORM_TRACE_MAX) {
		PerformStep *st = &trace->steps[trace->n++];
		st->t = t;
		st->state = n->reported;
		snprintf(st->node, sizeof(st->node), "%s", n->name);
	}
	if (n->id == trace->target && state_is_primary(n->reported) &&
	    trace->promoted_s < 0)
		trace->promoted_s = t;
}

int perform_wait_done(Store *s, const char *formation, int target, int old)
{
	return perform_wait(s, formation, target, old, NULL);
}

/* The target's pre_promote hook said no: the monitor will not promote
 * it now (docs/http-api.md#hooks). */
static bool vetoed(const StoreFormation *f, int target)
{
	const StoreNode *n = store_formation_node(f, target);
	if (!n || !n->report.promote_vetoed)
		return false;
	fprintf(stderr, "%s: the pre_promote hook of %s vetoed its "
			"promotion; see `pgkeel explain` and the node's log\n",
		cli_command_path(), n->name);
	return true;
}

int perform_wait(Store *s, const char *formation, int target, int old,
		 PerformTrace *trace)
{
	StoreFormation *f = calloc(1, sizeof(StoreFormation));
	NodeState seen[STORE_MAX_NODES];
	int64_t t0 = time_monotonic_ms();
	bool began = false; /* a node was seen in a transition */

	for (size_t i = 0; i < STORE_MAX_NODES; i++)
		seen[i] = NS_COUNT;
	while (f && time_monotonic_ms() - t0 < WAIT_MS) {
		if (!store_get_formation(s, formation, f)) {
			time_sleep_ms(100);
			continue;
		}
		bool promoted = false, back = old == 0;
		bool pending = f->switchover_to >= 0 || f->failover_requested;
		for (size_t i = 0; i < f->nnodes; i++) {
			const StoreNode *n = &f->nodes[i];
			note_change(n, &seen[i], t0, trace);
			began = began || n->goal != n->reported;
			promoted = promoted || (n->id == target &&
						state_is_primary(n->reported) &&
						n->reported == n->goal);
			back = back || (n->id == old && perform_in_sync(n));
		}
		if (promoted && back) {
			double done = (double)(time_monotonic_ms() - t0) / 1000;
			if (trace)
				trace->done_s = done;
			else
				printf("done in %.2fs\n", done);
			free(f);
			return EXIT_OK;
		}
		if (vetoed(f, target)) {
			free(f);
			return EXIT_FAILED;
		}
		/* cleared without a single transition: the monitor dropped
		 * the request it could not carry out */
		if (!pending && !began && !promoted) {
			fprintf(stderr, "%s: the monitor dropped the request "
					"without carrying it out; see `pgkeel "
					"show events`\n",
				cli_command_path());
			free(f);
			return EXIT_FAILED;
		}
		time_sleep_ms(50);
	}
	free(f);
	fprintf(stderr, "%s: not done after %d s; see `pgkeel show events`\n",
		cli_command_path(), WAIT_MS / 1000);
	return EXIT_TIMEOUT;
}

/* A forced failover loses acknowledged writes only when commits do not
 * wait for standbys: with a synchronous set, every acknowledged commit is
 * on a standby, and the candidate fetches from the most advanced one
 * before it is promoted (docs/state-machine.md). Prints the refusal. */
static bool would_lose(const StoreFormation *f, const StoreNode *p)
{
	const StoreNode *max = NULL;
	if (p->sync_names[0])
		return false;
	for (size_t i = 0; i < f->nnodes; i++) {
		const StoreNode *n = &f->nodes[i];
		if (n != p && perform_in_sync(n) &&
		    (!max || n->report.lsn > max->report.lsn))
			max = n;
	}
	if (!max || max->report.lsn >= p->report.lsn)
		return false;
	fprintf(stderr,
		"%s: commits on %s do not wait for a standby, and the most "
		"advanced standby %s is %llu bytes behind it: writes not yet "
		"on a standby would be lost; add --force to fail over anyway\n",
		cli_command_path(), p->name, max->name,
		(unsigned long long)(p->report.lsn - max->report.lsn));
	return true;
}

int perform_ask(Store *s, const StoreFormation *f, const char *what,
		const char *name, int *target, int *old)
{
	const StoreNode *cand = NULL;
	int rc = check_candidate(f, name, &cand);
	if (rc != EXIT_OK)
		return rc;
	if (!store_request(s, f->name, what, name ? name : "")) {
		return nodeconf_store_failed(s);
	}
	*target = cand->id;
	*old = strcmp(what, "switchover") == 0
		       ? store_formation_primary(f)->id
		       : 0;
	return EXIT_OK;
}

int perform_request(Store *s, const StoreFormation *f, const char *what,
		    const char *name, bool force, bool wait)
{
	const StoreNode *cand = NULL;
	int rc = check_candidate(f, name, &cand);
	if (rc != EXIT_OK)
		return rc;
	const StoreNode *p = store_formation_primary(f);
	if (strcmp(what, "failover") == 0 && !force && would_lose(f, p))
		return EXIT_REFUSED;
	if (!store_request(s, f->name, what, name ? name : "")) {
		return nodeconf_store_failed(s);
	}
	printf("%s requested: %s -> %s\n", what, p->name, cand->name);
	if (f->paused)
		printf("formation %s is paused: the monitor carries the "
		       "request out once it resumes, or drops it after %s\n",
		       f->name, STORE_REQUEST_EXPIRY_TEXT);
	return !wait ? EXIT_OK
		     : perform_wait_done(s, f->name, cand->id,
					 strcmp(what, "switchover") == 0 ? p->id
									 : 0);
}

/* A standby formation is promoted as a whole (standbypromote.c). */
static int promote_standby_formation(Store *s, const StoreFormation *f,
				     const char *what, const char *name,
				     Flags *flags)
{
	if (strcmp(what, "promotion") != 0 || name) {
		fprintf(stderr, "%s: formation %s is a standby formation of "
				"%s: its primary is never switched or failed "
				"over by request; promote the formation first "
				"(`pgkeel perform promotion` without --name)\n",
			cli_command_path(), f->name, f->standby_of);
		return EXIT_REFUSED;
	}
	return perform_standby_promotion(s, f, !flags_has(flags, "no-wait"));
}

static int perform(Flags *flags, const char *what, const char *name)
{
	Config cfg;
	char err[1024];

	if (!nodeconf_load(flags, &cfg, false, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_BAD_CONFIG;
	}
	Store *s = nodeconf_open_store(&cfg, err, sizeof(err));
	StoreFormation *f = calloc(1, sizeof(StoreFormation));
	int rc = EXIT_STORE;
	if (!s || !f || !store_get_formation(s, nodeconf_formation(&cfg), f)) {
		fprintf(stderr, "%s: %s\n", cli_command_path(),
			s ? s->error : err);
		goto out;
	}
	if (f->standby_of[0])
		rc = promote_standby_formation(s, f, what, name, flags);
	else if (strcmp(what, "promotion") == 0 && !name) {
		fprintf(stderr, "%s: --name NAME is required\n",
			cli_command_path());
		rc = EXIT_USAGE;
	} else if (strcmp(what, "promotion") == 0)
		rc = perform_request(s, f, "switchover", name, false,
				     !flags_has(flags, "no-wait"));
	else
		rc = perform_request(s, f, what, name,
				     flags_has(flags, "force"),
				     !flags_has(flags, "no-wait"));
out:
	free(f);
	store_close(s);
	return rc;
}

static int run_switchover(const Command *cmd, Flags *flags)
{
	(void)cmd;
	if (flags_has(flags, "at"))
		return perform_schedule(flags, "switchover",
					flags_get(flags, "candidate"));
	return perform(flags, "switchover", flags_get(flags, "candidate"));
}

static int run_promotion(const Command *cmd, Flags *flags)
{
	(void)cmd;
	/* --name is required but on a standby formation (perform()) */
	return perform(flags, "promotion",
		       flags_has(flags, "name") ? flags_get(flags, "name")
						: NULL);
}

static int run_failover(const Command *cmd, Flags *flags)
{
	(void)cmd;
	return perform(flags, "failover", NULL);
}

#define TARGET_FLAGS                                                      \
	FLAG_OF(S_PGDATA), FLAG_OF(S_MONITOR), FLAG_OF(S_FORMATION),      \
		FLAG_SWITCH("no-wait", "return once the operation started")

static const FlagDef switchover_flags[] = {
	TARGET_FLAGS,
	FLAG_VALUE("candidate", "NAME",
		   "the standby to promote (default: the best one)", VAL_NAME,
		   0, 0, NULL),
	PERFORM_AT_FLAG,
};

static const Command perform_switchover = {
	.name = "switchover",
	.summary = "planned role swap with the least write downtime",
	.flags = FLAGS(switchover_flags),
	.run = run_switchover,
};

static const FlagDef failover_flags[] = {
	TARGET_FLAGS,
	FLAG_SWITCH("force", "promote even when data would be lost"),
};

static const Command perform_failover = {
	.name = "failover",
	.summary = "forced failover, for tests and unresponsive primaries",
	.flags = FLAGS(failover_flags),
	.run = run_failover,
};

static const FlagDef promotion_flags[] = {
	TARGET_FLAGS,
	FLAG_OF(S_NAME),
};

static const Command perform_promotion = {
	.name = "promotion",
	.summary = "make the named node the primary (on a standby "
		   "formation, without --name: make the formation writable)",
	.flags = FLAGS(promotion_flags),
	.run = run_promotion,
};

static const Command *const perform_subs[] = {
	&perform_switchover, &perform_failover, &perform_promotion,
	&cmd_perform_restart, &cmd_perform_reinit, &cmd_perform_cancel, NULL};

const Command cmd_perform = {
	.name = "perform",
	.summary = "switchover, failover, promotion, rolling restart, reinit, "
		   "scheduled operations",
	.subs = perform_subs,
};
