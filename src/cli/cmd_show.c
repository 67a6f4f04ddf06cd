/*
 * cmd_show.c - `pgkeel show state|events|uri|settings|haproxy-config`
 * (and systemd, in cmd_show_systemd.c; pgbouncer-config, in
 * pgbouncerconf.c).
 */
#include "cli/command.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/haproxy.h"
#include "cli/nodeconf.h"
#include "cli/perform.h"
#include "cli/pgbouncerconf.h"
#include "cli/systemdunit.h"
#include "store/storejson.h"
#include "common/conninfo.h"
#include "common/exitcode.h"
#include "common/nodetags.h"
#include "common/rtsettings.h"
#include "common/sslconn.h"
#include "common/termtext.h"
#include "common/timeutil.h"
#include "monitor/monitor.h"


static void print_pending_restarts(const StoreFormation *f)
{
	bool any = false;
	for (size_t i = 0; i < f->nnodes; i++) {
		if (!f->nodes[i].report.pending_restart)
			continue;
		printf("%s%s", any ? ", " : "\nRestart pending: ",
		       f->nodes[i].name);
		any = true;
	}
	if (any)
		printf(" (apply with pgkeel perform restart --rolling)\n");
}

static void print_tags(const StoreFormation *f)
{
	char tags[64];
	bool any = false;
	for (size_t i = 0; i < f->nnodes; i++) {
		if (!f->nodes[i].tags)
			continue;
		printf("%s%s (%s)", any ? ", " : "\nTags: ", f->nodes[i].name,
		       node_tags_format(f->nodes[i].tags, tags, sizeof(tags)));
		any = true;
	}
	if (any)
		printf("\n");
}

/* A standby formation: its source, and which node is its leader. */
static void print_standby_of(const StoreFormation *f)
{
	const StoreNode *p = store_formation_primary(f);

	if (!f->standby_of[0])
		return;
	printf("\nStandby formation of %s\nStandby leader: %s (read-only, "
	       "streams from the source)\n",
	       f->standby_of, p ? p->name : "none");
}

static void print_state_table(const StoreFormation *f)
{
	char lsn[LSN_TEXT_LEN], hp[300];

	printf("%-12s %4s  %-21s %-12s %-9s %-17s %-17s\n", "Name", "Node",
	       "Host:Port", "LSN", "Reachable", "Current State",
	       "Assigned State");
	for (size_t i = 0; i < f->nnodes; i++) {
		const StoreNode *n = &f->nodes[i];
		snprintf(hp, sizeof(hp), "%s:%d", n->host, n->port);
		printf("%-12s %4d  %-21s %-12s %-9s %-17s %-17s\n", n->name,
		       n->id, hp, lsn_format(n->report.lsn, lsn, sizeof(lsn)),
		       n->reachable ? "yes" : "no", state_name(n->reported),
		       state_name(n->goal));
	}
	print_pending_restarts(f);
	print_tags(f);
	print_standby_of(f);
	if (f->paused)
		printf("\nFormation %s: paused: the monitor makes no decisions "
		       "and keepers leave Postgres alone\n",
		       f->name);
	else
		printf("\nFormation %s: %s\n", f->name, f->health);
}

typedef void (*FormationPrinter)(const StoreFormation *f, bool json);

/* Reads the formation the flags name and prints it with print. */
static int show_formation(const Flags *flags, FormationPrinter print)
{
	Config cfg;
	Store *s = nodeconf_open_for_show(flags, &cfg);
	StoreFormation *f = s ? nodeconf_read_formation(s, &cfg) : NULL;

	if (f)
		print(f, flags_has(flags, "json"));
	free(f);
	store_close(s);
	return f ? EXIT_OK : s ? EXIT_FAILED : EXIT_STORE;
}

static void print_state(const StoreFormation *f, bool json)
{
	if (!json) {
		print_state_table(f);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < f->nnodes; i++)
		json_array_append_new(arr, store_node_json(f, &f->nodes[i]));
	cli_print_json(arr);
}

static int show_state_run(const Command *cmd, Flags *flags)
{
	(void)cmd;
	return show_formation(flags, print_state);
}

static int show_events_run(const Command *cmd, Flags *flags)
{
	Config cfg;
	int count = flags_get_int(flags, "count", 20);
	StoreEvent *ev = calloc((size_t)count, sizeof(StoreEvent));
	size_t n = 0;
	char when[40];
	(void)cmd;
	Store *s = ev ? nodeconf_open_for_show(flags, &cfg) : NULL;

	if (!s || !store_events(s, nodeconf_formation(&cfg), count, ev, &n)) {
		if (s)
			fprintf(stderr, "show events: %s\n", s->error);
		store_close(s);
		free(ev);
		return EXIT_STORE;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		time_format_wall(ev[i].time_ms, when, sizeof(when));
		if (!flags_has(flags, "json")) {
			char name[256], desc[2048];
			printf("%s  %-10s %17s -> %-17s %s\n", when,
			       termtext(ev[i].node_name, name, sizeof(name)),
			       ev[i].old_state, ev[i].new_state,
			       termtext(ev[i].description, desc,
					sizeof(desc)));
			continue;
		}
		json_array_append_new(arr, store_event_json(&ev[i]));
	}
	if (flags_has(flags, "json"))
		cli_print_json(arr);
	else
		json_decref(arr);
	store_close(s);
	free(ev);
	return EXIT_OK;
}

/* A value in force as JSON: a bool, a number, or as text (tags, a
 * duration, a node's name). */
static json_t *setting_json(const StoreFormation *f, const char *node,
			    const RuntimeSettingDef *d, int v)
{
	char text[STORE_URI_LEN];

	if (d->spec.type == VAL_BOOL)
		return json_boolean(v);
	if (d->spec.type == VAL_INT)
		return json_integer(v);
	store_runtime_text(f, node, d->id, text, sizeof(text));
	return json_string(text);
}

/* The run-time settings of one scope (common/rtsettings.h) into obj. */
static void settings_json(const StoreFormation *f, const char *node,
			  RuntimeScope scope, json_t *obj)
{
	int v;

	for (int id = 0; id < RS_COUNT; id++) {
		const RuntimeSettingDef *d = runtime_setting(id);
		if (d->scope != scope || !store_runtime_value(f, node, id, &v))
			continue;
		json_object_set_new(obj, runtime_setting_key(d),
				    setting_json(f, node, d, v));
	}
}

static void print_settings_json(const StoreFormation *f)
{
	json_t *top = json_pack("{s:s}", "formation", f->name);
	json_t *nodes = json_array();
	json_t *params = json_object();
	json_t *slots = json_object();

	settings_json(f, "", RS_FORMATION, top);
	for (size_t i = 0; i < f->nnodes; i++) {
		json_t *n = json_pack("{s:s, s:i}", "name", f->nodes[i].name,
				      "node_id", f->nodes[i].id);
		settings_json(f, f->nodes[i].name, RS_NODE, n);
		json_array_append_new(nodes, n);
	}
	for (size_t i = 0; i < f->nparams; i++)
		json_object_set_new(params, f->params[i].name,
				    json_string(f->params[i].value));
	for (size_t i = 0; i < f->nslots; i++) {
		if (!f->slots[i].removed)
			json_object_set_new(slots, f->slots[i].name,
					    json_string(f->slots[i].kind));
	}
	json_object_set_new(top, "nodes", nodes);
	json_object_set_new(top, "postgresql", params);
	json_object_set_new(top, "slots", slots);
	cli_print_json(top);
}

/* A node setting's column title: "candidate_priority" as
 * "Candidate Priority". */
static void column_title(const RuntimeSettingDef *d, char *buf, size_t len)
{
	snprintf(buf, len, "%s", runtime_setting_key(d));
	for (size_t i = 0; buf[i]; i++) {
		if (buf[i] == '_')
			buf[i] = ' ';
		if (i == 0 || buf[i - 1] == ' ')
			buf[i] = (char)toupper((unsigned char)buf[i]);
	}
}

/* One line of the node table: the titles (n NULL) or n's values; every
 * column but the last is padded to its title's width. */
static void print_node_columns(const StoreFormation *f, const StoreNode *n)
{
	char text[64];
	int last = -1;
	bool first = true;

	for (int id = 0; id < RS_COUNT; id++)
		last = runtime_setting(id)->scope == RS_NODE ? id : last;
	for (int id = 0; id < RS_COUNT; id++) {
		const RuntimeSettingDef *d = runtime_setting(id);
		if (d->scope != RS_NODE)
			continue;
		if (!n || !store_runtime_text(f, n->name, id, text,
					      sizeof(text)))
			column_title(d, text, sizeof(text));
		printf("%s%-*s", first ? "  " : " ", id == last ? 0 : 18, text);
		first = false;
	}
	printf("\n");
}

static void print_settings(const StoreFormation *f, bool json)
{
	char text[STORE_URI_LEN];

	if (json) {
		print_settings_json(f);
		return;
	}
	printf("Formation %s\n", f->name);
	for (int id = 0; id < RS_COUNT; id++) {
		const RuntimeSettingDef *d = runtime_setting(id);
		if (d->scope != RS_FORMATION ||
		    !store_runtime_text(f, "", id, text, sizeof(text)))
			continue;
		printf("  %-22s%s\n", runtime_setting_key(d), text);
	}
	printf("\n%-12s %4s", "Name", "Node");
	print_node_columns(f, NULL);
	for (size_t i = 0; i < f->nnodes; i++) {
		printf("%-12s %4d", f->nodes[i].name, f->nodes[i].id);
		print_node_columns(f, &f->nodes[i]);
	}
	if (f->nparams > 0)
		printf("\nPostgres parameters of the formation\n");
	for (size_t i = 0; i < f->nparams; i++)
		printf("  postgresql.%-28s %s\n", f->params[i].name,
		       f->params[i].value);
	for (size_t i = 0; i < f->nslots && !f->slots[i].removed; i++)
		printf("%s  slots.%-33s %s\n",
		       i == 0 ? "\nPermanent replication slots\n" : "",
		       f->slots[i].name, f->slots[i].kind);
}

static int show_settings_run(const Command *cmd, Flags *flags)
{
	(void)cmd;
	return show_formation(flags, print_settings);
}

/* The primary's synchronous_standby_names, as the monitor assigned it. */
static void print_standby_names(const StoreFormation *f, bool json)
{
	const StoreNode *p = store_formation_primary(f);
	const char *names = p ? p->sync_names : "";

	if (json) {
		cli_print_json(json_pack("{s:s, s:s?, s:s}", "formation", f->name,
				     "primary", p ? p->name : NULL,
				     "standby_names", names));
	} else if (!p) {
		printf("no primary assigned in formation %s\n", f->name);
	} else {
		printf("%s\n", *names ? names
				     : "(empty: commits on the primary do not "
				       "wait for a standby)");
	}
}

static int show_standby_names_run(const Command *cmd, Flags *flags)
{
	(void)cmd;
	return show_formation(flags, print_standby_names);
}

static int show_uri_run(const Command *cmd, Flags *flags)
{
	Config cfg;
	char err[1024];
	char *uri = NULL;
	(void)cmd;

	if (flags_has(flags, "monitor")) {
		if (!nodeconf_load(flags, &cfg, true, err, sizeof(err))) {
			fprintf(stderr, "show uri: %s\n", err);
			return EXIT_BAD_CONFIG;
		}
		const char *role = config_get(&cfg, S_ROLE);
		uri = strcmp(role, "monitor") == 0
			      ? monitor_uri(&cfg)
			      : strdup(config_get(&cfg, S_MONITOR));
	} else {
		Store *s = nodeconf_open_for_show(flags, &cfg);
		StoreFormation *f = s ? nodeconf_read_formation(s, &cfg) : NULL;
		const char *name = flags_get(flags, "node");
		const StoreNode *n = name ? store_formation_node_named(f, name)
					  : NULL;
		if (f && name && !n)
			fprintf(stderr, "show uri: formation %s has no node "
				"named %s\n", f->name, name);
		uri = !f || (name && !n) ? NULL
		      : n		 ? nodeconf_node_uri(n, &cfg)
					 : nodeconf_formation_uri(f, &cfg);
		free(f);
		store_close(s);
		if (!uri)
			return name && s ? EXIT_FAILED : EXIT_STORE;
	}
	if (flags_has(flags, "json")) {
		cli_print_json(json_pack("{s:s, s:s}", "formation",
				     nodeconf_formation(&cfg), "uri", uri));
	} else {
		printf("%s\n", uri);
	}
	free(uri);
	return EXIT_OK;
}

#define WHERE_FLAGS                                                       \
	FLAG_OF(S_PGDATA), FLAG_OF(S_MONITOR), FLAG_OF(S_FORMATION),      \
		FLAG_SWITCH("json", "print JSON")

static const FlagDef state_flags[] = {WHERE_FLAGS};

static const Command show_state = {
	.name = "state",
	.summary = "nodes, their states and the formation's health",
	.flags = FLAGS(state_flags),
	.run = show_state_run,
};

static const FlagDef events_flags[] = {
	WHERE_FLAGS,
	FLAG_VALUE("count", "N", "how many of the latest events (default 20)",
		   VAL_INT, 1, 100000, NULL),
};

static const Command show_events = {
	.name = "events",
	.summary = "what happened, newest last",
	.flags = FLAGS(events_flags),
	.run = show_events_run,
};

static const FlagDef uri_flags[] = {
	FLAG_OF(S_PGDATA),
	FLAG_OF(S_FORMATION),
	FLAG_SWITCH("json", "print JSON"),
	FLAG_SWITCH("monitor", "print the monitor's URI (for create postgres)"),
	FLAG_VALUE("node", "NAME", "that node's own URI (no failover)",
		   VAL_STRING, 0, 0, NULL),
};

static const Command show_uri = {
	.name = "uri",
	.summary = "connection URIs: the formation's, or the monitor's",
	.flags = FLAGS(uri_flags),
	.run = show_uri_run,
};

static const FlagDef settings_flags[] = {WHERE_FLAGS};

static const Command show_settings = {
	.name = "settings",
	.summary = "run-time settings of the formation and its nodes",
	.flags = FLAGS(settings_flags),
	.run = show_settings_run,
};

static const FlagDef standby_names_flags[] = {WHERE_FLAGS};

static const Command show_standby_names = {
	.name = "standby-names",
	.summary = "the primary's synchronous_standby_names",
	.flags = FLAGS(standby_names_flags),
	.run = show_standby_names_run,
};

static const Command *const show_subs[] = {
	&show_state, &show_events, &show_uri, &show_settings,
	&show_standby_names, &show_haproxy, &show_systemd, &show_pgbouncer,
	&show_monitors, &cmd_show_scheduled, NULL};

const Command cmd_show = {
	.name = "show",
	.summary = "show the formation's state, events, URIs and settings",
	.subs = show_subs,
};
