/*
 * fence.c - self-fencing (DESIGN invariant 5): a primary whose keeper has
 * not reached the store for fence_timeout and that has no streaming
 * standby stops accepting writes. The monitor cannot promote anyone
 * before node_down_timeout, which start-up checks to be longer than
 * fence_timeout + store_timeout + keeper_interval; so by the time a
 * promotion can happen, this primary has stopped.
 */
#include <string.h>

#include "keeper/keeper.h"

static bool has_streaming_standby(const Observation *obs)
{
	for (size_t i = 0; i < obs->nstandbys; i++) {
		if (strcmp(obs->standbys[i].state, "streaming") == 0)
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
