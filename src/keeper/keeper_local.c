/*
 * keeper_local.c - the keeper's one connection to its local Postgres,
 * kept from cycle to cycle: observing, slot duties and the roles all use
 * it, so an idle keeper costs its server no new backend per cycle. It is
 * opened again after Postgres restarted (the session died with it).
 */
#include <libpq-fe.h>
#include <stdio.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "keeper/keeper.h"

PgConn *keeper_local(Keeper *k)
{
	char err[512];

	if (k->local.conn && PQstatus(k->local.conn) == CONNECTION_OK)
		return &k->local;
	keeper_local_close(k);
	if (!pgnode_connect(&k->node, &k->local, err, sizeof(err))) {
		log_debug("%s", err);
		return NULL;
	}
	/* the keeper's own writes (roles, slots) never wait for a standby,
	 * which may need them to connect at all: a promoted standby leader
	 * sets the formation's passwords its standbys log in with */
	if (!pg_exec(&k->local, "SET synchronous_commit = local", 0, NULL))
		log_debug("%s", k->local.error);
	return &k->local;
}

void keeper_local_close(Keeper *k)
{
	pg_disconnect(&k->local);
	k->pending_checked_ms = 0; /* a new session looks again */
}

/* Whether a parameter waits for a restart: after the keeper's session
 * opened, after the configuration changed, and every
 * KEEPER_DUTIES_REFRESH_MS; the last answer in between. */
static void observe_pending_restart(Keeper *k, PgConn *pc)
{
	int64_t now = time_monotonic_ms();

	if (k->pending_checked_ms > 0 &&
	    now - k->pending_checked_ms < KEEPER_DUTIES_REFRESH_MS) {
		k->obs.pending_restart = k->pending_restart;
		return;
	}
	if (pg_observe_pending_restart(pc, &k->obs)) {
		k->pending_restart = k->obs.pending_restart;
		k->pending_checked_ms = now;
	}
}

/* The freshness of a standby's data, in monotonic time: a contact is
 * remembered while no WAL receiver runs, so that its age grows. */
static void observe_freshness(Keeper *k)
{
	int64_t now = time_monotonic_ms();

	if (k->obs.contact_age_ms >= 0)
		k->contact_ms = now - k->obs.contact_age_ms;
	k->replayed_ms = k->obs.replay_lag_s > 0
				 ? now - (int64_t)(k->obs.replay_lag_s * 1000)
				 : 0;
}

bool keeper_observe(Keeper *k)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		PgConn *pc = keeper_local(k);
		if (!pc)
			return false;
		if (pg_observe(pc, &k->obs)) {
			observe_pending_restart(k, pc);
			observe_freshness(k);
			return true;
		}
		/* a session that outlived its server (a restart since the
		 * last cycle) fails once: open a new one and look again */
		log_debug("observing the local Postgres: %s", pc->error);
		keeper_local_close(k);
	}
	return false;
}
