/*
 * cmd_config.c - `pgkeel config get|set|unset NAME [VALUE]`: run-time
 * settings kept in the store and applied without restarting anything:
 * the ones of common/rtsettings.h, and formation-wide Postgres
 * parameters, postgresql.NAME, and permanent replication slots,
 * slots.NAME (cfgslot.c). The help's list of settings is held to
 * that table by a unit test (tests/unit/test_rtsettings.c).
 */
#include "cli/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cfgslot.h"
#include "cli/nodeconf.h"
#include "common/exitcode.h"
#include "common/rtsettings.h"
#include "common/slotdecl.h"

static int refuse_name(const char *name)
{
	char names[512];

	runtime_setting_names("postgresql.NAME", names, sizeof(names));
	fprintf(stderr,
		"%s: unknown setting \"%s\"; run-time settings are %s; "
		"and backup.pgbackrest_stanza, slots.NAME\n",
		cli_command_path(), name, names);
	return EXIT_USAGE;
}

static bool is_pg_param(const char *name)
{
	return strncmp(name, "postgresql.", 11) == 0 && name[11] != '\0';
}

static bool is_backup_setting(const char *name)
{
	return strcmp(name, "backup.pgbackrest_stanza") == 0;
}

/* config get|set|unset backup.pgbackrest_stanza (docs/pgbackrest.md) */
static int run_backup(Store *s, const char *formation, const char *verb,
		      const char *name, const char *value)
{
	StoreFormation *f = calloc(1, sizeof(StoreFormation));
	bool get = strcmp(verb, "get") == 0;
	bool ok = f && (get ? store_get_formation(s, formation, f)
			    : store_set_backup(s, formation, name, value));
	if (!ok)
		fprintf(stderr, "%s: %s\n", cli_command_path(),
			f ? s->error : "out of memory");
	else if (get)
		printf("%s\n", f->pgbackrest_stanza);
	else if (value)
		printf("%s = %s\nEvery node archives to it once restarted "
		       "(archive_mode): pgkeel perform restart --rolling\n",
		       name, value);
	else
		printf("%s unset\n", name);
	free(f);
	return ok ? EXIT_OK : get || !f ? EXIT_FAILED : nodeconf_store_exit(s);
}

/* config get postgresql.NAME: the formation's value, exit 1 if unset. */
static int get_pg_param(Store *s, const char *formation, const char *name)
{
	StoreFormation *f = calloc(1, sizeof(StoreFormation));
	int rc = EXIT_FAILED;

	if (!f || !store_get_formation(s, formation, f)) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), s->error);
		free(f);
		return EXIT_STORE;
	}
	for (size_t i = 0; i < f->nparams; i++) {
		if (strcmp(f->params[i].name, name + 11) == 0) {
			printf("%s\n", f->params[i].value);
			rc = EXIT_OK;
		}
	}
	if (rc != EXIT_OK)
		fprintf(stderr, "%s: %s is not set for formation %s (each "
				"node uses its own postgresql.conf)\n",
			cli_command_path(), name, formation);
	free(f);
	return rc;
}

/* config set|unset postgresql.NAME [VALUE] */
static int set_pg_param(Store *s, const char *formation, const char *name,
			const char *value)
{
	char context[64];

	if (!store_set_pg_param(s, formation, name + 11, value, context,
				sizeof(context))) {
		return nodeconf_store_failed(s);
	}
	if (value)
		printf("%s = %s\n", name, value);
	else
		printf("%s unset\n", name);
	if (strcmp(context, "postmaster") == 0)
		printf("Every node applies it at its next restart; pgkeel show "
		       "state lists nodes with a restart pending; apply it "
		       "with: pgkeel perform restart --rolling\n");
	else
		printf("Every node applies it with a reload.\n");
	return EXIT_OK;
}

static int run_pg_param(Store *s, const char *formation, const char *verb,
			Flags *flags)
{
	const char *name = flags->args[0];
	if (slotdecl_is_setting(name))
		return cfgslot_run(s, formation, verb, name,
				   flags->nargs > 1 ? flags->args[1] : NULL);
	if (strcmp(verb, "get") == 0)
		return get_pg_param(s, formation, name);
	return set_pg_param(s, formation, name,
			    strcmp(verb, "set") == 0 ? flags->args[1] : NULL);
}

/* The node a node.* setting is about: --name, or the --pgdata node. */
static const char *node_of(const Config *cfg, const RuntimeSettingDef *rs)
{
	if (rs->scope != RS_NODE)
		return "";
	return config_is_set(cfg, S_NAME) ? config_get(cfg, S_NAME) : NULL;
}

static bool current_value(const StoreFormation *f, const char *node,
			  const RuntimeSettingDef *rs, char *buf, size_t len)
{
	return store_runtime_text(f, node, rs->id, buf, len);
}

static int with_store(const Config *cfg, const char *verb, Flags *flags)
{
	char err[1024];
	Store *s = nodeconf_open_store(cfg, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_STORE;
	}
	int rc = is_backup_setting(flags->args[0])
			 ? run_backup(s, nodeconf_formation(cfg), verb,
				      flags->args[0],
				      strcmp(verb, "set") == 0 ? flags->args[1]
							       : NULL)
			 : run_pg_param(s, nodeconf_formation(cfg), verb, flags);
	store_close(s);
	return rc;
}

static int run_config(const Command *cmd, Flags *flags)
{
	Config cfg;
	char err[1024], value[STORE_URI_LEN];
	bool get = strcmp(cmd->name, "get") == 0;
	bool set = strcmp(cmd->name, "set") == 0;

	if (flags->nargs != (set ? 2 : 1)) {
		fprintf(stderr, "%s: usage: pgkeel config %s %s\n",
			cli_command_path(), cmd->name, cmd->args_usage);
		return EXIT_USAGE;
	}
	const char *name = flags->args[0];
	const RuntimeSettingDef *rs = runtime_setting_find(name);
	if (!rs && !is_pg_param(name) && !is_backup_setting(name) &&
	    !slotdecl_is_setting(name))
		return refuse_name(name);
	if (!nodeconf_load(flags, &cfg, false, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_BAD_CONFIG;
	}
	if (!rs)
		return with_store(&cfg, cmd->name, flags);
	const char *node = node_of(&cfg, rs);
	if (!node) {
		fprintf(stderr, "%s: %s needs the node: --name NAME\n",
			cli_command_path(), name);
		return EXIT_USAGE;
	}
	Store *s = nodeconf_open_store(&cfg, err, sizeof(err));
	StoreFormation *f = calloc(1, sizeof(StoreFormation));
	int rc = EXIT_OK;
	if (!s || !f) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		rc = EXIT_STORE;
	} else if (get) {
		if (store_get_formation(s, nodeconf_formation(&cfg), f) &&
		    current_value(f, node, rs, value, sizeof(value))) {
			printf("%s\n", value);
		} else {
			fprintf(stderr, "%s: %s\n", cli_command_path(),
				f->name[0] ? "no such node" : s->error);
			rc = EXIT_FAILED;
		}
	} else if (!store_set_setting(s, nodeconf_formation(&cfg), node, name,
				      set ? flags->args[1] : rs->defval)) {
		rc = nodeconf_store_failed(s);
	} else {
		printf("%s = %s\n", name, set ? flags->args[1] : rs->defval);
	}
	free(f);
	store_close(s);
	return rc;
}

static const FlagDef config_flags[] = {
	FLAG_OF(S_PGDATA), FLAG_OF(S_MONITOR), FLAG_OF(S_FORMATION),
	FLAG_OF(S_NAME)};

static const Command cfg_get = {
	.name = "get", .summary = "print a run-time setting",
	.flags = FLAGS(config_flags), .run = run_config, .max_args = 1,
	.args_usage = "NAME"};
static const Command cfg_set = {
	.name = "set", .summary = "change a run-time setting",
	.flags = FLAGS(config_flags), .run = run_config, .max_args = 2,
	.args_usage = "NAME VALUE"};
static const Command cfg_unset = {
	.name = "unset", .summary = "reset a run-time setting to its default",
	.flags = FLAGS(config_flags), .run = run_config, .max_args = 1,
	.args_usage = "NAME"};

static const Command *const config_subs[] = {&cfg_get, &cfg_set, &cfg_unset,
					     &cmd_config_check, NULL};

const Command cmd_config = {
	.name = "config",
	.summary = "get and set run-time settings of a formation and its nodes",
	.description =
		"Run-time settings live in the store and apply without "
		"restarting anything:\n"
		"  formation.number_sync_standbys  0..16 (default 1)\n"
		"  formation.strict_sync           true|false (default false)\n"
		"  formation.paused                true|false (default false)\n"
		"  node.candidate_priority         0..100 (default 50), with "
		"--name\n"
		"  node.replication_quorum         true|false (default true), "
		"with --name\n"
		"  node.tags                       nofailover,noloadbalance "
		"(default none), with --name\n"
		"  node.replicate_from             a node's name (default "
		"none), with --name\n"
		"  node.apply_delay                0ms..1440min (default 0), "
		"with --name\n"
		"  formation.standby_of            a URI (default none)\n"
		"  backup.pgbackrest_stanza        the pgBackRest stanza every "
		"node archives to\n"
		"                                  (docs/pgbackrest.md; "
		"needs a restart)\n"
		"  postgresql.NAME                 a Postgres parameter for "
		"every node of the\n"
		"                                  formation: a reload applies "
		"it, or a restart\n"
		"                                  (pgkeel perform restart "
		"--rolling)\n"
		"  slots.NAME                      physical: a replication slot "
		"on the primary,\n"
		"                                  with a copy on every standby "
		"kept at the\n"
		"                                  primary's position (unset "
		"drops it)",
	.subs = config_subs,
};
