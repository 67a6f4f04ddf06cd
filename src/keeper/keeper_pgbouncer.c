/*
 * keeper_pgbouncer.c - the keeper's part in keeping a pgBouncer pointed
 * at the primary (docs/pgbouncer.md). Two keepers send it commands, each
 * only in its own role, so that who does what is never in doubt:
 *
 * - the keeper of the primary being switched over PAUSEs the pool before
 *   its fast shutdown (and RESUMEs it should the shutdown fail);
 * - the keeper of the writable primary, confirmed by the store this
 *   cycle, points the pool at its node and RESUMEs it: right after a
 *   promotion, then every cycle, which also resumes a pause left behind
 *   by a keeper that died.
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "keeper/keeper.h"

void keeper_pgbouncer_configure(Keeper *k)
{
	pgbouncer_from_config(&k->cfg, (int)k->store_timeout_ms, &k->pgb);
	if (k->pgb.enabled && pgbouncer_uri_has_password(&k->pgb))
		log_warn("pgbouncer.admin_uri holds a password: put it in a "
			 "0600 passfile the URI names (passfile=...)");
}

bool keeper_pgbouncer_pause(Keeper *k)
{
	char err[1024];
	int64_t start = time_monotonic_ms();

	if (!k->pgb.enabled)
		return false;
	if (pgbouncer_pause(&k->pgb, err, sizeof(err))) {
		log_info("pgBouncer's pool %s paused in %lld ms",
			 k->pgb.database,
			 (long long)(time_monotonic_ms() - start));
		return true;
	}
	log_warn("switching over without pausing pgBouncer (%s): its "
		 "clients may see errors", err);
	return false;
}

void keeper_pgbouncer_resume(Keeper *k)
{
	char err[1024];

	if (!k->pgb.enabled)
		return;
	if (pgbouncer_resume(&k->pgb, err, sizeof(err)))
		log_info("pgBouncer's pool %s resumed", k->pgb.database);
	else
		log_error("%s", err);
}

void keeper_pgbouncer_own(Keeper *k)
{
	const StoreNode *me = keeper_me(k);
	char err[1024];
	bool changed;

	if (!k->pgb.enabled || !me)
		return;
	if (pgbouncer_point(&k->pgb, me->host, me->port, &changed, err,
			    sizeof(err))) {
		k->pgb.last_error[0] = '\0';
		return;
	}
	/* tried every cycle (every few seconds while it does not answer):
	 * said once */
	if (strncmp(err, k->pgb.last_error, sizeof(k->pgb.last_error) - 1))
		log_warn("%s", err);
	snprintf(k->pgb.last_error, sizeof(k->pgb.last_error), "%s", err);
}
