/*
 * nodedestroy.c - deleting a dropped node's data directory and node
 * directory. pgkeel deletes only a PGDATA that it created itself (initdb
 * or clone, recorded in keeper.state), never one it adopted, and never
 * while its keeper or Postgres still runs.
 */
#include "cli/nodedestroy.h"

#include <stdio.h>

#include "cli/command.h"
#include "common/exitcode.h"
#include "common/fsutil.h"
#include "common/nodepaths.h"
#include "common/pidfile.h"
#include "common/timeutil.h"
#include "keeper/statefile.h"
#include "pg/pgctl.h"

#define STOP_WAIT_MS 30000

static int load(const char *pgdata, NodePaths *paths, KeeperState *st)
{
	char err[1024];

	if (!pgdata || !nodepaths_init(paths, pgdata, err, sizeof(err)) ||
	    !statefile_load(paths->state, st, err, sizeof(err))) {
		fprintf(stderr, "%s: --destroy needs the --pgdata of a node of "
				"this machine%s%s\n",
			cli_command_path(), pgdata ? ": " : "",
			pgdata ? err : "");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int node_destroy_check(const char *pgdata, int node_id, const char *name)
{
	NodePaths paths;
	KeeperState st;
	int rc = load(pgdata, &paths, &st);

	if (rc != EXIT_OK)
		return rc;
	if (st.node_id != node_id) {
		fprintf(stderr, "%s: %s is the data directory of node %s (id "
				"%d), not of %s (id %d); nothing changed\n",
			cli_command_path(), pgdata, st.name, st.node_id, name,
			node_id);
		return EXIT_REFUSED;
	}
	if (!st.created_pgdata) {
		fprintf(stderr, "%s: pgkeel did not create %s (it adopted an "
				"existing data directory) and will not delete "
				"it; drop the node without --destroy and remove "
				"the directory yourself\n",
			cli_command_path(), pgdata);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

static bool stopped(const NodePaths *paths, const char *pgdata)
{
	PgPostmaster pm;
	return pidfile_read(paths->pid) == 0 &&
	       pgctl_status(pgdata, &pm) == PM_NOT_RUNNING;
}

int node_destroy(const char *pgdata)
{
	NodePaths paths;
	KeeperState st;
	int rc = load(pgdata, &paths, &st);
	int64_t deadline = time_monotonic_ms() + STOP_WAIT_MS;

	if (rc != EXIT_OK)
		return rc;
	while (!stopped(&paths, pgdata) && time_monotonic_ms() < deadline)
		time_sleep_ms(100);
	if (!stopped(&paths, pgdata)) {
		fprintf(stderr, "%s: the keeper or Postgres of %s still runs "
				"after %d s; nothing deleted: stop them (pgkeel "
				"stop --pgdata %s) and delete the directory "
				"yourself\n",
			cli_command_path(), pgdata, STOP_WAIT_MS / 1000, pgdata);
		return EXIT_FAILED;
	}
	if (!fs_remove_tree(pgdata) || !fs_remove_tree(paths.home)) {
		fprintf(stderr, "%s: could not delete everything of %s or %s\n",
			cli_command_path(), pgdata, paths.home);
		return EXIT_FAILED;
	}
	printf("deleted %s and %s\n", pgdata, paths.home);
	return EXIT_OK;
}
