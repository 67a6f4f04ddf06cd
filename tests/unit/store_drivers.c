/*
 * store_drivers.c - the drivers of store_drivers.h: the in-memory one,
 * the postgres one of a monitor and the etcd one of members named by
 * the environment.
 */
#include "store_drivers.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/passfile.h"
#include "common/sslconn.h"
#include "common/timeutil.h"
#include "pg/pgconninfo.h"
#include "pg/pgsql.h"
#include "store/etcdstore.h"
#include "store/memstore.h"
#include "store/pgstore_schema.h"

/* -- in memory: a fresh store for every test ---------------------------- */
static MemStoreDb *db;

static bool mem_setup(void)
{
	db = memstore_db_new();
	return db != NULL;
}

static void mem_teardown(void)
{
	memstore_db_free(db);
	db = NULL;
}

static Store *mem_operator(void)
{
	return memstore_open(db, MEMSTORE_OPERATOR, 0, CONTRACT_TIMEOUT_MS);
}

static Store *mem_monitor(void)
{
	return memstore_open(db, MEMSTORE_MONITOR, 0, CONTRACT_TIMEOUT_MS);
}

static Store *mem_node(const RegisteredNode *n)
{
	return memstore_open(db, MEMSTORE_NODE, n->node_id,
			     CONTRACT_TIMEOUT_MS);
}

static void mem_stall(bool on)
{
	memstore_db_stall(db, on);
}

static const ContractDriver memory = {
	"memory",     mem_setup,  mem_teardown, mem_operator,
	mem_monitor, mem_node, mem_stall,
};

/* -- postgres: one monitor's store for every test ----------------------- */
static const char *pg_uri, *pg_sockdir, *pg_port, *pass_dir;
static PgConn staller;

static bool pg_setup(void)
{
	return true;
}

static void pg_teardown(void)
{
}

static Store *pg_open(const char *uri)
{
	char err[1024];
	Store *s = store_open(uri, NULL, CONTRACT_TIMEOUT_MS, err, sizeof(err));

	if (!s)
		fprintf(stderr, "store_open: %s\n", err);
	return s;
}

static Store *pg_operator(void)
{
	return pg_open(pg_uri);
}

static Store *pg_monitor(void)
{
	char err[1024];
	Store *s = store_open_local(pg_sockdir, atoi(pg_port),
				    CONTRACT_TIMEOUT_MS, false, err,
				    sizeof(err));
	if (!s)
		fprintf(stderr, "store_open_local: %s\n", err);
	return s;
}

/* The node's own URI, as its keeper makes it: its role, its passfile. */
static Store *pg_node(const RegisteredNode *n)
{
	char role[64], path[128], err[512];

	snprintf(role, sizeof(role), PGSTORE_NODE_ROLE_PREFIX "%d", n->node_id);
	snprintf(path, sizeof(path), "%s/%s.pgpass", pass_dir, role);
	if (!passfile_write(path, role, n->secret, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return NULL;
	}
	char *uri = pg_conninfo_rewrite(pg_uri, role, path, err, sizeof(err));
	Store *s = uri ? pg_open(uri) : NULL;
	free(uri);
	return s;
}

/* A transaction holding the formations' table: every read waits. */
static void pg_stall(bool on)
{
	char ci[512];

	if (!on) {
		pg_exec(&staller, "ROLLBACK", 0, NULL);
		pg_disconnect(&staller);
		return;
	}
	snprintf(ci, sizeof(ci), "host=%s port=%s dbname=" PGSTORE_DB,
		 pg_sockdir, pg_port);
	if (!pg_connect(&staller, ci, CONTRACT_TIMEOUT_MS) ||
	    !pg_exec(&staller, "BEGIN", 0, NULL) ||
	    !pg_exec(&staller,
		     "LOCK TABLE pgkeel.formation IN ACCESS EXCLUSIVE MODE", 0,
		     NULL))
		fprintf(stderr, "cannot stall the store: %s\n", staller.error);
}

static const ContractDriver postgres = {
	"postgres", pg_setup, pg_teardown, pg_operator,
	pg_monitor, pg_node,  pg_stall,
};

/* -- etcd: the members named, a fresh prefix for the run --------------- */
static const char *etcd_uri, *etcd_pids;

static Store *etcd_with(const char *param)
{
	char uri[1024];

	snprintf(uri, sizeof(uri), "%s%s%s", etcd_uri,
		 param[0] ? (strchr(etcd_uri, '?') ? "&" : "?") : "", param);
	return pg_open(uri);
}

static Store *etcd_operator(void)
{
	return etcd_with("role=operator");
}

static Store *etcd_monitor(void)
{
	return etcd_with("role=monitor");
}

/* With etcd's authentication (the operator's URI names a user): the
 * node's own etcd user and a file holding its password. */
static Store *etcd_node_user(const RegisteredNode *n)
{
	char user[64], path[256], err[512];

	snprintf(user, sizeof(user), ETCDSTORE_NODE_USER_PREFIX "%d",
		 n->node_id);
	snprintf(path, sizeof(path), "%s/%s.pass", pass_dir, user);
	if (!fs_write_file_atomic(path, n->secret, strlen(n->secret), 0600)) {
		fprintf(stderr, "cannot write %s\n", path);
		return NULL;
	}
	char *uri = uri_set_param(strdup(etcd_uri), "user", user);
	uri = uri_set_param(uri, "passfile", path);
	Store *s = uri ? store_open(uri, NULL, CONTRACT_TIMEOUT_MS, err,
				    sizeof(err))
		       : NULL;
	if (!s)
		fprintf(stderr, "store_open: %s\n", uri ? err : "no memory");
	free(uri);
	return s;
}

static Store *etcd_node(const RegisteredNode *n)
{
	char param[32], user[8];

	if (uri_get_param(etcd_uri, "user", user, sizeof(user)))
		return etcd_node_user(n);
	snprintf(param, sizeof(param), "node=%d", n->node_id);
	return etcd_with(param);
}

/* Whether every thread of pid is stopped: a signal is delivered
 * asynchronously, and a thread stops only once it leaves the kernel. */
static bool all_stopped(pid_t pid)
{
	char path[64], line[512];
	struct dirent *e;
	bool stopped = true;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return false;
	while (stopped && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(line, sizeof(line), "%s/%s/stat", path, e->d_name);
		FILE *f = fopen(line, "r");
		const char *end = f && fgets(line, sizeof(line), f)
					  ? strrchr(line, ')')
					  : NULL;
		stopped = end && (end[2] == 'T' || end[2] == 't');
		if (f)
			fclose(f);
	}
	closedir(d);
	return stopped;
}

/* Every member stopped (SIGSTOP), each of its threads seen stopped, or
 * let go on (SIGCONT), by PID. */
static void etcd_stall(bool on)
{
	char pids[256], *save = NULL;

	snprintf(pids, sizeof(pids), "%s", etcd_pids);
	for (char *p = strtok_r(pids, ",", &save); p;
	     p = strtok_r(NULL, ",", &save)) {
		pid_t pid = (pid_t)atoi(p);
		int64_t until = time_monotonic_ms() + 5000;
		kill(pid, on ? SIGSTOP : SIGCONT);
		while (on && !all_stopped(pid) && time_monotonic_ms() < until)
			time_sleep_ms(5);
	}
}

static const ContractDriver etcd = {
	"etcd",        pg_setup,  pg_teardown, etcd_operator,
	etcd_monitor, etcd_node, etcd_stall,
};

const ContractDriver *contract_driver(void)
{
	etcd_uri = getenv("PGKEEL_STORE_CONTRACT_ETCD_URI");
	etcd_pids = getenv("PGKEEL_STORE_CONTRACT_ETCD_PIDS");
	pass_dir = getenv("PGKEEL_STORE_CONTRACT_DIR");
	if (etcd_uri && etcd_pids)
		return &etcd;
	pg_uri = getenv("PGKEEL_STORE_CONTRACT_URI");
	pg_sockdir = getenv("PGKEEL_STORE_CONTRACT_SOCKDIR");
	pg_port = getenv("PGKEEL_STORE_CONTRACT_PORT");
	pass_dir = getenv("PGKEEL_STORE_CONTRACT_DIR");
	return pg_uri && pg_sockdir && pg_port && pass_dir ? &postgres
							   : &memory;
}
