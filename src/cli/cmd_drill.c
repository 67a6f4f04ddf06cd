/*
 * cmd_drill.c - `pgkeel drill`: a failover drill on a live formation. A
 * synthetic client writes through the formation's URI while a planned
 * switchover (or, with --failover, a forced failover) runs; then every
 * acknowledged row is looked up on the new primary, and a report says
 * what a client went through: the write gap, the time to promote, rows
 * acknowledged and lost, replication lag before and after, the states
 * passed through. --back returns to the original primary.
 */
#include "cli/command.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/drillwriter.h"
#include "cli/nodeconf.h"
#include "cli/perform.h"
#include "common/exitcode.h"

typedef struct {
	const char *kind; /* switchover or failover */
	char from[64], to[64];
	PerformTrace trace;
	double gap_s;
	long long acked, lost;
	unsigned long long lag_before, lag_after;
} Drill;

/* Why the formation is not fit for a drill, or NULL. */
static const char *unfit(const StoreFormation *f, char *buf, size_t len)
{
	if (f->paused)
		return "it is paused (config set formation.paused false)";
	for (size_t i = 0; i < f->nnodes; i++) {
		if (f->nodes[i].maintenance) {
			snprintf(buf, len, "%s is in maintenance",
				 f->nodes[i].name);
			return buf;
		}
	}
	if (strcmp(f->health, "healthy") != 0) {
		snprintf(buf, len, "it is %s, not healthy (see `pgkeel show "
				   "state`)",
			 f->health);
		return buf;
	}
	return NULL;
}

/* Bytes the furthest-behind standby trails the primary by. */
static unsigned long long lag_of(const StoreFormation *f)
{
	const StoreNode *p = store_formation_primary(f);
	unsigned long long lag = 0;

	for (size_t i = 0; p && i < f->nnodes; i++) {
		const StoreNode *n = &f->nodes[i];
		if (n != p && n->report.lsn < p->report.lsn &&
		    p->report.lsn - n->report.lsn > lag)
			lag = p->report.lsn - n->report.lsn;
	}
	return lag;
}

static StoreFormation *read_formation(Store *s, const char *name)
{
	StoreFormation *f = calloc(1, sizeof(StoreFormation));
	if (f && store_get_formation(s, name, f))
		return f;
	fprintf(stderr, "%s: %s\n", cli_command_path(), s->error);
	free(f);
	return NULL;
}

/* The request and the wait; the writer runs throughout. */
static int carry_out(Store *s, const StoreFormation *f, const char *kind,
		     const char *to, Drill *d)
{
	int target = 0, old = 0;
	const StoreNode *p = store_formation_primary(f);
	int rc = perform_ask(s, f, kind, to, &target, &old);

	if (rc != EXIT_OK)
		return rc;
	d->kind = kind;
	snprintf(d->from, sizeof(d->from), "%s", p->name);
	snprintf(d->to, sizeof(d->to), "%s",
		 store_formation_node(f, target)->name);
	d->trace.target = target;
	d->trace.promoted_s = -1;
	/* the old primary is waited for in sync again either way */
	return perform_wait(s, f->name, target, p->id, &d->trace);
}

static int drill_once(Store *s, const StoreFormation *f, const char *kind,
		      const char *to, const char *conninfo, Drill *d)
{
	DrillWriter w;
	char err[1024];

	memset(d, 0, sizeof(*d));
	d->lag_before = lag_of(f);
	if (!drill_writer_start(&w, conninfo, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		drill_writer_free(&w);
		return EXIT_FAILED;
	}
	int rc = drill_writer_wait_more(&w, 20, 30000) ? EXIT_OK : EXIT_FAILED;
	if (rc != EXIT_OK)
		fprintf(stderr, "%s: the drill's client could not write: %s\n",
			cli_command_path(), w.last_error);
	rc = rc == EXIT_OK ? carry_out(s, f, kind, to, d) : rc;
	if (rc == EXIT_OK && !drill_writer_wait_more(&w, 20, 30000))
		rc = EXIT_FAILED;
	drill_writer_stop(&w);
	d->gap_s = (double)drill_writer_max_gap_ms(&w) / 1000;
	d->acked = (long long)w.nacked;
	d->lost = drill_writer_check(&w, err, sizeof(err));
	if (d->lost < 0)
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
	StoreFormation *after = read_formation(s, f->name);
	d->lag_after = after ? lag_of(after) : 0;
	free(after);
	drill_writer_free(&w);
	return rc == EXIT_OK && d->lost != 0 ? EXIT_FAILED : rc;
}

static json_t *drill_json(const Drill *d)
{
	json_t *states = json_array();
	for (size_t i = 0; i < d->trace.n; i++) {
		const PerformStep *st = &d->trace.steps[i];
		json_array_append_new(states,
				      json_pack("{s:f, s:s, s:s}", "t", st->t,
						"node", st->node, "state",
						state_name(st->state)));
	}
	return json_pack("{s:s, s:s, s:s, s:f, s:f, s:f, s:I, s:I, s:I, s:I, "
			 "s:o}",
			 "kind", d->kind, "from", d->from, "to", d->to,
			 "write_gap_s", d->gap_s, "promotion_s",
			 d->trace.promoted_s, "done_s", d->trace.done_s,
			 "rows_acknowledged", (json_int_t)d->acked,
			 "rows_lost", (json_int_t)d->lost, "lag_before_bytes",
			 (json_int_t)d->lag_before, "lag_after_bytes",
			 (json_int_t)d->lag_after, "states", states);
}

static void print_drill(const Drill *d)
{
	printf("%s from %s to %s\n", d->kind, d->from, d->to);
	printf("  write gap        %6.2f s  longest time between two "
	       "acknowledged commits\n",
	       d->gap_s);
	printf("  promotion        %6.2f s  from the request to %s reporting "
	       "a primary state\n",
	       d->trace.promoted_s, d->to);
	printf("  done             %6.2f s  until %s is a standby in sync "
	       "again\n",
	       d->trace.done_s, d->from);
	printf("  rows             %lld acknowledged, %lld lost\n", d->acked,
	       d->lost);
	printf("  replication lag  %llu bytes before, %llu bytes after\n",
	       d->lag_before, d->lag_after);
	printf("  states:\n");
	for (size_t i = 0; i < d->trace.n; i++)
		printf("    %6.2fs  %-12s %s\n", d->trace.steps[i].t,
		       d->trace.steps[i].node,
		       state_name(d->trace.steps[i].state));
}

static void report(const Config *cfg, const Drill *d, size_t n, bool json)
{
	if (json) {
		json_t *runs = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(runs, drill_json(&d[i]));
		cli_print_json(json_pack("{s:s, s:o}", "formation",
					 nodeconf_formation(cfg), "drills",
					 runs));
		return;
	}
	printf("drill on formation %s\n", nodeconf_formation(cfg));
	for (size_t i = 0; i < n; i++)
		print_drill(&d[i]);
}

static int run_drill(Store *s, const Config *cfg, const StoreFormation *f,
		     const Flags *flags, const char *conninfo)
{
	Drill d[2];
	char why[256];
	size_t n = 0;
	int rc;
	const char *bad = unfit(f, why, sizeof(why));

	if (bad) {
		fprintf(stderr, "%s: formation %s is not ready for a drill: %s\n",
			cli_command_path(), f->name, bad);
		rc = EXIT_REFUSED;
	} else {
		const char *kind =
			flags_has(flags, "failover") ? "failover" : "switchover";
		rc = drill_once(s, f, kind, NULL, conninfo, &d[n]);
		n += d[n].kind != NULL; /* reported once it was requested */
	}
	if (rc == EXIT_OK && flags_has(flags, "back")) {
		StoreFormation *now = read_formation(s, f->name);
		rc = now ? drill_once(s, now, "switchover", d[0].from, conninfo,
				      &d[n])
			 : EXIT_STORE;
		n += now && d[n].kind != NULL;
		free(now);
	}
	if (n)
		report(cfg, d, n, flags_has(flags, "json"));
	return rc;
}

static int drill_run(const Command *cmd, Flags *flags)
{
	Config cfg;
	char err[1024];
	(void)cmd;

	if (!nodeconf_load(flags, &cfg, false, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_BAD_CONFIG;
	}
	Store *s = nodeconf_open_store(&cfg, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		config_free(&cfg);
		return EXIT_STORE;
	}
	StoreFormation *f = read_formation(s, nodeconf_formation(&cfg));
	char *uri = f ? nodeconf_formation_uri(f, &cfg) : NULL;
	const char *dsn = flags_get(flags, "dsn");
	int rc = f ? run_drill(s, &cfg, f, flags, dsn ? dsn : uri)
		   : EXIT_STORE;
	free(uri);
	free(f);
	store_close(s);
	config_free(&cfg);
	return rc;
}

static const FlagDef drill_flags[] = {
	FLAG_OF(S_PGDATA),
	FLAG_OF(S_MONITOR),
	FLAG_OF(S_FORMATION),
	FLAG_SWITCH("failover", "a forced failover instead of a switchover"),
	FLAG_SWITCH("back", "then return to the original primary"),
	FLAG_VALUE("dsn", "CONNINFO",
		   "the client's connection (default: the formation's URI, "
		   "with libpq's defaults for the user and password file)"),
	FLAG_SWITCH("json", "print the report as JSON"),
};

const Command cmd_drill = {
	.name = "drill",
	.summary = "a switchover or failover drill with a writing client",
	.description =
		"Writes rows into its own table (" DRILL_TABLE ", removed "
		"afterwards) through\nthe formation's URI while a planned "
		"switchover (or with --failover a forced\nfailover) runs, "
		"checks that every acknowledged row is on the new primary,\n"
		"and reports the write gap, the time to promote, rows "
		"acknowledged and\nlost, replication lag and the states passed "
		"through. Refuses a formation\nthat is not healthy, paused or "
		"has a node in maintenance. Exit 1 when an\nacknowledged row "
		"is missing.",
	.flags = FLAGS(drill_flags),
	.run = drill_run,
};
