/*
 * pgnode_supervise.c - restarting a crashed Postgres under a Supervisor, in
 * place and at once: what the dead postmaster left behind (pgleftover.h)
 * is waited for in small steps or cleared, rather than failing a start
 * and backing off.
 */
#include "pg/pgnode_supervise.h"

#include "common/log.h"
#include "pg/pgctl.h"
#include "pg/pgleftover.h"

/*
 * Whether Postgres can start now. Orphaned processes of a dead postmaster
 * still attached to its segment get SUPERVISE_CLEAR_MS to exit by
 * themselves (idle ones notice at once), then are killed; a
 * postmaster.pid no server holds (a zombie's, a reused PID's) is removed.
 */
static bool leftovers_cleared(const PgNode *node, Supervisor *sup,
			      int64_t now_ms, char *err, size_t errlen)
{
	PgLeftover l;

	pgleftover_read(node->pgdata, &l);
	/* no server of this directory runs (pgctl_status): a postmaster PID
	 * still there is exiting (its /proc entry outlives its files and
	 * memory for a moment) or another program's, never a live server */
	if (l.attached > 0) {
		if (sup->clearing_since < 0) {
			sup->clearing_since = now_ms;
			log_info("waiting for %d processes of the dead "
				 "postmaster %d to exit",
				 l.attached, (int)l.pid);
		} else if (now_ms - sup->clearing_since >= SUPERVISE_CLEAR_MS &&
			   !sup->cleared_by_kill) {
			sup->cleared_by_kill = true;
			log_warn("%d processes of the dead postmaster %d still "
				 "hold its shared memory after %d ms: killed %d",
				 l.attached, (int)l.pid, SUPERVISE_CLEAR_MS,
				 pgleftover_kill_attached(&l));
		}
		return false;
	}
	/* a gone PID Postgres sees as stale itself; these two it does not */
	if (pgleftover_pidfile_is_stale(&l) && (l.pid_zombie || l.pid_alive)) {
		log_info("removing postmaster.pid and its socket lock: "
			 "postmaster %d is %s",
			 (int)l.pid,
			 l.pid_zombie ? "dead (a zombie not reaped yet)"
				      : "no server of this directory (still "
					"exiting, or its PID taken by another "
					"program)");
		if (!pgleftover_remove_stale(&l, node->pgdata, err, errlen)) {
			log_error("%s", err);
			return false;
		}
	}
	return true;
}

/* A restart launched earlier: ready by now, or failed (say why). */
static void follow_launch(const PgNode *node, Supervisor *sup, bool running)
{
	PgPostmaster pm;
	char why[700];

	if (!sup->launching)
		return;
	if (running && pgctl_status(node->pgdata, &pm) != PM_READY)
		return; /* still recovering */
	sup->launching = false;
	if (running)
		log_info("%s Postgres in %s",
			 sup->failures ? "restarted" : "started", node->pgdata);
	else
		log_error("Postgres in %s did not start: %s", node->pgdata,
			  pgctl_start_log(node->pglog, sup->launch_log, why,
					  sizeof(why)));
}

/*
 * A restart does not wait for the server: pg_ctl is launched, and later
 * calls see it recovering, ready or failed, so the keeper goes on
 * reporting while a long crash recovery runs.
 */
SuperviseAction pgnode_supervise(const PgNode *node, Supervisor *sup,
				 bool should_run, int64_t now_ms, char *err,
				 size_t errlen)
{
	bool was_up = sup->up_since >= 0;
	bool running = pgnode_is_running(node);

	follow_launch(node, sup, running);
	SuperviseAction action =
		supervisor_step(sup, running, should_run, now_ms);

	if (was_up && !running && should_run)
		log_warn("Postgres in %s is not running (crash #%d)",
			 node->pgdata, sup->failures);
	if (action != SUPERVISE_RESTART)
		return action;
	if (!leftovers_cleared(node, sup, now_ms, err, errlen))
		return SUPERVISE_CLEARING;
	size_t log_size = pgctl_log_size(node->pglog);
	bool ok = pgctl_launch(&node->bin, node->pgdata, node->pglog, err,
			       errlen);
	supervisor_attempted(sup, ok, now_ms);
	if (ok) {
		sup->launching = true;
		sup->launch_log = log_size;
		follow_launch(node, sup, true);
	} else {
		log_error("restart failed: %s", err);
	}
	return action;
}
