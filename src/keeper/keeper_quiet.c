/*
 * keeper_quiet.c - the keeper's quiet cadence (docs/architecture.md,
 * "The quiet cadence"). A standby's keeper whose node is steady (a
 * secondary by its goal and its record, its WAL receiver streaming, its
 * last report the same as the one before) cycles every two keeper
 * intervals, KEEPER_QUIET_MAX_MS at most. What its cycle would notice
 * sooner wakes it at once: a change in the store (its wait), and the end
 * of its postmaster or of its WAL receiver (pidfds, common/procwatch.h),
 * which is how a standby learns that its primary went away. A primary's
 * keeper keeps the interval, since its contact with the store is what
 * keeps it open (fence.c); while steady (a primary by its goal and its
 * record, not fenced, its last report the same as the one before), it
 * observes its Postgres at the quiet cadence and reports the same
 * observation in between, its postmaster's end waking it as well.
 */
#include <poll.h>

#include "common/timeutil.h"
#include "keeper/keeper.h"
#include "pg/pgctl.h"

/* Steady in state s: s by its goal, its record and the state reached,
 * observed and reported, the report the same as the one before, its
 * postmaster watched. */
static bool steady_as(const Keeper *k, NodeState s)
{
	const StoreNode *me = keeper_me(k);

	return me && me->goal == s && k->st.current == s && k->reached == s &&
	       k->obs_ok && k->store_ok && k->report_same &&
	       procwatch_live(&k->watch, KEEPER_WATCH_POSTMASTER);
}

static bool steady_standby(const Keeper *k)
{
	return steady_as(k, NS_SECONDARY) && k->obs.in_recovery &&
	       k->obs.receiver_streaming &&
	       procwatch_live(&k->watch, KEEPER_WATCH_RECEIVER);
}

/* A steady primary: its observation may serve two cycles. */
static bool steady_primary(const Keeper *k)
{
	return steady_as(k, NS_PRIMARY) && !k->fenced && !k->obs.in_recovery;
}

/* The quiet cadence: two intervals, KEEPER_QUIET_MAX_MS and a third of
 * node_down_timeout at most, the interval at least. */
static int64_t quiet_ms(const Keeper *k)
{
	int64_t quiet = 2 * k->interval_ms;
	int64_t cap = config_get_ms(&k->cfg, S_NODE_DOWN_TIMEOUT) / 3;

	if (quiet > KEEPER_QUIET_MAX_MS)
		quiet = KEEPER_QUIET_MAX_MS;
	if (quiet > cap)
		quiet = cap;
	return quiet < k->interval_ms ? k->interval_ms : quiet;
}

int64_t keeper_cadence(const Keeper *k)
{
	return steady_standby(k) ? quiet_ms(k) : k->interval_ms;
}

bool keeper_observation_current(const Keeper *k, int64_t now_ms)
{
	return steady_primary(k) && now_ms - k->obs_ms < quiet_ms(k);
}

void keeper_watch(Keeper *k)
{
	procwatch_take(&k->watch);
	if (!procwatch_live(&k->watch, KEEPER_WATCH_POSTMASTER)) {
		PgPostmaster pm;
		pgctl_status(k->node.pgdata, &pm);
		procwatch_set(&k->watch, KEEPER_WATCH_POSTMASTER, pm.pid);
	}
	procwatch_set(&k->watch, KEEPER_WATCH_RECEIVER,
		      k->obs_ok ? k->obs.receiver_pid : 0);
	if (k->store)
		store_set_wake_fd(k->store, procwatch_fd(&k->watch));
}

void keeper_sleep(Keeper *k, int64_t ms)
{
	struct pollfd p = {.fd = procwatch_fd(&k->watch), .events = POLLIN};

	if (p.fd < 0)
		time_sleep_ms(ms);
	else if (poll(&p, 1, (int)ms) < 0) {
		/* a signal: the loop looks at it now */
	}
}
