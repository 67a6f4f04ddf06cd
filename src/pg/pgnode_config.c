/*
 * pgnode_config.c - rendering a PgNode's configuration into its data
 * directory, and the basic server controls (start, stop, reload,
 * connect, observe).
 */
#include "pg/pgnode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "pg/pgbackrest.h"
#include "pg/pgdbroles.h"
#include "pg/pghba.h"
#include "pg/pgslots.h"

/* The role other nodes replicate from this one as. */
static const char *repl_user(const PgNode *node)
{
	return node->src_creds && node->src_user[0] ? node->src_user
						    : node->repl_user;
}

static const char *repl_passfile(const PgNode *node)
{
	if (node->src_creds)
		return node->src_passfile[0] ? node->src_passfile : NULL;
	return node->repl_password[0] ? node->repl_passfile : NULL;
}

Upstream pgnode_upstream(const PgNode *node)
{
	Upstream up = {.host = node->up_host,
		       .port = node->up_port,
		       .user = repl_user(node),
		       .passfile = repl_passfile(node),
		       .dbname = node->dbname,
		       .ssl = &node->ssl,
		       .uri = node->up_uri[0] ? node->up_uri : NULL};
	return up;
}

static bool write_hba(const PgNode *node, bool *changed, char *err,
		      size_t errlen)
{
	HbaEntry entries[PGNODE_MAX_HOSTS * 2 + PGNODE_MAX_HEALTH_HOSTS];
	size_t n = 0;

	/* the monitor's health checks: log in, nothing else */
	for (size_t i = 0; i < node->nhealth_hosts; i++)
		entries[n++] = (HbaEntry){PG_HEALTH_DB, PG_HEALTH_ROLE,
					  node->health_hosts[i], node->auth};

	for (size_t i = 0; i < node->nhosts; i++) {
		/* streaming replication, and slot management / pg_rewind */
		entries[n++] = (HbaEntry){"replication", repl_user(node),
					  node->hosts[i], node->auth};
		entries[n++] = (HbaEntry){node->dbname, repl_user(node),
					  node->hosts[i], node->auth};
	}
	return pghba_write(node->pgdata, entries, n,
			   sslspec_server_on(&node->ssl), changed, err, errlen);
}

/* With the formation's stanza: the archive_command (every node: only
 * the primary archives) and a standby's restore_command; a stanza or a
 * path that cannot be put in a command leaves archiving off, and says
 * why once per change. */
static void archiving(const PgNode *node, PgConfSpec *spec, char *archive,
		      char *restore, size_t len)
{
	static char reported[64];
	PgBackRest br = {.stanza = node->br_stanza, .config = node->br_config,
			 .pgdata = node->pgdata};
	char err[256];

	if (!node->br_stanza[0])
		return;
	if (!pgbackrest_archive_command(&br, archive, len, err, sizeof(err)) ||
	    !pgbackrest_restore_command(&br, restore, len, err, sizeof(err))) {
		if (strcmp(reported, node->br_stanza) != 0)
			log_error("WAL archiving not configured: %s", err);
		snprintf(reported, sizeof(reported), "%s", node->br_stanza);
		return;
	}
	spec->archive_command = archive;
	spec->restore_command = node->has_upstream ? restore : NULL;
}

bool pgnode_write_config(const PgNode *node, bool *changed, char *err,
			 size_t errlen)
{
	char archive[3200], restore[3200];
	Upstream up = pgnode_upstream(node);
	bool ssl_on = sslspec_server_on(&node->ssl);
	char *conninfo = node->has_upstream
				 ? upstream_conninfo(&up, node->name)
				 : NULL;
	PgConfSpec spec = {
		.port = node->port,
		.listen_addresses = node->listen_addresses,
		.socket_dir = node->socket_dir,
		.cluster_name = node->name,
		.ssl_cert_file = ssl_on ? node->ssl.cert_file : NULL,
		.ssl_key_file = ssl_on ? node->ssl.key_file : NULL,
		.ssl_ca_file = node->ssl.ca_file,
		.ssl_crl_file = node->ssl.crl_file,
		.primary_conninfo = conninfo,
		.primary_slot_name = node->has_upstream ? node->up_slot : NULL,
		.apply_delay_ms = node->has_upstream ? node->apply_delay_ms : 0,
		.synchronous_standby_names =
			node->has_upstream ? "" : node->sync_names,
		.params = node->params,
		.nparams = node->nparams,
	};
	archiving(node, &spec, archive, restore, sizeof(archive));
	bool conf_changed = false, hba_changed = false;
	bool ok = pgconf_write(node->pgdata, &spec, &conf_changed, err,
			       errlen) &&
		  write_hba(node, &hba_changed, err, errlen) &&
		  pgconf_standby_signal(node->pgdata, node->has_upstream, err,
					errlen);
	free(conninfo);
	if (changed)
		*changed = conf_changed || hba_changed;
	return ok;
}

void pgnode_reload_on_sighup(const PgNode *node)
{
	char err[512];

	if (!pgnode_is_running(node))
		return;
	if (pgnode_reload(node, err, sizeof(err)))
		log_info("Postgres reloaded: it reads its configuration and "
			 "certificate files again");
	else
		log_error("cannot reload Postgres: %s", err);
}

bool pgnode_is_running(const PgNode *node)
{
	PgPostmaster pm;
	return pgctl_status(node->pgdata, &pm) != PM_NOT_RUNNING;
}

bool pgnode_start(const PgNode *node, char *err, size_t errlen)
{
	return pgctl_start(&node->bin, node->pgdata, node->pglog,
			   node->timeout_ms, err, errlen);
}

bool pgnode_stop(const PgNode *node, PgStopMode mode, char *err,
		 size_t errlen)
{
	return pgctl_stop(&node->bin, node->pgdata, mode, node->timeout_ms, err,
			  errlen);
}

bool pgnode_reload(const PgNode *node, char *err, size_t errlen)
{
	return pgctl_reload(node->pgdata, err, errlen);
}

bool pgnode_connect(const PgNode *node, PgConn *pc, char *err, size_t errlen)
{
	if (pg_connect_local(pc, node->socket_dir, node->port, node->dbname,
			     2000))
		return true;
	snprintf(err, errlen, "cannot connect to the local Postgres: %s",
		 pc->error);
	return false;
}

bool pgnode_observe(const PgNode *node, Observation *obs, char *err,
		    size_t errlen)
{
	PgConn pc;

	memset(obs, 0, sizeof(*obs));
	if (!pgnode_connect(node, &pc, err, errlen))
		return false;
	bool ok = pg_observe(&pc, obs) && pg_observe_pending_restart(&pc, obs);
	if (!ok)
		snprintf(err, errlen, "cannot observe the local Postgres: %s",
			 pc.error);
	pg_disconnect(&pc);
	return ok;
}

bool pgnode_ensure_upstream_slot(const PgNode *node, char *err,
				 size_t errlen)
{
	Upstream up = pgnode_upstream(node);
	char *ci = upstream_conninfo(&up, "pgkeel");
	PgConn pc;

	if (!node->up_slot[0]) {
		free(ci);
		return true;
	}
	bool ok = ci && pg_connect(&pc, ci, 2000);
	free(ci);
	if (!ok) {
		snprintf(err, errlen, "cannot connect to the upstream %s:%d: %s",
			 node->up_host, node->up_port, pc.error);
		return false;
	}
	ok = slot_create(&pc, node->up_slot);
	if (!ok)
		snprintf(err, errlen, "cannot create slot %s on %s:%d: %s",
			 node->up_slot, node->up_host, node->up_port, pc.error);
	pg_disconnect(&pc);
	return ok;
}
