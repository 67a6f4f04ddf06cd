/*
 * pgnode_rolechange.c - changing a node's role: promote, demote, fence,
 * follow a new primary, and rejoin after a failover (pg_rewind, or a
 * fresh clone that keeps the old directory until the new one works).
 */
#include "pg/pgnode.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/timeutil.h"

bool pgnode_promote(const PgNode *node, int *timeline, char *err,
		    size_t errlen)
{
	PgConn pc;
	char secs[16], value[16];
	const char *params[] = {secs};
	Observation obs;

	if (!pgnode_connect(node, &pc, err, errlen))
		return false;
	snprintf(secs, sizeof(secs), "%d", (node->timeout_ms + 999) / 1000);
	bool ok = pg_query_value(&pc,
				 "SELECT CASE WHEN pg_is_in_recovery()"
				 " THEN pg_promote(true, $1::int) ELSE true END",
				 1, params, value, sizeof(value)) &&
		  strcmp(value, "t") == 0;
	if (!ok)
		snprintf(err, errlen, "promotion did not complete: %s",
			 pc.error[0] ? pc.error : "timed out");
	/* writes are accepted already; the checkpoint puts the new timeline
	 * in the control file, which pg_rewind reads on the old primary */
	if (ok && !pg_exec(&pc, "CHECKPOINT", 0, NULL))
		log_warn("checkpoint after promotion failed: %s", pc.error);
	pg_disconnect(&pc);
	if (!ok || !pgnode_observe(node, &obs, err, errlen))
		return false;
	if (obs.in_recovery) {
		snprintf(err, errlen, "still in recovery after promotion");
		return false;
	}
	if (timeline)
		*timeline = obs.timeline;
	log_info("promoted %s: now primary on timeline %d", node->pgdata,
		 obs.timeline);
	return true;
}

bool pgnode_demote(const PgNode *node, char *err, size_t errlen)
{
	bool changed;
	if (!node->has_upstream) {
		snprintf(err, errlen, "demote needs the new primary");
		return false;
	}
	return pgnode_stop(node, STOP_FAST, err, errlen) &&
	       pgnode_ensure_upstream_slot(node, err, errlen) &&
	       pgnode_write_config(node, &changed, err, errlen) &&
	       pgnode_start(node, err, errlen);
}

bool pgnode_fence(const PgNode *node, bool immediate, char *err,
		  size_t errlen)
{
	PgPostmaster pm;

	if (pgctl_status(node->pgdata, &pm) == PM_NOT_RUNNING)
		return true;
	log_warn("fencing %s: %s shutdown of postmaster %d", node->pgdata,
		 immediate ? "immediate" : "fast", (int)pm.pid);
	if (kill(pm.pid, immediate ? SIGQUIT : SIGINT) != 0 && errno != ESRCH) {
		snprintf(err, errlen, "cannot signal postmaster %d: %s",
			 (int)pm.pid, strerror(errno));
		return false;
	}
	return true;
}

bool pgnode_follow(const PgNode *node, char *err, size_t errlen)
{
	bool changed;
	char why[1024];

	if (!pgnode_write_config(node, &changed, err, errlen))
		return false;
	/* without its slot the upstream refuses to stream; an upstream
	 * that is down now gets the slot at the next attempt */
	if (changed && node->has_upstream &&
	    !pgnode_ensure_upstream_slot(node, why, sizeof(why)))
		log_warn("%s", why);
	if (!pgnode_is_running(node))
		return pgnode_start(node, err, errlen);
	return !changed || pgnode_reload(node, err, errlen);
}

/* The new copy runs (pgnode_clone_standby started it): it must be down
 * before its directory moves, or a server would run in a directory that
 * was renamed under it. The old data directory is not touched yet. */
static bool stop_fresh_copy(const PgNode *tmp, char *err, size_t errlen)
{
	char why[1024];

	if (pgnode_stop(tmp, STOP_FAST, why, sizeof(why)))
		return true;
	snprintf(err, errlen, "cannot stop the new copy in %s before moving "
			      "it into place (%s); the old data directory is "
			      "untouched: stop that server (pg_ctl stop -D "
			      "%s); the next attempt reuses the copy",
		 tmp->pgdata, why, tmp->pgdata);
	return false;
}

/* The fallback: clone beside PGDATA, then swap the directories. */
static bool reclone_keeping_old(const PgNode *node, char *err, size_t errlen)
{
	char old[1100];
	PgNode tmp = *node;
	const char *fresh = tmp.pgdata;
	bool changed;

	if (snprintf(tmp.pgdata, sizeof(tmp.pgdata), "%s.pgkeel-clone",
		     node->pgdata) >= (int)sizeof(tmp.pgdata)) {
		snprintf(err, errlen, "data directory path too long");
		return false;
	}
	snprintf(old, sizeof(old), "%s.pgkeel-old", node->pgdata);
	if (fs_exists(fresh) && fs_exists(node->clone_marker))
		fs_remove_tree(fresh); /* ours, from an interrupted attempt */
	if (!pgnode_clone_standby(&tmp, err, errlen))
		return false;
	if (!stop_fresh_copy(&tmp, err, errlen))
		return false;
	if (fs_exists(old) && !fs_remove_tree(old)) {
		snprintf(err, errlen, "cannot remove the previous %s", old);
		return false;
	}
	if (rename(node->pgdata, old) != 0 || rename(fresh, node->pgdata) != 0) {
		snprintf(err, errlen, "cannot swap %s and %s: %s", node->pgdata,
			 fresh, strerror(errno));
		return false;
	}
	if (!pgnode_write_config(node, &changed, err, errlen) ||
	    !pgnode_start(node, err, errlen)) {
		log_error("the new copy does not start; the old data is kept "
			  "in %s", old);
		return false;
	}
	log_info("rejoined with a fresh copy; removing the old data in %s",
		 old);
	fs_remove_tree(old);
	return true;
}

bool pgnode_rejoin(const PgNode *node, char *err, size_t errlen)
{
	Upstream up = pgnode_upstream(node);
	char why[1024];
	bool changed;

	if (!node->has_upstream) {
		snprintf(err, errlen, "rejoin needs the new primary");
		return false;
	}
	if (!pgnode_stop(node, STOP_FAST, err, errlen) ||
	    !pgnode_ensure_upstream_slot(node, err, errlen))
		return false;
	if (pgclone_rewind(&node->bin, &up, node->pgdata, why, sizeof(why))) {
		/* pg_rewind copied the source's configuration: redo ours */
		return pgnode_write_config(node, &changed, err, errlen) &&
		       pgnode_start(node, err, errlen);
	}
	log_warn("%s; falling back to a fresh clone", why);
	return reclone_keeping_old(node, err, errlen);
}
