/*
 * cmd_admin.c - taking a node out of service: `pgkeel enable|disable
 * maintenance` and `pgkeel drop node`.
 */
#include "cli/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/nodeconf.h"
#include "cli/nodedestroy.h"
#include "common/exitcode.h"
#include "common/timeutil.h"

/* Waits until the node's current and goal state are `want` (or, with
 * want == NS_COUNT, a standby state). */
static int wait_node(Store *s, const char *formation, const char *name,
		     NodeState want)
{
	StoreFormation *f = calloc(1, sizeof(StoreFormation));
	int64_t deadline = time_monotonic_ms() + 120000;

	while (f && time_monotonic_ms() < deadline) {
		const StoreNode *n =
			store_get_formation(s, formation, f)
				? store_formation_node_named(f, name)
				: NULL;
		if (n && n->goal == n->reported &&
		    (want == NS_COUNT ? state_is_standby(n->goal)
				      : n->goal == want)) {
			printf("%s is %s\n", name, state_name(n->goal));
			free(f);
			return EXIT_OK;
		}
		time_sleep_ms(100);
	}
	free(f);
	fprintf(stderr, "%s: %s did not get there in 120 s; see `pgkeel show "
			"events`\n",
		cli_command_path(), name);
	return EXIT_TIMEOUT;
}

/* A primary hands over first; without an in-sync standby it cannot. */
static int start_maintenance(Store *s, const StoreFormation *f,
			     const StoreNode *n)
{
	if (state_is_primary(n->goal)) {
		if (!store_request(s, f->name, "switchover", "")) {
			fprintf(stderr, "%s: %s is the primary and cannot hand "
					"over: %s\n",
				cli_command_path(), n->name, s->error);
			return nodeconf_store_exit(s);
		}
		printf("%s is the primary: switching over first\n", n->name);
	} else if (!state_is_standby(n->goal) && n->goal != NS_MAINTENANCE) {
		fprintf(stderr, "%s: %s is %s; only a standby or the primary "
				"can enter maintenance\n",
			cli_command_path(), n->name, state_name(n->goal));
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

/* The node a command is about (--name, or --pgdata's node), its
 * formation and the store; an exit code after a message on failure. */
typedef struct {
	Store *store;
	StoreFormation *f;
	const StoreNode *node;
	char name[STORE_NAME_LEN];
} NamedNode;

static int open_named_node(const Flags *flags, NamedNode *nn)
{
	Config cfg;
	char err[1024];

	memset(nn, 0, sizeof(*nn));
	if (!nodeconf_load(flags, &cfg, false, err, sizeof(err)) ||
	    !config_is_set(&cfg, S_NAME)) {
		fprintf(stderr, "%s: %s\n", cli_command_path(),
			config_is_set(&cfg, S_NAME)
				? err
				: "name the node: --name NAME, or --pgdata of "
				  "a data node");
		return EXIT_USAGE;
	}
	snprintf(nn->name, sizeof(nn->name), "%s", config_get(&cfg, S_NAME));
	nn->store = nodeconf_open_store(&cfg, err, sizeof(err));
	nn->f = calloc(1, sizeof(StoreFormation));
	if (!nn->store || !nn->f ||
	    !store_get_formation(nn->store, nodeconf_formation(&cfg), nn->f)) {
		fprintf(stderr, "%s: %s\n", cli_command_path(),
			nn->store ? nn->store->error : err);
		return EXIT_STORE;
	}
	nn->node = store_formation_node_named(nn->f, nn->name);
	if (!nn->node) {
		fprintf(stderr, "%s: no node named \"%s\" in formation %s\n",
			cli_command_path(), nn->name, nn->f->name);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static void close_named_node(NamedNode *nn)
{
	free(nn->f);
	store_close(nn->store);
}

static int run_maintenance(Flags *flags, bool on)
{
	NamedNode nn;
	int rc = open_named_node(flags, &nn);
	Store *s = nn.store;
	const StoreFormation *f = nn.f;
	const StoreNode *n = nn.node;
	const char *name = nn.name;

	if (rc != EXIT_OK)
		goto out;
	rc = on ? start_maintenance(s, f, n) : EXIT_OK;
	if (rc != EXIT_OK)
		goto out;
	if (!store_set_maintenance(s, f->name, name, on)) {
		rc = nodeconf_store_failed(s);
		goto out;
	}
	rc = wait_node(s, f->name, name, on ? NS_MAINTENANCE : NS_COUNT);
out:
	close_named_node(&nn);
	return rc;
}

static int run_enable_maintenance(const Command *cmd, Flags *flags)
{
	(void)cmd;
	return run_maintenance(flags, true);
}

static int run_disable_maintenance(const Command *cmd, Flags *flags)
{
	(void)cmd;
	return run_maintenance(flags, false);
}

#define NODE_FLAGS                                                        \
	FLAG_OF(S_PGDATA), FLAG_OF(S_MONITOR), FLAG_OF(S_FORMATION),      \
		FLAG_OF(S_NAME)

static const FlagDef maintenance_flags[] = {NODE_FLAGS};

static const Command enable_maintenance = {
	.name = "maintenance",
	.summary = "take a node out of service for operator work",
	.description =
		"Takes the node out of the synchronous set and out of the "
		"failover candidates;\npgkeel then leaves its Postgres alone. "
		"A primary first hands over with a\nswitchover. Waits until "
		"the node is in maintenance.",
	.flags = FLAGS(maintenance_flags),
	.run = run_enable_maintenance,
};

static const Command disable_maintenance = {
	.name = "maintenance",
	.summary = "bring a node back from maintenance",
	.description = "The node follows the primary again and catches up. "
		       "Waits until it is a standby.",
	.flags = FLAGS(maintenance_flags),
	.run = run_disable_maintenance,
};

static const Command *const enable_subs[] = {&enable_maintenance, NULL};
static const Command *const disable_subs[] = {&disable_maintenance, NULL};

const Command cmd_enable = {
	.name = "enable",
	.summary = "enable maintenance",
	.subs = enable_subs,
};

const Command cmd_disable = {
	.name = "disable",
	.summary = "disable maintenance",
	.subs = disable_subs,
};

static const FlagDef drop_flags[] = {
	NODE_FLAGS,
	FLAG_SWITCH("destroy", "also delete the node's data directory"),
};

static bool has_other_nodes(const StoreFormation *f, const StoreNode *n)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		if (&f->nodes[i] != n && f->nodes[i].goal != NS_DROPPED)
			return true;
	}
	return false;
}

/* Waits until the node's row left the store. */
static int wait_gone(Store *s, const char *formation, const char *name)
{
	StoreFormation *f = calloc(1, sizeof(StoreFormation));
	int64_t deadline = time_monotonic_ms() + 120000;

	while (f && time_monotonic_ms() < deadline) {
		if (store_get_formation(s, formation, f) &&
		    !store_formation_node_named(f, name)) {
			printf("%s dropped\n", name);
			free(f);
			return EXIT_OK;
		}
		time_sleep_ms(100);
	}
	free(f);
	fprintf(stderr, "%s: %s is not gone after 120 s\n", cli_command_path(),
		name);
	return EXIT_TIMEOUT;
}

static int run_drop(const Command *cmd, Flags *flags)
{
	(void)cmd;

	bool destroy = flags_has(flags, "destroy");
	const char *pgdata = flags_get(flags, "pgdata");
	NamedNode nn;
	int rc = open_named_node(flags, &nn);
	Store *s = nn.store;
	const StoreFormation *f = nn.f;
	const StoreNode *n = nn.node;
	const char *name = nn.name;

	if (rc == EXIT_OK && destroy)
		rc = node_destroy_check(pgdata, n->id, n->name);
	if (rc != EXIT_OK)
		goto out;
	if (state_is_primary(n->goal) && has_other_nodes(f, n)) {
		rc = start_maintenance(s, f, n); /* switches over first */
		if (rc == EXIT_OK)
			rc = wait_node(s, f->name, name, NS_COUNT);
		if (rc != EXIT_OK)
			goto out;
	}
	if (!store_drop_node(s, f->name, name)) {
		rc = nodeconf_store_failed(s);
		goto out;
	}
	rc = wait_gone(s, f->name, name);
	if (rc == EXIT_OK && destroy)
		rc = node_destroy(pgdata);
out:
	close_named_node(&nn);
	return rc;
}

static const Command drop_node = {
	.name = "node",
	.summary = "remove a node from its formation",
	.description =
		"Removes the node: its keeper stops Postgres and exits, the "
		"primary drops its\nslot and pg_hba entry, and it leaves the "
		"synchronous set. A primary first\nhands over with a "
		"switchover (refused when no standby is in sync). The data\n"
		"directory is kept.",
	.flags = FLAGS(drop_flags),
	.run = run_drop,
};

static const Command *const drop_subs[] = {&drop_node, NULL};

const Command cmd_drop = {
	.name = "drop",
	.summary = "remove a node",
	.subs = drop_subs,
};
