/*
 * storeswitch.c - `pgkeel store switch`: a data node moves to another
 * store that holds its formation already (`pgkeel store migrate`): its
 * pgkeel.monitor becomes its own URI of that store (with etcd's
 * authentication, its own user, whose password replaces the old one in
 * its store.pgpass), and its running keeper, told by SIGHUP, reports
 * there from its next cycle while its Postgres runs on (docs/etcd.md,
 * "Moving from the postgres store").
 */
#include "cli/storemove.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/command.h"
#include "common/exitcode.h"
#include "common/nodepaths.h"
#include "common/passfile.h"
#include "common/pidfile.h"
#include "common/timeutil.h"
#include "keeper/keeper.h"
#include "keeper/statefile.h"
#include "store/store_identity.h"

typedef struct {
	NodePaths paths;
	KeeperState st;
	Config next;   /* cfg with the new URI */
	Store *op;     /* the new store, with the operator's URI */
	Store *store;  /* ... with the node's own */
	StoreFormation *f;
	int64_t seq;   /* the node's report_seq there before the signal */
	char pass[1300]; /* its new passfile, until it replaces the old */
} Switch;

static int say(int code, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s: ", cli_command_path());
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return code;
}

static int store_exit(const Store *s)
{
	return s->failure == STORE_NOT_FOUND || s->failure == STORE_REFUSED
		       ? EXIT_REFUSED
		       : EXIT_STORE;
}

/* The new store must hold this node, by id and name, before anything
 * changes: a keeper never moves to a store that does not know it. */
static int check_node(Switch *w, const Config *cfg, const char *to)
{
	char err[1024];

	w->op = store_open(to, NULL, (int)config_get_ms(cfg, S_STORE_TIMEOUT),
			   err, sizeof(err));
	if (!w->op)
		return say(EXIT_STORE, "%s%s", err, "");
	if (!store_get_formation(w->op, config_get(cfg, S_FORMATION), w->f))
		return say(store_exit(w->op),
			   "%s (run `pgkeel store migrate` first)%s",
			   w->op->error, "");
	const StoreNode *n = store_formation_node(w->f, w->st.node_id);
	if (!n || strcmp(n->name, w->st.name) != 0)
		return say(EXIT_REFUSED,
			   "the new store does not hold node %s of formation "
			   "%s with this id: nothing was changed",
			   w->st.name, config_get(cfg, S_FORMATION));
	w->seq = n->report_seq;
	return EXIT_OK;
}

/* The node's own credential in the new store (with etcd's
 * authentication: its user, its password in w->pass for now), and the
 * node's own handle of it, checked to read the formation. */
static int own_handle(Switch *w, const Config *cfg, const char *to,
		      const char *uri)
{
	char err[1024], secret[80], user[64];
	char *ci = NULL;

	if (!config_set(&w->next, S_MONITOR, uri, err, sizeof(err)))
		return say(EXIT_USAGE, "%s%s", err, "");
	if (!store_node_credential(w->op, config_get(cfg, S_FORMATION),
				   w->st.node_id, secret, sizeof(secret)))
		return say(store_exit(w->op), "%s%s", w->op->error, "");
	if (secret[0]) {
		snprintf(w->pass, sizeof(w->pass), "%s.new",
			 w->paths.store_pass);
		store_node_user(to, w->st.node_id, user, sizeof(user));
		bool ok = passfile_write(w->pass, user, secret, err,
					 sizeof(err));
		memset(secret, 0, sizeof(secret));
		ci = ok ? store_uri_with_passfile(uri, w->pass, err,
						  sizeof(err))
			: NULL;
		w->store = ci ? store_open(ci, NULL,
					   (int)config_get_ms(cfg,
							      S_STORE_TIMEOUT),
					   err, sizeof(err))
			      : NULL;
		free(ci);
	} else {
		w->store = keeper_store_open(&w->next, err, sizeof(err));
	}
	if (!w->store)
		return say(EXIT_STORE, "%s%s", err, "");
	if (!store_get_formation(w->store, config_get(cfg, S_FORMATION), w->f))
		return say(store_exit(w->store), "the node's own URI: %s%s",
			   w->store->error, "");
	return EXIT_OK;
}

/* The keeper's first report in the new store, by timeout_ms. */
static bool reported(Switch *w, const char *formation, int timeout_ms)
{
	int64_t deadline = time_monotonic_ms() + timeout_ms;

	while (time_monotonic_ms() < deadline) {
		if (store_get_formation(w->store, formation, w->f)) {
			const StoreNode *n = store_formation_node(
				w->f, w->st.node_id);
			if (n && n->report_seq > w->seq)
				return true;
		}
		time_sleep_ms(100);
	}
	return false;
}

static int switch_node(Switch *w, const Config *cfg, const char *to,
		       const char *uri, int timeout_ms)
{
	int rc = check_node(w, cfg, to);

	if (rc == EXIT_OK)
		rc = own_handle(w, cfg, to, uri);
	if (rc != EXIT_OK)
		return rc;
	if (w->pass[0] && rename(w->pass, w->paths.store_pass) != 0)
		return say(EXIT_FAILED, "cannot replace %s: %s",
			   w->paths.store_pass, strerror(errno));
	w->pass[0] = '\0';
	if (!config_save(&w->next, w->paths.config))
		return say(EXIT_FAILED, "cannot write %s%s", w->paths.config,
			   "");
	printf("node %s: pgkeel.monitor = %s\n", w->st.name, uri);
	pid_t pid = pidfile_read(w->paths.pid);
	if (pid <= 0) {
		printf("no keeper runs in %s: it uses the new store once "
		       "started\n",
		       w->paths.home);
		return EXIT_OK;
	}
	if (kill(pid, SIGHUP) != 0)
		return say(EXIT_FAILED, "cannot signal the keeper (%s)%s",
			   "SIGHUP", "");
	if (!reported(w, config_get(cfg, S_FORMATION), timeout_ms))
		return say(EXIT_TIMEOUT,
			   "the keeper of %s has not reported to the new store "
			   "yet%s: see its log",
			   w->st.name, "");
	printf("node %s reports to the new store; its Postgres kept "
	       "running\n",
	       w->st.name);
	return EXIT_OK;
}

int storemove_switch(const Config *cfg, const char *to, int timeout_ms)
{
	char err[1024];
	Switch w;

	memset(&w, 0, sizeof(w));
	if (!nodepaths_init(&w.paths, config_get(cfg, S_PGDATA), err,
			    sizeof(err)) ||
	    !statefile_load(w.paths.state, &w.st, err, sizeof(err)))
		return say(EXIT_BAD_CONFIG, "%s%s", err, "");
	config_copy(&w.next, cfg);
	char *uri = store_node_uri(to, w.st.node_id, err, sizeof(err));
	w.f = calloc(1, sizeof(StoreFormation));
	int rc = !uri || !w.f ? say(EXIT_USAGE, "%s%s",
				    uri ? "out of memory" : err, "")
			      : switch_node(&w, cfg, to, uri, timeout_ms);
	if (w.pass[0])
		unlink(w.pass); /* not used: the old passfile stays */
	store_close(w.store);
	store_close(w.op);
	config_free(&w.next);
	free(w.f);
	free(uri);
	return rc;
}
