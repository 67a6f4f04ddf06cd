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
 * A standby counts as streaming only while its status messages arrive
 * (every wal_receiver_status_interval, 1 s): a walsender whose standby
 * was cut off stays "streaming" until wal_sender_timeout (5 s), as long
 * as the standby's own receiver takes to notice, and the monitor promotes
 * only once the standbys report they stopped streaming. Judging by the
 * replies, the primary fences itself well before that.
 */
#include <string.h>

#include "fsm/fsm.h"
#include "keeper/keeper.h"

/* How long until the last of the standbys' replies that keep a cut-off
 * primary open goes stale (as observed this cycle), or -1: none. */
static int64_t until_replies_stale(const Observation *obs)
{
	int64_t until = -1;
	for (size_t i = 0; i < obs->nstandbys; i++) {
		const ObservedStandby *s = &obs->standbys[i];
		int64_t left = STANDBY_REPLY_FRESH_MS + 1 - s->reply_age_ms;
		if (strcmp(s->state, "streaming") == 0 && left > until)
			until = left;
	}
	return until;
}

/* A standby whose replies still keep a cut-off primary open. */
static bool has_streaming_standby(const Observation *obs)
{
	return until_replies_stale(obs) > 0;
}

bool keeper_should_fence(const Keeper *k, int64_t now_ms)
{
	if (k->fenced || !state_is_primary(k->reached))
		return false;
	if (now_ms - k->last_store_ok_ms < k->fence_ms)
		return false;
	return !(k->obs_ok && k->obs.running && has_streaming_standby(&k->obs));
}

int64_t keeper_fence_deadline(const Keeper *k)
{
	if (k->fenced || k->paused || !state_is_primary(k->reached))
		return 0;
	return k->last_store_ok_ms + k->fence_ms;
}

int64_t keeper_pause(const Keeper *k, int64_t now_ms)
{
	int64_t pause = k->hurry ? KEEPER_HURRY_MS : k->interval_ms;
	int64_t deadline = keeper_fence_deadline(k);
	int64_t wake = -1;

	/* wake up at the deadline to fence then; past it, a primary kept
	 * open by its standbys' replies wakes up when they go stale */
	if (deadline > now_ms)
		wake = deadline - now_ms;
	else if (deadline > 0 && k->obs_ok)
		wake = until_replies_stale(&k->obs);
	return wake >= 0 && wake < pause ? wake : pause;
}
