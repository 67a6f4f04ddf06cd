/*
 * cmd_show_monitors.c - `pgkeel show monitors`: which monitor is active
 * (holds the store's lease) since when, and which stand by.
 */
#include "cli/command.h"

#include <jansson.h>
#include <stdio.h>

#include "cli/nodeconf.h"
#include "common/exitcode.h"
#include "common/timeutil.h"
#include "store/storejson.h"

#define MAX_MONITORS 32

static void print_text(const StoreMonitor *m, size_t n)
{
	char since[64];

	printf("%-40s  %-12s  %-20s  %s\n", "Monitor", "Role", "Since", "Term");
	for (size_t i = 0; i < n; i++) {
		time_format_wall(m[i].since_ms, since, sizeof(since));
		printf("%-40s  %-12s  %-20s  %lld\n", m[i].holder,
		       m[i].active ? "active" : "standing by", since,
		       (long long)m[i].term);
	}
	if (n == 0)
		printf("(no monitor is running)\n");
}

static void print_json(const StoreMonitor *m, size_t n)
{
	json_t *list = json_array();

	for (size_t i = 0; list && i < n; i++)
		json_array_append_new(list, store_monitor_json(&m[i]));
	cli_print_json(list);
}

static int show_monitors_run(const Command *cmd, Flags *flags)
{
	Config cfg;
	StoreMonitor m[MAX_MONITORS];
	size_t n = 0;
	(void)cmd;

	Store *s = nodeconf_open_for_show(flags, &cfg);
	if (!s)
		return EXIT_STORE;
	if (!store_list_monitors(s, m, MAX_MONITORS, &n)) {
		int rc = nodeconf_store_failed(s);
		store_close(s);
		return rc;
	}
	store_close(s);
	if (flags_has(flags, "json"))
		print_json(m, n);
	else
		print_text(m, n);
	return EXIT_OK;
}

static const FlagDef monitors_flags[] = {
	FLAG_OF(S_PGDATA), FLAG_OF(S_MONITOR), FLAG_SWITCH("json", "print JSON")};

const Command show_monitors = {
	.name = "monitors",
	.summary = "the monitors: which is active since when, which stand by",
	.description =
		"Lists the monitors running on the formation's store: the "
		"one holding the lease (active, with its term and since when) "
		"and, on an etcd store, those standing by to take over.",
	.flags = FLAGS(monitors_flags),
	.run = show_monitors_run,
};
