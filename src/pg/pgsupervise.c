/*
 * pgsupervise.c - restarting a crashed Postgres under a Supervisor.
 */
#include "pg/pgsupervise.h"

#include "common/log.h"

SuperviseAction pgnode_supervise(const PgNode *node, Supervisor *sup,
				 bool should_run, int64_t now_ms, char *err,
				 size_t errlen)
{
	bool was_up = sup->up_since >= 0;
	bool running = pgnode_is_running(node);
	SuperviseAction action =
		supervisor_step(sup, running, should_run, now_ms);

	if (was_up && !running && should_run)
		log_warn("Postgres in %s is not running (crash #%d)",
			 node->pgdata, sup->failures);
	if (action == SUPERVISE_RESTART) {
		bool ok = pgnode_start(node, err, errlen);
		supervisor_attempted(sup, ok, now_ms);
		if (ok)
			log_info("%s Postgres in %s",
				 sup->failures ? "restarted" : "started",
				 node->pgdata);
		else
			log_error("restart failed: %s", err);
	}
	return action;
}
