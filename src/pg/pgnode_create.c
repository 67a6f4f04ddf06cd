/*
 * pgnode_create.c - bringing a node's data directory into existence:
 * initialise (or restore from a backup) a primary, adopt an existing
 * directory, or clone a standby from its upstream or from a backup.
 */
#include "pg/pgnode.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "pg/pgbackrest.h"
#include "pg/pgdbroles.h"

/* Checks that PGDATA may be initialised or cloned into. */
static bool check_empty_target(const PgNode *node, char *err, size_t errlen)
{
	if (fs_exists(node->pgdata) && !fs_is_dir(node->pgdata)) {
		snprintf(err, errlen, "%s exists and is not a directory",
			 node->pgdata);
		return false;
	}
	if (!fs_dir_is_empty(node->pgdata)) {
		snprintf(err, errlen,
			 "data directory %s is not empty and holds no "
			 "Postgres data: move its content away, or choose "
			 "another --pgdata",
			 node->pgdata);
		return false;
	}
	return true;
}

static bool check_owner(const PgNode *node, char *err, size_t errlen)
{
	long uid = fs_owner_uid(node->pgdata);
	if (uid >= 0 && uid != (long)geteuid()) {
		snprintf(err, errlen,
			 "data directory %s belongs to uid %ld, not to the "
			 "user running pgkeel (uid %ld): run pgkeel as its "
			 "owner",
			 node->pgdata, uid, (long)geteuid());
		return false;
	}
	return true;
}

static bool check_version(const PgNode *node, char *err, size_t errlen)
{
	if (!pgctl_is_datadir(node->pgdata)) {
		snprintf(err, errlen,
			 "%s is not a Postgres data directory (no PG_VERSION)",
			 node->pgdata);
		return false;
	}
	int major = pgctl_datadir_major(node->pgdata);
	if (major != node->bin.major) {
		snprintf(err, errlen,
			 "%s was created by PostgreSQL %d but the binaries in "
			 "%s are version %d: use --pg-bindir for version %d",
			 node->pgdata, major, node->bin.bindir, node->bin.major,
			 major);
		return false;
	}
	return true;
}

static bool configure_and_start(const PgNode *node, char *err, size_t errlen)
{
	bool changed;
	if (!pgnode_write_config(node, &changed, err, errlen))
		return false;
	if (pgnode_is_running(node))
		return !changed || pgnode_reload(node, err, errlen);
	return pgnode_start(node, err, errlen);
}

static bool setup_replication_role(const PgNode *node, char *err,
				   size_t errlen)
{
	PgConn pc;
	if (!pgnode_connect(node, &pc, err, errlen))
		return false;
	bool ok = pgdbroles_ensure_replication(&pc, node->repl_user,
					     node->repl_password);
	if (!ok)
		snprintf(err, errlen, "cannot set up role %s: %s",
			 node->repl_user, pc.error);
	pg_disconnect(&pc);
	return ok;
}

static bool clear_interrupted_clone(const PgNode *node);
static bool copy_into_pgdata(const PgNode *node, bool standby, char *err,
			     size_t errlen);

bool pgnode_init_primary(const PgNode *node, char *err, size_t errlen)
{
	bool restore = node->restore_stanza[0] != '\0';

	if (!check_owner(node, err, errlen) || !clear_interrupted_clone(node))
		return false;
	if (!pgctl_is_datadir(node->pgdata)) {
		if (!check_empty_target(node, err, errlen))
			return false;
		if (restore ? !copy_into_pgdata(node, false, err, errlen)
			    : !pgctl_initdb(&node->bin, node->pgdata, err,
					    errlen))
			return false;
	}
	if (!restore)
		return pgnode_adopt(node, err, errlen);
	/* a restored primary takes its role once recovery has promoted it */
	return check_version(node, err, errlen) &&
	       configure_and_start(node, err, errlen) &&
	       pgnode_finish_restore(node, err, errlen) &&
	       setup_replication_role(node, err, errlen);
}

bool pgnode_adopt(const PgNode *node, char *err, size_t errlen)
{
	if (!check_owner(node, err, errlen) || !check_version(node, err, errlen))
		return false;
	if (!configure_and_start(node, err, errlen))
		return false;
	return node->has_upstream ||
	       setup_replication_role(node, err, errlen);
}

static bool write_marker(const PgNode *node, char *err, size_t errlen)
{
	if (fs_write_file_atomic(node->clone_marker, node->pgdata,
				 strlen(node->pgdata), 0600))
		return true;
	snprintf(err, errlen, "cannot write %s: %s", node->clone_marker,
		 strerror(errno));
	return false;
}

/* A clone that crashed half-way left a marker: its debris is ours. */
static bool clear_interrupted_clone(const PgNode *node)
{
	if (!fs_exists(node->clone_marker) || fs_dir_is_empty(node->pgdata))
		return true;
	log_warn("removing the partial copy an interrupted clone left in %s",
		 node->pgdata);
	return fs_empty_dir(node->pgdata);
}

/* The copy itself: from the upstream, or from the stanza's latest backup
 * (a standby recovers from the formation's archive, then streams; a
 * primary recovers to its target, then is promoted). */
static bool copy(const PgNode *node, bool standby, char *err, size_t errlen)
{
	Upstream up = pgnode_upstream(node);
	PgBackRest br = {.stanza = standby ? node->br_stanza
					   : node->restore_stanza,
			 .config = node->br_config,
			 .pgdata = node->pgdata};

	if (standby && !node->clone_from_backup)
		return pgclone_basebackup(&node->bin, &up,
					  node->up_slot[0] ? node->up_slot
							   : NULL,
					  node->pgdata, err, errlen);
	if (!br.stanza[0]) {
		snprintf(err, errlen, "cloning from a backup needs the "
			 "formation's stanza: pgkeel config set "
			 "backup.pgbackrest_stanza NAME");
		return false;
	}
	if (!fs_mkdir_p(node->pgdata, 0700)) {
		snprintf(err, errlen, "cannot create %s: %s", node->pgdata,
			 strerror(errno));
		return false;
	}
	return pgbackrest_restore(&br, standby ? NULL : node->restore_target,
				  err, errlen);
}

static bool copy_into_pgdata(const PgNode *node, bool standby, char *err,
			     size_t errlen)
{
	bool existed = fs_exists(node->pgdata);

	if (!write_marker(node, err, errlen) ||
	    (standby && !pgnode_ensure_upstream_slot(node, err, errlen)))
		return false;
	if (copy(node, standby, err, errlen)) {
		/* a marker left behind would have the copy taken for debris
		 * and emptied: not started until the marker is gone */
		if (unlink(node->clone_marker) == 0 || errno == ENOENT)
			return true;
		snprintf(err, errlen, "copied, but cannot remove %s: %s",
			 node->clone_marker, strerror(errno));
		return false;
	}
	/* leave PGDATA as it was: empty, or absent */
	if (existed)
		fs_empty_dir(node->pgdata);
	else
		fs_remove_tree(node->pgdata);
	if (unlink(node->clone_marker) != 0 && errno != ENOENT)
		log_warn("cannot remove %s: %s", node->clone_marker,
			 strerror(errno));
	return false;
}

bool pgnode_clone_standby(const PgNode *node, char *err, size_t errlen)
{
	if (!node->has_upstream) {
		snprintf(err, errlen, "no upstream to clone from");
		return false;
	}
	if (!check_owner(node, err, errlen))
		return false;
	if (!clear_interrupted_clone(node)) {
		snprintf(err, errlen, "cannot remove the partial copy an "
				      "interrupted clone left in %s: %s",
			 node->pgdata, strerror(errno));
		return false;
	}
	if (!pgctl_is_datadir(node->pgdata)) {
		if (!check_empty_target(node, err, errlen) ||
		    !copy_into_pgdata(node, true, err, errlen))
			return false;
	}
	return configure_and_start(node, err, errlen);
}
