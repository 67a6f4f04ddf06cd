/*
 * keeper_reinit.c - cloning this standby again from scratch when an
 * operator asked for it (pgkeel perform reinit, docs/commands.md).
 *
 * A reinit is a restart request that re-clones: the monitor keeps the
 * node in maintenance while it is pending, so it is neither a failover
 * candidate nor in the synchronous set. The keeper then stops Postgres,
 * moves the data directory aside to PGDATA.pgkeel-reinit-<request> (kept
 * for the operator to remove: pgkeel never deletes it), clones the
 * current primary with pg_basebackup (progress in the log), starts the
 * copy as its standby and records the request as carried out, which
 * ends the maintenance. Each step can be run again after an
 * interruption: the directory moved aside tells that the move is done,
 * and an interrupted clone is cleared by the next one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "keeper/keeper.h"
#include "pg/pgslots.h"

/* The primary to clone from: settled, writable, not this node. */
static const StoreNode *clone_source(const Keeper *k, const StoreNode *me)
{
	const StoreNode *p = store_formation_primary(k->formation);
	if (!p || p == me || p->reported != p->goal)
		return NULL;
	return p;
}

static void follow_source(Keeper *k, const StoreNode *me,
			  const StoreNode *p)
{
	keeper_apply_role(k, NS_CATCHINGUP);
	k->node.has_upstream = true;
	snprintf(k->node.up_host, sizeof(k->node.up_host), "%s", p->host);
	k->node.up_port = p->port;
	slot_name_for(me->name, k->node.up_slot, sizeof(k->node.up_slot));
}

/* Stops Postgres and moves PGDATA to aside, unless done before. */
static bool move_aside(Keeper *k, const char *aside, char *err,
		       size_t errlen)
{
	const char *dir = k->node.pgdata;

	if (fs_exists(aside))
		return true; /* moved by an earlier attempt */
	if (!pgnode_stop(&k->node, STOP_FAST, err, errlen))
		return false;
	if (!fs_exists(dir))
		return true;
	if (rename(dir, aside) != 0) {
		snprintf(err, errlen, "cannot move %s aside to %s: %s", dir,
			 aside, strerror(errno));
		return false;
	}
	log_info("the old data directory is kept in %s: remove it once the "
		 "node streams again",
		 aside);
	return true;
}

static bool reinit(Keeper *k, const StoreNode *me, const StoreNode *p,
		   long long request, char *err, size_t errlen)
{
	char aside[1200];

	snprintf(aside, sizeof(aside), "%s.pgkeel-reinit-%lld",
		 k->node.pgdata, request);
	log_info("reinit requested (request %lld): cloning %s again from "
		 "the primary %s (%s:%d)",
		 request, k->node.pgdata, p->name, p->host, p->port);
	follow_source(k, me, p);
	keeper_local_close(k);
	return move_aside(k, aside, err, errlen) &&
	       keeper_note_creation(k, err, errlen) &&
	       pgnode_clone_standby(&k->node, err, errlen);
}

/* 250 ms, doubling up to 32 s, as transitions are retried */
static void retry_later(Keeper *k, int64_t now_ms, const char *err)
{
	int64_t delay = 250LL << (k->reinit_failures < 7 ? k->reinit_failures
							 : 7);
	k->reinit_failures++;
	k->next_reinit_ms = now_ms + delay;
	log_error("reinit failed (retrying in %lld ms): %s", (long long)delay,
		  err);
}

bool keeper_reinit_if_requested(Keeper *k, int64_t now_ms)
{
	const StoreNode *me = keeper_me(k);
	char err[1024];

	if (!me || me->reinit_requested <= k->st.restarted ||
	    me->reinit_requested != me->restart_requested)
		return true;
	if (me->reinit_requested <= k->restart_unrecorded)
		return keeper_record_restart(k, k->restart_unrecorded);
	if (me->goal != NS_MAINTENANCE || k->st.current != NS_MAINTENANCE ||
	    now_ms < k->next_reinit_ms)
		return false; /* out of service first; or a retry not due */
	const StoreNode *p = clone_source(k, me);
	if (!p) {
		log_warn("reinit waits for a settled primary to clone from");
		return false;
	}
	long long request = me->reinit_requested;
	keeper_publish(k, now_ms, true);
	if (!reinit(k, me, p, request, err, sizeof(err))) {
		retry_later(k, time_monotonic_ms(), err);
		return false;
	}
	k->reinit_failures = 0;
	k->next_reinit_ms = 0;
	log_info("reinit done: running as a standby of %s", p->name);
	k->restart_unrecorded = request;
	return keeper_record_restart(k, request);
}
