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
	/* pgBackRest (docs/pgbackrest.md) */
	char br_config[1024];   /* pgbackrest.conf on this machine */
	bool clone_from_backup; /* standbys: pgbackrest restore, not
				 * pg_basebackup */
	char restore_stanza[64]; /* a first primary is restored from it */
	char restore_target[128]; /* to this time ("": the whole archive) */

	/* role configuration */
	bool has_upstream;
	char up_host[256];
	int up_port;
	char up_slot[64];       /* our slot on the upstream, or "" */
	char up_uri[1024];      /* "" or the upstream as a URI, in place of
				 * up_host and up_port: the source formation
				 * of a standby formation's leader */
	/* a standby formation: its nodes replicate among themselves with
	 * the source formation's role (its roles are the source's copy),
	 * the user and passfile of formation.standby_of ("": libpq's
	 * defaults, PGPASSFILE) */
	bool src_creds;
	char src_user[64];
	char src_passfile[1024];
	int apply_delay_ms;     /* node.apply_delay: replay this late */
	char sync_names[512];   /* synchronous_standby_names on a primary */
	char hosts[PGNODE_MAX_HOSTS][256]; /* admitted for replication */
	size_t nhosts;
	/* admitted as the health-check role (pg/pgdbroles.h): the monitor */
	char health_hosts[PGNODE_MAX_HEALTH_HOSTS][256];
	size_t nhealth_hosts;
	const PgParam *params;
	size_t nparams;
	char br_stanza[64];     /* the formation's stanza: archiving and
				 * restore_command on; "": off */
} PgNode;

/*
 * Fills node from a node's merged configuration (flags over file over
 * defaults): resolves the Postgres binaries and the node's own files
 * (creating the node directory). False with err set by the step that
 * failed (nodepaths_init, nodepaths_create, pgbin_resolve, the
 * replication passfile).
 */
bool pgnode_from_config(const Config *cfg, PgNode *node, char *err,
			size_t errlen);

/*
 * The replication role's password (from the store or pgkeel.ini): kept
 * in memory for creating the role, and in repl_passfile (0600), which
 * every connection pgkeel makes or configures as that role names. The
 * file is rewritten only when the password changes; "" empties the one
 * in memory and leaves the file as it was. False with err set (too long,
 * or the file cannot be written); node is then unchanged.
 */
bool pgnode_set_repl_password(PgNode *node, const char *password, char *err,
			      size_t errlen);

/* The upstream as pg/pgclone describes it. */
Upstream pgnode_upstream(const PgNode *node);

/* Writes postgresql.pgkeel.conf, pg_hba's block and standby.signal;
 * *changed (when not NULL): the configuration or pg_hba changed. False
 * with err naming the file that could not be written (pgconf_write,
 * pghba_write); the steps before it are done. Out of memory for the
 * upstream's conninfo writes an empty primary_conninfo, silently. */
bool pgnode_write_config(const PgNode *node, bool *changed, char *err,
			 size_t errlen);

/* initdb (unless already done), configure, start, replication role;
 * with restore_stanza set, `pgbackrest restore` to restore_target in
 * place of initdb, and the role once recovery promoted the server.
 * False with err set by the step that failed (a directory owned by
 * another user, not empty, initdb or the restore, or as pgnode_adopt). */
bool pgnode_init_primary(const PgNode *node, char *err, size_t errlen);
/* Takes over an existing data directory without re-initialising it.
 * False with err set: another owner, no data directory, a version other
 * than the binaries', the configuration, the start, or the replication
 * role (for a primary). */
bool pgnode_adopt(const PgNode *node, char *err, size_t errlen);
/* Waits (up to timeout_ms) until a restored server's recovery promoted
 * it, then removes pgBackRest's recovery settings (ALTER SYSTEM RESET).
 * False with err set: an error of the server, or not promoted in time. */
bool pgnode_finish_restore(const PgNode *node, char *err, size_t errlen);
/* pg_basebackup from the upstream (or with clone_from_backup a restore of
 * the formation's latest backup) into an empty PGDATA, then stream.
 * False with err set by the step that failed; a failed copy leaves
 * PGDATA as it was (empty or absent). */
bool pgnode_clone_standby(const PgNode *node, char *err, size_t errlen);

/* pgnode_start, pgnode_stop, pgnode_reload: pgctl_start, pgctl_stop and
 * pgctl_reload for this node; false with err set as those set it. */
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
/* True when a postmaster of this data directory runs (any status). */
bool pgnode_is_running(const PgNode *node);

/* pg_promote, waiting until writes are accepted; reports the timeline.
 * False with err set: no connection, the promotion failed or timed out,
 * or the server is still in recovery after it. */
bool pgnode_promote(const PgNode *node, int *timeline, char *err,
		    size_t errlen);
/* Stops a primary and restarts it as a standby of the upstream. False
 * with err set by the step that failed (no upstream, stop, slot on the
 * upstream, configuration, start). */
bool pgnode_demote(const PgNode *node, char *err, size_t errlen);
/*
 * Stops the server from accepting writes at once, without waiting:
 * a fast shutdown (sessions end, a clean checkpoint) or an immediate one.
 * True when the postmaster was signalled or is not running; false with
 * err set when it cannot be signalled.
 */
bool pgnode_fence(const PgNode *node, bool immediate, char *err,
		  size_t errlen);
/* Points a running standby at a new upstream (a reload; a start when it
 * is not running). False with err set by the configuration, start or
 * reload; a slot that cannot be made on the upstream is only warned of
 * (the next attempt makes it). */
bool pgnode_follow(const PgNode *node, char *err, size_t errlen);
/*
 * Brings a former primary back as a standby of the upstream: pg_rewind,
 * or when that fails a fresh clone, keeping the old directory until the
 * new copy has started. False with err set by the step that failed
 * (rejoin needs an upstream; stop, slot, clone, the new copy's stop,
 * the swap of the directories, configuration, start); once swapped, an
 * old directory that is kept is logged.
 */
bool pgnode_rejoin(const PgNode *node, char *err, size_t errlen);

/* Connects to the local server through its socket. False with err set
 * ("cannot connect to the local Postgres" and libpq's reason). */
bool pgnode_connect(const PgNode *node, PgConn *pc, char *err,
		    size_t errlen);
/* Connects and fills obs (pending_restart included). False with err set
 * (no connection, or the queries failed); obs may be partly filled. */
bool pgnode_observe(const PgNode *node, Observation *obs, char *err,
		    size_t errlen);
/* Creates the slot for us on the upstream (as the replication user).
 * True when the slot exists, or the node has none to make; false with err
 * naming the upstream and what failed (connection or creation). */
bool pgnode_ensure_upstream_slot(const PgNode *node, char *err,
				 size_t errlen);

#endif
