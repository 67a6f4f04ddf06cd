/*
 * storemigrate.c - `pgkeel store migrate`: every formation of a
 * monitor's own Postgres store copied into an empty etcd store, paused
 * first so that no decision is made meanwhile (docs/etcd.md, "Moving
 * from the postgres store").
 */
#include "cli/storemove.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/command.h"
#include "common/exitcode.h"
#include "common/timeutil.h"
#include "monitor/monitor.h"

#define MAX_MOVED 64

typedef struct {
	Store *from, *to;
	char names[MAX_MOVED][STORE_NAME_LEN];
	size_t n;
	StoreFormation *f, *again;
	int64_t settle_ms;
} Move;

static int fail(const Store *s, const char *what, int code)
{
	fprintf(stderr, "%s: %s: %s\n", cli_command_path(), what, s->error);
	return code;
}

/* The target must hold no formation: a move never merges stores. */
static int check_target(Move *m, const char *to)
{
	char names[MAX_MOVED][STORE_NAME_LEN];
	size_t n;

	if (!store_list_formations(m->to, names, MAX_MOVED, &n))
		return fail(m->to, to, EXIT_STORE);
	if (n == 0)
		return EXIT_OK;
	fprintf(stderr,
		"%s: %s already holds formation %s: migrate into an etcd "
		"prefix that holds none (a new /PREFIX in the URI); nothing "
		"was changed\n",
		cli_command_path(), to, names[0]);
	return EXIT_REFUSED;
}

/* A pending switchover or failover would be lost on the way. */
static int check_sources(Move *m)
{
	if (!store_list_formations(m->from, m->names, MAX_MOVED, &m->n))
		return fail(m->from, "the monitor's store", EXIT_STORE);
	for (size_t i = 0; i < m->n; i++) {
		if (!store_get_formation(m->from, m->names[i], m->f))
			return fail(m->from, m->names[i], EXIT_STORE);
		if (m->f->switchover_to < 0 && !m->f->failover_requested)
			continue;
		fprintf(stderr,
			"%s: formation %s has a switchover or failover under "
			"way: migrate once it is done; nothing was changed\n",
			cli_command_path(), m->names[i]);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

static bool same_goals(const StoreFormation *a, const StoreFormation *b)
{
	if (a->nnodes != b->nnodes)
		return false;
	for (size_t i = 0; i < a->nnodes; i++) {
		const StoreNode *x = &a->nodes[i], *y = &b->nodes[i];
		if (x->id != y->id || x->goal != y->goal ||
		    x->upstream_id != y->upstream_id ||
		    strcmp(x->sync_names, y->sync_names) != 0)
			return false;
	}
	return true;
}

/* The paused formation once two reads settle_ms apart agree: a
 * decision the monitor made before it saw the pause is in it. */
static bool settled(Move *m, const char *name)
{
	if (!store_get_formation(m->from, name, m->f))
		return false;
	for (int i = 0; i < 20; i++) {
		time_sleep_ms(m->settle_ms);
		if (!store_get_formation(m->from, name, m->again))
			return false;
		bool same = same_goals(m->f, m->again);
		*m->f = *m->again;
		if (same)
			return true;
	}
	snprintf(m->from->error, sizeof(m->from->error),
		 "the formation's goals keep changing while paused");
	return false;
}

static int move_all(Move *m)
{
	int64_t last;

	for (size_t i = 0; i < m->n; i++) {
		if (!store_set_setting(m->from, m->names[i], NULL,
				       "formation.paused", "true"))
			return fail(m->from, m->names[i], EXIT_FAILED);
		printf("formation %s paused\n", m->names[i]);
	}
	if (!store_last_node_id(m->from, &last))
		return fail(m->from, "the node id counter", EXIT_STORE);
	for (size_t i = 0; i < m->n; i++) {
		if (!settled(m, m->names[i]))
			return fail(m->from, m->names[i], EXIT_FAILED);
		if (!store_import(m->to, m->f, last))
			return fail(m->to, m->names[i],
				    m->to->failure == STORE_REFUSED
					    ? EXIT_REFUSED
					    : EXIT_STORE);
		printf("formation %s copied with its %zu nodes\n",
		       m->names[i], m->f->nnodes);
	}
	return EXIT_OK;
}

static void print_next(const char *to)
{
	printf("\nEvery formation stays paused. Next, on each data node:\n"
	       "  pgkeel store switch --pgdata NODE_DIR --to '%s'\n"
	       "then start monitors on the etcd store (pgkeel create monitor "
	       "--store ... --run),\ncheck `pgkeel show state --monitor "
	       "'%s'`, unpause with\n`pgkeel config set formation.paused "
	       "false --monitor '%s'`\nand stop this monitor "
	       "(docs/etcd.md).\n",
	       to, to, to);
}

int storemove_migrate(const Config *cfg, const char *to)
{
	char err[1024];
	Move m = {.settle_ms = 2 * config_get_ms(cfg, S_MONITOR_INTERVAL)};
	int rc = EXIT_STORE;

	m.f = calloc(1, sizeof(StoreFormation));
	m.again = calloc(1, sizeof(StoreFormation));
	m.from = m.f && m.again ? monitor_open_store(cfg, false, err,
						     sizeof(err))
			       : NULL;
	m.to = m.from ? store_open(to, NULL,
				   (int)config_get_ms(cfg, S_STORE_TIMEOUT),
				   err, sizeof(err))
		      : NULL;
	if (!m.to)
		fprintf(stderr, "%s: %s\n", cli_command_path(),
			m.f && m.again ? err : "out of memory");
	else if ((rc = check_target(&m, to)) == EXIT_OK &&
		 (rc = check_sources(&m)) == EXIT_OK &&
		 (rc = move_all(&m)) == EXIT_OK)
		print_next(to);
	store_close(m.to);
	store_close(m.from);
	free(m.f);
	free(m.again);
	return rc;
}
