/*
 * monitor_create.c - creating the monitor's Postgres and the store in it.
 */
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conninfo.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "common/passfile.h"
#include "common/sslconn.h"
#include "monitor/monitor.h"
#include "pg/pghba.h"
#include "pg/pgpassword.h"
#include "store/pgstore_migrate.h"
#include "store/pgstore_schema.h"

/* The keepers' reports are committed without waiting for the disk
 * (store/pgstore_ops.c): the WAL writer makes them durable within a
 * second rather than waking five times a second to do it; the monitor's
 * own writes wait for theirs, and every report they were decided on
 * with them. */
static const PgParam monitor_params[] = {
	{"wal_writer_delay", "'1s'"},
};

static bool write_monitor_conf(const PgNode *node, const char *hba_network,
			       char *err, size_t errlen)
{
	bool ssl = sslspec_server_on(&node->ssl);
	PgConfSpec spec = {.port = node->port,
			   .listen_addresses = node->listen_addresses,
			   .socket_dir = node->socket_dir,
			   .cluster_name = "pgkeel_monitor",
			   .ssl_cert_file = ssl ? node->ssl.cert_file : NULL,
			   .ssl_key_file = ssl ? node->ssl.key_file : NULL,
			   .ssl_ca_file = node->ssl.ca_file,
			   .ssl_crl_file = node->ssl.crl_file,
			   .params = monitor_params,
			   .nparams = sizeof(monitor_params) / sizeof(monitor_params[0])};
	/* the nodes' own roles (members of the group) and the operator */
	HbaEntry entries[] = {
		{PGSTORE_DB, "+" PGSTORE_NODES_GROUP, hba_network, node->auth},
		{PGSTORE_DB, PGSTORE_OPERATOR_ROLE, hba_network, node->auth},
	};
	bool changed;

	return pgconf_write(node->pgdata, &spec, &changed, err, errlen) &&
	       pghba_write(node->pgdata, entries, 2, ssl, &changed, err,
			   errlen);
}

static bool run_sql(PgConn *pc, const char *sql, char *err, size_t errlen)
{
	if (pg_exec(pc, sql, 0, NULL))
		return true;
	snprintf(err, errlen, "%s", pc->error);
	return false;
}

/* The nodes' group and the operator's role (with its password, or none
 * under --auth trust), then the store's database. */
static bool create_roles_and_db(const PgNode *node, const char *password,
				char *err, size_t errlen)
{
	PgConn pc;
	char exists[8];

	if (!pgnode_connect(node, &pc, err, errlen))
		return false;
	char *lit = pg_quote_literal(&pc, password);
	char *sql = NULL;
	bool ok = lit && run_sql(&pc,
				 "DO $$ BEGIN"
				 " IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE"
				 " rolname = '" PGSTORE_NODES_GROUP "') THEN"
				 " CREATE ROLE " PGSTORE_NODES_GROUP " NOLOGIN;"
				 " END IF;"
				 " IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE"
				 " rolname = '" PGSTORE_OPERATOR_ROLE "') THEN"
				 " CREATE ROLE " PGSTORE_OPERATOR_ROLE " LOGIN;"
				 " END IF; END $$",
				 err, errlen);
	ok = ok && asprintf(&sql, "ALTER ROLE " PGSTORE_OPERATOR_ROLE
				  " PASSWORD %s",
			    *password ? lit : "NULL") > 0 &&
	     run_sql(&pc, sql, err, errlen);
	ok = ok && pg_query_value(&pc,
				  "SELECT count(*) FROM pg_database WHERE "
				  "datname = '" PGSTORE_DB "'",
				  0, NULL, exists, sizeof(exists));
	if (ok && strcmp(exists, "0") == 0)
		ok = run_sql(&pc, "CREATE DATABASE " PGSTORE_DB, err, errlen);
	if (sql)
		memset(sql, 0, strlen(sql));
	free(sql);
	free(lit);
	pg_disconnect(&pc);
	return ok;
}

static bool install_schema(const PgNode *node, char *err, size_t errlen)
{
	PgConn pc;
	char exists[8];

	if (!pg_connect_local(&pc, node->socket_dir, node->port, PGSTORE_DB,
			      5000)) {
		snprintf(err, errlen, "%s", pc.error);
		return false;
	}
	bool ok = pg_query_value(&pc,
				 "SELECT count(*) FROM pg_namespace WHERE "
				 "nspname = 'pgkeel'",
				 0, NULL, exists, sizeof(exists));
	int from;
	if (ok && strcmp(exists, "0") != 0) {
		ok = pgstore_migrate(&pc, false, &from, err, errlen);
		if (ok && from != PGSTORE_SCHEMA_VERSION)
			log_info("state store upgraded from schema %d to %d",
				 from, PGSTORE_SCHEMA_VERSION);
		pg_disconnect(&pc);
		return ok;
	}
	ok = ok && run_sql(&pc, "BEGIN", err, errlen);
	for (size_t l = 0; ok && pgstore_schema_sql[l]; l++) {
		for (size_t i = 0; ok && pgstore_schema_sql[l][i]; i++)
			ok = run_sql(&pc, pgstore_schema_sql[l][i], err,
				     errlen);
	}
	ok = ok && pgstore_migrate(&pc, true, &from, err, errlen);
	ok = ok && run_sql(&pc, "COMMIT", err, errlen);
	pg_disconnect(&pc);
	return ok;
}

/* The sslmode keepers use toward the store. The CA path stays out: it is
 * a path on this host, and each keeper names its own (--ssl-ca-file). */
static char *monitor_uri_ssl(char *uri, const Config *cfg)
{
	SslSpec ssl;

	sslspec_from_config(cfg, &ssl);
	ssl.ca_file[0] = ssl.crl_file[0] = '\0';
	return uri_append_ssl(uri, &ssl);
}

char *monitor_uri(const Config *cfg)
{
	if (monitor_shared_store(cfg))
		return strdup(monitor_shared_store(cfg));
	HostPort hp = {config_get(cfg, S_HOSTNAME),
		       (int)config_get_int(cfg, S_PGPORT)};
	NodePaths paths;
	char err[256];
	const char *params[] = {"passfile", paths.operator_pass, NULL};

	if (!nodepaths_init(&paths, config_get(cfg, S_PGDATA), err,
			    sizeof(err)))
		return NULL;
	bool trust = strcmp(config_get(cfg, S_AUTH), "trust") == 0;
	return monitor_uri_ssl(uri_build(&hp, 1, PGSTORE_OPERATOR_ROLE,
					 PGSTORE_DB, trust ? NULL : params),
			       cfg);
}

/* The operator's password: kept from an earlier create, else new. */
static bool operator_password(const NodePaths *paths, const PgNode *node,
			      char *password, size_t len, char *err,
			      size_t errlen)
{
	char why[512];

	password[0] = '\0';
	if (strcmp(node->auth, "trust") == 0) {
		log_warn("--auth trust: any local user can act as the operator "
			 "or as a keeper; use it only for experiments");
		return true;
	}
	if (fs_exists(paths->operator_pass))
		return passfile_read(paths->operator_pass,
				     PGSTORE_OPERATOR_ROLE, password, len, err,
				     errlen);
	if (!passfile_random_password(password, len)) {
		snprintf(err, errlen, "cannot read /dev/urandom for a password");
		return false;
	}
	if (!passfile_write(paths->operator_pass, PGSTORE_OPERATOR_ROLE,
			    password, why, sizeof(why))) {
		snprintf(err, errlen, "%s", why);
		return false;
	}
	return true;
}

bool monitor_create(const Config *cfg_in, char *err, size_t errlen)
{
	const Config cfg = *cfg_in;
	NodePaths paths;
	PgNode node;
	char password[33], why[256];

	if (monitor_shared_store(&cfg))
		return monitor_create_shared(&cfg, err, errlen);
	if (!pgnode_from_config(&cfg, &node, err, errlen) ||
	    !nodepaths_init(&paths, node.pgdata, err, errlen) ||
	    !nodepaths_create(&paths, err, errlen) ||
	    !operator_password(&paths, &node, password, sizeof(password), err,
			       errlen))
		return false;
	if (!pgctl_is_datadir(node.pgdata) &&
	    !pgctl_initdb(&node.bin, node.pgdata, err, errlen))
		return false;
	bool ok = write_monitor_conf(&node, config_get(&cfg, S_HBA_NETWORK),
				     err, errlen) &&
		  pgnode_start(&node, err, errlen) &&
		  create_roles_and_db(&node, password, err, errlen) &&
		  install_schema(&node, err, errlen);
	memset(password, 0, sizeof(password));
	if (!ok)
		return false;
	Config out;
	config_copy(&out, &cfg);
	config_set(&out, S_ROLE, "monitor", why, sizeof(why));
	ok = config_save(&out, paths.config);
	config_free(&out);
	if (!ok)
		snprintf(err, errlen, "cannot write %s", paths.config);
	return ok;
}
