/*
 * fence.c - self-fencing (docs/guarantees.md): a primary whose keeper has
 * not reached the store for fence_timeout and that has no streaming
 * standby stops accepting writes. The monitor cannot promote anyone
 * before node_down_timeout, which start-up checks to be longer than
 * fence_timeout + store_timeout + keeper_interval; so by the time a
 * promotion can happen, this primary has stopped.
 *
 * Its deadline is counted from the start of the keeper's last cycle
 * that reached the store (before that cycle's report was written): a
 * call to the store gives up by then (store_set_deadline), the keeper
 * wakes up then, and it checks between the steps of a cycle. So a primary
 * stops taking writes within fence_timeout of the last report the
 * monitor saw, plus the time of one step; the monitor's fast decision
 * on a refused port counts on that (docs/guarantees.md).
 *
 * The state that counts is the one reached, recorded in keeper.state
 * or not yet (a promotion whose record failed fences like any other).
 *
 * A standby counts as streaming only while it answers: a walsender
 * whose standby was cut off stays "streaming" until wal_sender_timeout
 * (5 s), as long as the standby's own receiver takes to notice, and the
 * monitor promotes only once the standbys report they stopped streaming.
 * An answer keeps the primary open for STANDBY_REPLY_FRESH_MS (0.5 s),
 * less than the status interval (1 s): so before fencing, the keeper
 * asks the standbys to answer now (pg/standbyprobe.h) and waits for one
 * STANDBY_PROBE_WAIT_MS at most. Judging by the answers, the primary
 * fences itself before the monitor lets go of it (fsm/formation.h).
 */
#include <string.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "fsm/fsm.h"
#include "keeper/keeper.h"
#include "pg/standbyprobe.h"

/* The last moment (monotonic) a streaming standby is known to have
 * answered: the freshest status message seen at the last observation,
 * or the start of the last probe one answered; 0 when none. */
static int64_t last_answer_ms(const Keeper *k)
{
	int64_t last = k->answered_ms;
	if (!k->obs_ok)
		return last;
	for (size_t i = 0; i < k->obs.nstandbys; i++) {
		const ObservedStandby *s = &k->obs.standbys[i];
		int64_t at = k->obs_ms - s->reply_age_ms;
		if (strcmp(s->state, "streaming") == 0 && at > last)
			last = at;
	}
	return last;
}

/* How long until the last answer that keeps a cut-off primary open goes
 * stale, or -1: none. */
static int64_t until_replies_stale(const Keeper *k, int64_t now_ms)
{
	int64_t last = last_answer_ms(k);
	int64_t left = last + STANDBY_REPLY_FRESH_MS + 1 - now_ms;
	return last > 0 && left > 0 ? left : -1;
}

bool keeper_should_fence(const Keeper *k, int64_t now_ms)
{
	if (k->fenced || !state_is_primary(k->reached))
		return false;
	if (now_ms - k->last_store_ok_ms < k->fence_ms)
		return false;
	return !(k->obs_ok && k->obs.running &&
		 until_replies_stale(k, now_ms) > 0);
}

bool keeper_standbys_answer(Keeper *k)
{
	int64_t start = time_monotonic_ms();
	bool streaming = false;

	for (size_t i = 0; k->obs_ok && i < k->obs.nstandbys; i++)
		streaming |= strcmp(k->obs.standbys[i].state, "streaming") == 0;
	PgConn *pc = streaming ? keeper_local(k) : NULL;
	if (!pc)
		return false;
	if (!pg_standbys_answer(pc, STANDBY_PROBE_WAIT_MS)) {
		if (pc->error[0])
			log_warn("asking the standbys to answer: %s", pc->error);
		return false;
	}
	k->answered_ms = start;
	return true;
}

int64_t keeper_fence_deadline(const Keeper *k)
{
	if (k->fenced || k->paused || !state_is_primary(k->reached))
		return 0;
	return k->last_store_ok_ms + k->fence_ms;
}

int64_t keeper_pause(const Keeper *k, int64_t now_ms)
{
	int64_t pause = k->hurry ? KEEPER_HURRY_MS : keeper_cadence(k);
	int64_t deadline = keeper_fence_deadline(k);
	int64_t wake = -1;

	/* wake up at the deadline to fence then; past it, a primary kept
	 * open by its standbys' replies wakes up when they go stale */
	if (deadline > now_ms)
		wake = deadline - now_ms;
	else if (deadline > 0 && k->obs_ok)
		wake = until_replies_stale(k, now_ms);
	return wake >= 0 && wake < pause ? wake : pause;
}
