/*
 * cmd_explain.c - `pgkeel explain`: why a formation is in its state and
 * what it waits for, in sentences (or --json), from the state machine's
 * own rules (fsm/explain.h) run on the formation read from the store.
 *
 * The monitor decides with its memory of each node, on its own clock;
 * this command has the store only, so it rebuilds that memory: report
 * ages by the store's clock, the monitor's last check result without
 * since when, no port refusals. Durations it cannot know count as
 * starting now, which can only make a failover look further away; when
 * longer ones would find the primary down, it says so and what the
 * monitor would then decide (docs/state-machine.md, "Explaining a
 * formation").
 */
#include "cli/command.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/explainjson.h"
#include "cli/nodeconf.h"
#include "common/exitcode.h"
#include "monitor/monitor.h"

/* Long ago enough for every timeout: the other reading of durations the
 * store does not keep. */
#define LONG_AGO_MS (24LL * 3600 * 1000)

/* The snapshot: now is 0 on the store's clock; since_now: the unknown
 * durations start now (else long ago). */
static void snapshot(const StoreFormation *sf, const Config *cfg,
		     bool since_now, FsmNode *nodes, FsmFormation *f)
{
	memset(f, 0, sizeof(*f));
	monitor_fsm_settings(sf, config_get_ms(cfg, S_NODE_DOWN_TIMEOUT),
			     config_get_ms(cfg, S_RESTART_ALLOWANCE),
			     config_get_ms(cfg, S_SYNC_TIMEOUT), &f->settings);
	f->nodes = nodes;
	f->nnodes = sf->nnodes;
	f->since_at_least = since_now;
	for (size_t i = 0; i < sf->nnodes; i++) {
		const StoreNode *s = &sf->nodes[i];
		FsmNode *n = &nodes[i];
		monitor_fsm_node(sf, s, n);
		n->last_report_ms = -s->report_age_ms;
		n->health_ok = s->reachable;
		if (!s->reachable)
			n->health_fail_since_ms = since_now ? 0 : -LONG_AGO_MS;
		/* it did not stream when it last reported, at least */
		if (!s->report.receiver_streaming)
			n->not_streaming_since_ms =
				since_now ? -s->report_age_ms : -LONG_AGO_MS;
	}
}

static void print_lines(const FsmLines *l, const char *indent)
{
	for (size_t i = 0; i < l->n; i++)
		printf("%s%s\n", indent, l->text[i]);
}

/* What longer durations would change: the primary's verdict and the
 * decisions then. */
static void print_if_longer(const FsmExplanation *x, const FsmExplanation *y,
			    const FsmFormation *g)
{
	if (!explain_differs(x, y))
		return;
	printf("\nIf the durations this view cannot know (see below) are "
	       "longer than node_down_timeout:\n");
	printf("  The primary is %s.\n", y->primary_down ? "down" : "not down");
	for (size_t i = 0; i < y->nnext; i++)
		printf("  The monitor decides: %s %s -> %s (%s).\n",
		       fsm_node(g, y->next[i].node_id)->name,
		       state_name(y->next[i].from), state_name(y->next[i].to),
		       y->next[i].why);
}

static void print_text(const StoreFormation *sf, const FsmExplanation *x,
		       const FsmExplanation *y, const FsmFormation *g)
{
	printf("Formation %s\n", sf->name);
	print_lines(&x->lines, "  ");
	for (size_t i = 0; i < x->nnodes; i++) {
		const FsmNode *n = x->nodes[i].node;
		printf("\nNode %s (id %d, %s)\n", n->name, n->id,
		       state_role_name(n->goal));
		print_lines(&x->nodes[i].lines, "  ");
	}
	print_if_longer(x, y, g);
	printf("\nBuilt from the store, not from the monitor's memory:\n");
	for (size_t i = 0; explain_inputs[i]; i++)
		printf("  - %s\n", explain_inputs[i]);
}

static int explain_formation(const StoreFormation *sf, const Config *cfg,
			     bool json)
{
	FsmNode nodes[STORE_MAX_NODES], longer[STORE_MAX_NODES];
	FsmFormation f, g;
	FsmExplanation *x = calloc(2, sizeof(FsmExplanation));

	if (!x) {
		fprintf(stderr, "%s: out of memory\n", cli_command_path());
		return EXIT_FAILED;
	}
	snapshot(sf, cfg, true, nodes, &f);
	snapshot(sf, cfg, false, longer, &g);
	fsm_explain(&f, &x[0]);
	fsm_explain(&g, &x[1]);
	if (json) {
		cli_print_json(explain_json(sf, &x[0], &x[1], &g));
	} else {
		print_text(sf, &x[0], &x[1], &g);
	}
	free(x);
	return EXIT_OK;
}

static int explain_run(const Command *cmd, Flags *flags)
{
	Config cfg;
	char err[1024];
	(void)cmd;

	if (!nodeconf_load(flags, &cfg, false, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		config_free(&cfg);
		return EXIT_BAD_CONFIG;
	}
	Store *s = nodeconf_open_store(&cfg, err, sizeof(err));
	StoreFormation *sf = s ? calloc(1, sizeof(StoreFormation)) : NULL;
	int rc = EXIT_STORE;

	if (!s)
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
	else if (!sf)
		fprintf(stderr, "%s: out of memory\n", cli_command_path());
	else if (!store_get_formation(s, nodeconf_formation(&cfg), sf))
		fprintf(stderr, "%s: %s\n", cli_command_path(), s->error);
	else
		rc = explain_formation(sf, &cfg, flags_has(flags, "json"));
	free(sf);
	store_close(s);
	config_free(&cfg);
	return rc;
}

static const FlagDef explain_flags[] = {
	FLAG_OF(S_PGDATA),
	FLAG_OF(S_MONITOR),
	FLAG_OF(S_FORMATION),
	FLAG_SWITCH("json", "print JSON"),
};

const Command cmd_explain = {
	.name = "explain",
	.summary = "why the formation is in its state, and what it waits for",
	.description =
		"Says in sentences, from the state machine's own rules, why "
		"the formation is in its state: whether the primary is down "
		"and which failure signals are missing, why each standby is "
		"or is not a failover candidate, what a pending switchover, "
		"maintenance, drop or restart waits for, whether the "
		"formation is paused, and the monitor's next decisions if "
		"nothing changes. Built from the store: the durations it does "
		"not keep are approximations, listed at the end.",
	.flags = FLAGS(explain_flags),
	.run = explain_run,
};
