/*
 * pgnode.h - everything the keeper does to its local Postgres, as
 * operations that are idempotent (running one twice, or again after a
 * crash half-way, ends in the same place) and that never destroy data
 * pgkeel did not create.
 *
 * A PgNode describes the node (binaries, data directory, port, names,
 * replication credentials) and the role configuration to apply: an
 * upstream for a standby, synchronous_standby_names for a primary, the
 * hosts admitted in pg_hba (the other nodes for replication, the monitor
 * for health checks), and formation-wide parameters. The operations
 * below render that into postgresql.pgkeel.conf, pg_hba.conf and
 * standby.signal, and drive pg_ctl, pg_basebackup and pg_rewind.
 */
#ifndef PGK_PGNODE_H
#define PGK_PGNODE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/config.h"
#include "common/sslconn.h"
#include "pg/pgbin.h"
#include "pg/pgclone.h"
#include "pg/pgconf.h"
#include "pg/pgctl.h"
#include "pg/pgobserve.h"
#include "pg/pgsql.h"

#define PGNODE_MAX_HOSTS 32
#define PGNODE_MAX_HEALTH_HOSTS 4

/* How long pg_ctl may take to start, stop or promote Postgres. */
#define PGNODE_CTL_TIMEOUT_MS 60000

typedef struct {
	PgBin bin;
	char pgdata[1024];
	char pglog[1200];
	char clone_marker[1200]; /* file present while a clone runs */
	int port;
	char listen_addresses[256];
	char socket_dir[512];
	char name[64];          /* application_name seen by the upstream */
	char dbname[64];
	char repl_user[64];
	char repl_password[256];
	char repl_passfile[1200]; /* repl_password for libpq (0600) */
	char auth[32];          /* pg_hba method for other nodes */
	int timeout_ms;         /* start/stop/promote limit */
	int interval_ms;        /* keeper cycle */
	int restart_retries;    /* crashed-Postgres restarts before giving up */
	SslSpec ssl;            /* TLS served and used toward other nodes */

	/* role configuration */
	bool has_upstream;
	char up_host[256];
	int up_port;
	char up_slot[64];       /* our slot on the upstream, or "" */
	char sync_names[512];   /* synchronous_standby_names on a primary */
	char hosts[PGNODE_MAX_HOSTS][256]; /* admitted for replication */
	size_t nhosts;
	/* admitted as the health-check role (pg/pgdbroles.h): the monitor */
	char health_hosts[PGNODE_MAX_HEALTH_HOSTS][256];
	size_t nhealth_hosts;
	const PgParam *params;
	size_t nparams;
} PgNode;

/*
 * Fills node from a node's merged configuration (flags over file over
 * defaults): resolves the Postgres binaries and the node's own files.
 */
bool pgnode_from_config(const Config *cfg, PgNode *node, char *err,
			size_t errlen);

/*
 * The replication role's password (from the store or pgkeel.ini): kept
 * in memory for creating the role, and in repl_passfile (0600), which
 * every connection pgkeel makes or configures as that role names. The
 * file is rewritten only when the password changes; "" leaves both empty.
 */
bool pgnode_set_repl_password(PgNode *node, const char *password, char *err,
			      size_t errlen);

/* The upstream as pg/pgclone describes it. */
Upstream pgnode_upstream(const PgNode *node);

/* Writes postgresql.pgkeel.conf, pg_hba's block and standby.signal. */
bool pgnode_write_config(const PgNode *node, bool *changed, char *err,
			 size_t errlen);

/* initdb (unless already done), configure, start, replication role. */
bool pgnode_init_primary(const PgNode *node, char *err, size_t errlen);
/* Takes over an existing data directory without re-initialising it. */
bool pgnode_adopt(const PgNode *node, char *err, size_t errlen);
/* pg_basebackup from the upstream into an empty PGDATA, then stream. */
bool pgnode_clone_standby(const PgNode *node, char *err, size_t errlen);

bool pgnode_start(const PgNode *node, char *err, size_t errlen);
bool pgnode_stop(const PgNode *node, PgStopMode mode, char *err,
		 size_t errlen);
bool pgnode_reload(const PgNode *node, char *err, size_t errlen);
/*
 * On SIGHUP of the keeper or the monitor: reloads a running Postgres,
 * which reads its configuration and its certificate, key, CA and CRL
 * files again (new connections use a renewed certificate). Logs the
 * outcome.
 */
void pgnode_reload_on_sighup(const PgNode *node);
bool pgnode_is_running(const PgNode *node);

/* pg_promote, waiting until writes are accepted; reports the timeline. */
bool pgnode_promote(const PgNode *node, int *timeline, char *err,
		    size_t errlen);
/* Stops a primary and restarts it as a standby of the upstream. */
bool pgnode_demote(const PgNode *node, char *err, size_t errlen);
/*
 * Stops the server from accepting writes at once, without waiting:
 * a fast shutdown (sessions end, a clean checkpoint) or an immediate one.
 */
bool pgnode_fence(const PgNode *node, bool immediate, char *err,
		  size_t errlen);
/* Points a running standby at a new upstream (a reload). */
bool pgnode_follow(const PgNode *node, char *err, size_t errlen);
/*
 * Brings a former primary back as a standby of the upstream: pg_rewind,
 * or when that fails a fresh clone, keeping the old directory until the
 * new copy has started.
 */
bool pgnode_rejoin(const PgNode *node, char *err, size_t errlen);

/* Connects to the local server through its socket. */
bool pgnode_connect(const PgNode *node, PgConn *pc, char *err,
		    size_t errlen);
bool pgnode_observe(const PgNode *node, Observation *obs, char *err,
		    size_t errlen);
/* Creates the slot for us on the upstream (as the replication user). */
bool pgnode_ensure_upstream_slot(const PgNode *node, char *err,
				 size_t errlen);

#endif
