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
#include "common/sslconn.h"
#include "monitor/monitor.h"
#include "pg/pghba.h"
#include "store/pgstore_schema.h"

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
			   .ssl_crl_file = node->ssl.crl_file};
	HbaEntry entry = {PGSTORE_DB, PGSTORE_NODE_ROLE, hba_network,
			  node->auth};
	bool changed;

	return pgconf_write(node->pgdata, &spec, &changed, err, errlen) &&
	       pghba_write(node->pgdata, &entry, 1, ssl, &changed, err,
			   errlen);
}

static bool run_sql(PgConn *pc, const char *sql, char *err, size_t errlen)
{
	if (pg_exec(pc, sql, 0, NULL))
		return true;
	snprintf(err, errlen, "%s", pc->error);
	return false;
}

static bool create_role_and_db(const PgNode *node, const char *password,
			       char *err, size_t errlen)
{
	PgConn pc;
	char sql[512], exists[8];
	char *lit = NULL;

	if (!pgnode_connect(node, &pc, err, errlen))
		return false;
	lit = pg_quote_literal(&pc, password);
	snprintf(sql, sizeof(sql),
		 "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE "
		 "rolname = '%s') THEN CREATE ROLE %s LOGIN; END IF; END $$",
		 PGSTORE_NODE_ROLE, PGSTORE_NODE_ROLE);
	bool ok = run_sql(&pc, sql, err, errlen);
	snprintf(sql, sizeof(sql), "ALTER ROLE %s PASSWORD %s",
		 PGSTORE_NODE_ROLE, *password ? lit : "NULL");
	ok = ok && run_sql(&pc, sql, err, errlen);
	ok = ok && pg_query_value(&pc,
				  "SELECT count(*) FROM pg_database WHERE "
				  "datname = '" PGSTORE_DB "'",
				  0, NULL, exists, sizeof(exists));
	if (ok && strcmp(exists, "0") == 0)
		ok = run_sql(&pc, "CREATE DATABASE " PGSTORE_DB, err, errlen);
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
	if (ok && strcmp(exists, "0") == 0) {
		ok = run_sql(&pc, "BEGIN", err, errlen);
		for (size_t i = 0; ok && pgstore_schema_sql[i]; i++)
			ok = run_sql(&pc, pgstore_schema_sql[i], err, errlen);
		ok = ok && run_sql(&pc, "COMMIT", err, errlen);
	}
	pg_disconnect(&pc);
	return ok;
}

static void random_password(char *buf, size_t len)
{
	static const char alphabet[] =
		"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char raw[32];
	FILE *f = fopen("/dev/urandom", "r");
	size_t n = f ? fread(raw, 1, sizeof(raw), f) : 0;

	if (f)
		fclose(f);
	size_t i;
	for (i = 0; i + 1 < len && i < n; i++)
		buf[i] = alphabet[raw[i] % (sizeof(alphabet) - 1)];
	buf[i] = '\0';
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
	HostPort hp = {config_get(cfg, S_HOSTNAME),
		       (int)config_get_int(cfg, S_PGPORT)};
	const char *password = config_get(cfg, S_STORE_PASSWORD);
	char user[256];

	if (password && *password) {
		char *enc = uri_encode(password);
		snprintf(user, sizeof(user), "%s:%s", PGSTORE_NODE_ROLE,
			 enc ? enc : "");
		free(enc);
	} else {
		snprintf(user, sizeof(user), "%s", PGSTORE_NODE_ROLE);
	}
	/* uri_build encodes the user part; ':' must stay, so build here */
	char *base = uri_build(&hp, 1, NULL, PGSTORE_DB, NULL);
	char *uri = NULL;
	if (base && asprintf(&uri, "postgres://%s@%s", user,
			     base + strlen("postgres://")) < 0)
		uri = NULL;
	free(base);
	return monitor_uri_ssl(uri, cfg);
}

bool monitor_create(const Config *cfg_in, char *err, size_t errlen)
{
	const Config cfg = *cfg_in;
	NodePaths paths;
	PgNode node;
	char password[33] = "", why[256];

	if (!pgnode_from_config(&cfg, &node, err, errlen) ||
	    !nodepaths_init(&paths, node.pgdata, err, errlen))
		return false;
	if (fs_exists(paths.config)) {
		Config old;
		config_init(&old);
		if (config_load(&old, paths.config, why, sizeof(why)))
			snprintf(password, sizeof(password), "%s",
				 config_get(&old, S_STORE_PASSWORD));
		config_free(&old);
	}
	if (!password[0] && strcmp(node.auth, "trust") != 0)
		random_password(password, sizeof(password));
	if (strcmp(node.auth, "trust") == 0)
		log_warn("--auth trust: any local user can act as a keeper; "
			 "use it only for experiments");
	if (!pgctl_is_datadir(node.pgdata) &&
	    !pgctl_initdb(&node.bin, node.pgdata, err, errlen))
		return false;
	if (!write_monitor_conf(&node, config_get(&cfg, S_HBA_NETWORK), err,
				errlen) ||
	    !pgnode_start(&node, err, errlen) ||
	    !create_role_and_db(&node, password, err, errlen) ||
	    !install_schema(&node, err, errlen))
		return false;
	Config out;
	config_copy(&out, &cfg);
	config_set(&out, S_ROLE, "monitor", why, sizeof(why));
	config_set(&out, S_STORE_PASSWORD, password, why, sizeof(why));
	bool ok = config_save(&out, paths.config);
	config_free(&out);
	if (!ok)
		snprintf(err, errlen, "cannot write %s", paths.config);
	return ok;
}
