/*
 * fence.c - self-fencing (DESIGN invariant 5): a primary whose keeper has
 * not reached the store for fence_timeout and that has no streaming
 * standby stops accepting writes. The monitor cannot promote anyone
 * before node_down_timeout, which start-up checks to be longer than
 * fence_timeout + store_timeout + keeper_interval; so by the time a
 * promotion can happen, this primary has stopped.
 *
 * A standby counts as streaming only while its status messages arrive
 * (every wal_receiver_status_interval, 1 s): a walsender whose standby
 * was cut off stays "streaming" until wal_sender_timeout (5 s), as long
 * as the standby's own receiver takes to notice, and the monitor promotes
 * only once the standbys report they stopped streaming. Judging by the
 * replies, the primary fences itself well before that.
 */
#include <string.h>

#include "keeper/keeper.h"

#define STANDBY_REPLY_FRESH_MS 2000

static bool has_streaming_standby(const Observation *obs)
{
	for (size_t i = 0; i < obs->nstandbys; i++) {
		if (strcmp(obs->standbys[i].state, "streaming") == 0 &&
		    obs->standbys[i].reply_age_ms <= STANDBY_REPLY_FRESH_MS)
			return true;
	}
	return false;
}

bool keeper_should_fence(const Keeper *k, int64_t now_ms)
{
	if (k->fenced || !state_is_primary(k->st.current))
		return false;
	if (now_ms - k->last_store_ok_ms < k->fence_ms)
		return false;
	return !(k->obs_ok && k->obs.running && has_streaming_standby(&k->obs));
}
