/*
 * cmd_scheduled.c - scheduled operations: `perform switchover --at
 * TIME` and `perform restart --name N --at TIME` store the operation
 * (perform_schedule), `show scheduled [--json]` lists the pending ones,
 * `perform cancel ID` cancels one. The monitor carries each out at its
 * time (monitor_sched.c).
 */
#include "cli/command.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/nodeconf.h"
#include "cli/perform.h"
#include "common/exitcode.h"
#include "common/termtext.h"
#include "common/timeutil.h"

/* The operator's store and formation name; EXIT_OK or the exit code
 * after saying why. */
static int open_operator(const Flags *flags, Store **s, char *formation)
{
	Config cfg;
	char err[1024];

	*s = NULL;
	if (!nodeconf_load(flags, &cfg, false, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_BAD_CONFIG;
	}
	snprintf(formation, STORE_NAME_LEN, "%s", nodeconf_formation(&cfg));
	*s = nodeconf_open_store(&cfg, err, sizeof(err));
	if (*s)
		return EXIT_OK;
	fprintf(stderr, "%s: %s\n", cli_command_path(), err);
	return EXIT_STORE;
}

/* TIME of --at, checked: in the future. */
static int parse_at(const char *text, int64_t *at)
{
	int64_t now = time_wall_ms();

	if (!time_parse_at(text, now, at)) {
		fprintf(stderr, "%s: --at %s: expected a time with its zone "
				"(2026-11-30T16:05:00Z, 2026-11-30 17:05:00+01:00) "
				"or one from now (+90s, +5m, +1h)\n",
			cli_command_path(), text);
		return EXIT_USAGE;
	}
	if (*at <= now) {
		char when[40];
		fprintf(stderr, "%s: --at %s is in the past (%s); give a time "
				"to come\n",
			cli_command_path(), text,
			time_format_wall(*at, when, sizeof(when)));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* A switchover is refused at once where it would be when carried out:
 * a standby formation's primary is never switched over by request. */
static int refused_now(Store *s, const char *formation, const char *what)
{
	StoreFormation *f = calloc(1, sizeof(*f));
	int rc = EXIT_OK;

	if (strcmp(what, "switchover") != 0 || !f)
		goto out;
	if (!store_get_formation(s, formation, f))
		rc = nodeconf_store_failed(s);
	else if (f->standby_of[0]) {
		fprintf(stderr, "%s: formation %s is a standby formation of "
				"%s: its primary is never switched over by "
				"request; promote the formation first "
				"(`pgkeel perform promotion`)\n",
			cli_command_path(), formation, f->standby_of);
		rc = EXIT_REFUSED;
	}
out:
	free(f);
	return rc;
}

int perform_schedule(const Flags *flags, const char *what, const char *node)
{
	StoreScheduled op = {0};
	char formation[STORE_NAME_LEN], when[40];
	long long id;
	Store *s;
	int rc = parse_at(flags_get(flags, "at"), &op.at_ms);

	if (rc != EXIT_OK || (rc = open_operator(flags, &s, formation)))
		return rc;
	if ((rc = refused_now(s, formation, what)) != EXIT_OK) {
		store_close(s);
		return rc;
	}
	snprintf(op.what, sizeof(op.what), "%s", what);
	snprintf(op.node, sizeof(op.node), "%s", node ? node : "");
	if (!store_schedule(s, formation, &op, &id)) {
		rc = nodeconf_store_failed(s);
	} else {
		printf("%s%s%s scheduled for %s (id %lld): `pgkeel show "
		       "scheduled` lists it, `pgkeel perform cancel %lld` "
		       "cancels it\n",
		       what, node ? " of " : "", node ? node : "",
		       time_format_wall(op.at_ms, when, sizeof(when)), id, id);
	}
	store_close(s);
	return rc;
}

static json_t *op_json(const StoreScheduled *op)
{
	return json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)op->id,
			 "what", op->what, "node", op->node, "at_ms",
			 (json_int_t)op->at_ms);
}

static void print_ops(const StoreScheduled *ops, size_t n, bool json)
{
	json_t *arr = json_array();
	char when[40], node[256];

	if (!json)
		printf("%6s  %-10s %-12s %s\n", "Id", "What", "Node", "At");
	for (size_t i = 0; i < n; i++) {
		if (json) {
			json_array_append_new(arr, op_json(&ops[i]));
			continue;
		}
		printf("%6lld  %-10s %-12s %s\n", ops[i].id, ops[i].what,
		       termtext(ops[i].node[0] ? ops[i].node : "-", node,
				sizeof(node)),
		       time_format_wall(ops[i].at_ms, when, sizeof(when)));
	}
	if (json)
		cli_print_json(arr);
	else
		json_decref(arr);
}

static int show_scheduled_run(const Command *cmd, Flags *flags)
{
	Config cfg;
	StoreScheduled ops[STORE_MAX_SCHEDULED];
	size_t n = 0;
	(void)cmd;
	Store *s = nodeconf_open_for_show(flags, &cfg);

	if (!s)
		return EXIT_STORE;
	if (!store_list_scheduled(s, nodeconf_formation(&cfg), ops,
				  STORE_MAX_SCHEDULED, &n)) {
		int rc = nodeconf_store_failed(s);
		store_close(s);
		return rc;
	}
	print_ops(ops, n, flags_has(flags, "json"));
	store_close(s);
	return EXIT_OK;
}

/* Whether id is pending; EXIT_OK, or the exit code after saying why. */
static int check_pending(Store *s, const char *formation, long long id)
{
	StoreScheduled ops[STORE_MAX_SCHEDULED];
	size_t n = 0;

	if (!store_list_scheduled(s, formation, ops, STORE_MAX_SCHEDULED,
				  &n)) {
		return nodeconf_store_failed(s);
	}
	for (size_t i = 0; i < n; i++)
		if (ops[i].id == id)
			return EXIT_OK;
	fprintf(stderr, "%s: no pending scheduled operation %lld in formation "
			"%s (see pgkeel show scheduled)\n",
		cli_command_path(), id, formation);
	return EXIT_USAGE;
}

static int cancel_run(const Command *cmd, Flags *flags)
{
	char formation[STORE_NAME_LEN], *end;
	Store *s;
	(void)cmd;

	if (flags->nargs != 1) {
		fprintf(stderr, "%s: usage: pgkeel perform cancel ID\n",
			cli_command_path());
		return EXIT_USAGE;
	}
	long long id = strtoll(flags->args[0], &end, 10);
	if (*end || end == flags->args[0] || id <= 0) {
		fprintf(stderr, "%s: %s is not an id (a number from pgkeel "
				"show scheduled)\n",
			cli_command_path(), flags->args[0]);
		return EXIT_USAGE;
	}
	int rc = open_operator(flags, &s, formation);
	if (rc == EXIT_OK && (rc = check_pending(s, formation, id)) == EXIT_OK) {
		if (store_end_scheduled(s, formation, id, "cancelled",
					"by the operator")) {
			printf("scheduled operation %lld cancelled\n", id);
		} else {
			rc = nodeconf_store_failed(s);
		}
	}
	store_close(s);
	return rc;
}

static const FlagDef show_flags[] = {
	FLAG_OF(S_PGDATA), FLAG_OF(S_MONITOR), FLAG_OF(S_FORMATION),
	FLAG_SWITCH("json", "print JSON"),
};

const Command cmd_show_scheduled = {
	.name = "scheduled",
	.summary = "the operations scheduled for a time, not carried out yet",
	.flags = FLAGS(show_flags),
	.run = show_scheduled_run,
};

static const FlagDef cancel_flags[] = {
	FLAG_OF(S_PGDATA),
	FLAG_OF(S_MONITOR),
	FLAG_OF(S_FORMATION),
};

const Command cmd_perform_cancel = {
	.name = "cancel",
	.summary = "cancel a scheduled operation",
	.description = "ID is the operation's, as pgkeel show scheduled "
		       "lists it; a cancelled operation never happens.",
	.flags = FLAGS(cancel_flags),
	.run = cancel_run,
	.max_args = 1,
	.args_usage = "ID",
};
