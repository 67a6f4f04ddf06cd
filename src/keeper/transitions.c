/*
 * transitions.c - what the keeper does to move its node from its current
 * state to the goal the monitor assigned: a table of (from, to, action).
 * Actions are the idempotent node operations of pgnode.h, so a failed or
 * interrupted transition is simply run again. docs/state-machine.md's
 * list of them is generated from this table (`make docs`).
 */
#include <stdio.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "keeper/keeper.h"
#include "keeper/transitions.h"

#define ANY KEEPER_ANY

static bool nothing(Keeper *k, char *err, size_t errlen)
{
	(void)k;
	(void)err;
	(void)errlen;
	return true;
}

/* Applies the role configuration (synchronous standby names) now, so that
 * reaching the state means Postgres already behaves accordingly. */
static bool reconfigure(Keeper *k, char *err, size_t errlen)
{
	bool changed;
	if (!pgnode_write_config(&k->node, &changed, err, errlen))
		return false;
	return !changed || pgnode_reload(&k->node, err, errlen);
}

bool keeper_note_creation(Keeper *k, char *err, size_t errlen)
{
	const char *dir = k->node.pgdata;
	if (k->st.created_pgdata ||
	    (fs_exists(dir) && !fs_dir_is_empty(dir)))
		return true;
	KeeperState next = k->st;
	next.created_pgdata = true;
	if (!statefile_save(k->paths.state, &next)) {
		snprintf(err, errlen, "cannot record in %s that pgkeel "
			 "creates %s: not creating it", k->paths.state, dir);
		return false;
	}
	k->st = next;
	return true;
}

static bool clone_standby(Keeper *k, char *err, size_t errlen)
{
	return keeper_note_creation(k, err, errlen) &&
	       pgnode_clone_standby(&k->node, err, errlen);
}

/* A standby formation's first node is a clone of its source. */
static bool init_primary(Keeper *k, char *err, size_t errlen)
{
	if (keeper_standby_formation(k))
		return clone_standby(k, err, errlen);
	return keeper_note_creation(k, err, errlen) &&
	       pgnode_init_primary(&k->node, err, errlen);
}

static bool follow(Keeper *k, char *err, size_t errlen)
{
	return pgnode_follow(&k->node, err, errlen);
}

static bool stop_postgres(Keeper *k, char *err, size_t errlen)
{
	/* immediate: this node must stop accepting writes now */
	return pgnode_fence(&k->node, true, err, errlen) &&
	       pgnode_stop(&k->node, STOP_IMMEDIATE, err, errlen);
}

/* Switchover: a fast shutdown makes the WAL senders hand every record,
 * the shutdown checkpoint included, to the standbys; its location tells
 * the monitor when the candidate has it all. A pgBouncer in front is
 * paused first, so that its clients wait instead of failing; the new
 * primary's keeper resumes it. */
static bool drain(Keeper *k, char *err, size_t errlen)
{
	bool paused = keeper_pgbouncer_pause(k);
	if (!pgnode_stop(&k->node, STOP_FAST, err, errlen)) {
		if (paused)
			keeper_pgbouncer_resume(k);
		return false;
	}
	if (!pgctl_checkpoint_lsn(&k->node.bin, k->node.pgdata,
				  &k->drained_lsn)) {
		snprintf(err, errlen, "cannot read the last checkpoint with "
				      "pg_controldata");
		return false;
	}
	return true;
}

static bool stop_fast(Keeper *k, char *err, size_t errlen)
{
	return pgnode_stop(&k->node, STOP_FAST, err, errlen);
}

static bool rejoin(Keeper *k, char *err, size_t errlen)
{
	return pgnode_rejoin(&k->node, err, errlen);
}

/* The candidate replays every WAL record it received before promotion. */
static bool finish_replay(Keeper *k, char *err, size_t errlen)
{
	Observation obs;
	int64_t deadline = time_monotonic_ms() + k->node.timeout_ms;

	while (time_monotonic_ms() < deadline) {
		if (!pgnode_observe(&k->node, &obs, err, errlen))
			return false;
		if (obs.replay_lsn >= obs.receive_lsn)
			return true;
		time_sleep_ms(20);
	}
	snprintf(err, errlen, "replay did not finish");
	return false;
}

static bool promote(Keeper *k, char *err, size_t errlen)
{
	int timeline = 0;
	bool changed;

	/* a standby formation's new leader follows the source instead */
	if (keeper_standby_formation(k))
		return pgnode_follow(&k->node, err, errlen);
	if (!finish_replay(k, err, errlen) || !keeper_pre_promote(k, err, errlen))
		return false;
	/* stop following before the promotion so that postgresql.pgkeel.conf
	 * describes a primary when Postgres next reads it */
	k->node.has_upstream = false;
	if (!pgnode_promote(&k->node, &timeline, err, errlen) ||
	    !pgnode_write_config(&k->node, &changed, err, errlen) ||
	    !pgnode_reload(&k->node, err, errlen))
		return false;
	keeper_pgbouncer_own(k); /* a pool paused by a switchover waits */
	return true;
}

const KeeperTransition keeper_transitions[] = {
	{NS_INIT, NS_SINGLE, init_primary,
	 "initialize (or adopt) the primary; in a standby formation, clone "
	 "the source and stream from it"},
	{NS_INIT, NS_WAIT_STANDBY, nothing, "wait for the primary"},
	{NS_WAIT_STANDBY, NS_CATCHINGUP, clone_standby,
	 "clone the primary and start streaming"},
	{NS_INIT, NS_CATCHINGUP, clone_standby,
	 "clone the primary and start streaming"},
	{NS_CATCHINGUP, NS_SECONDARY, nothing, "in sync"},
	{NS_SECONDARY, NS_CATCHINGUP, follow, "follow the primary"},
	{NS_CATCHINGUP, NS_CATCHINGUP, follow, "follow the new primary"},
	{NS_SINGLE, NS_WAIT_PRIMARY, reconfigure, "admit standbys"},
	{NS_WAIT_PRIMARY, NS_PRIMARY, reconfigure, "commits wait for standbys"},
	{NS_PRIMARY, NS_WAIT_PRIMARY, reconfigure, "commits stop waiting"},
	{NS_WAIT_PRIMARY, NS_SINGLE, reconfigure, "no standby left"},
	/* the monitor may pass wait_primary within one decision cycle */
	{NS_PRIMARY, NS_SINGLE, reconfigure, "no standby left"},
	{NS_SECONDARY, NS_PREPARE_PROMOTION, follow,
	 "get ready: fetch missing WAL from the most advanced standby"},
	{NS_PREPARE_PROMOTION, NS_WAIT_PRIMARY, promote,
	 "promote; in a standby formation, stream from the source instead"},
	{NS_PREPARE_PROMOTION, NS_SECONDARY, nothing, "promotion cancelled"},
	{NS_DEMOTED, NS_CATCHINGUP, rejoin,
	 "rewind (or re-clone) and follow the new primary"},
	{NS_PRIMARY, NS_DRAINING, drain, "fast shutdown, handing over all WAL"},
	{NS_WAIT_PRIMARY, NS_DRAINING, drain,
	 "fast shutdown, handing over all WAL"},
	{ANY, NS_DEMOTED, stop_postgres, "stop Postgres (fenced)"},
	{ANY, NS_DROPPED, stop_fast, "dropped: stop Postgres"},
	{NS_SECONDARY, NS_MAINTENANCE, nothing,
	 "maintenance: Postgres is left alone"},
	{NS_CATCHINGUP, NS_MAINTENANCE, nothing,
	 "maintenance: Postgres is left alone"},
	{NS_MAINTENANCE, NS_CATCHINGUP, follow,
	 "back from maintenance: follow the primary"},
};

const size_t keeper_ntransitions =
	sizeof(keeper_transitions) / sizeof(keeper_transitions[0]);

bool keeper_transition(Keeper *k, NodeState from, NodeState to, char *err,
		       size_t errlen)
{
	for (size_t i = 0; i < keeper_ntransitions; i++) {
		const KeeperTransition *t = &keeper_transitions[i];
		if ((t->from != ANY && t->from != from) || t->to != to)
			continue;
		log_info("%s -> %s: %s", state_name(from), state_name(to),
			 t->what);
		return t->action(k, err, errlen);
	}
	snprintf(err, errlen, "no transition from %s to %s", state_name(from),
		 state_name(to));
	return false;
}
