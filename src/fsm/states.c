/*
 * states.c - the state table: names, meanings and properties, and what
 * docs/state-machine.md says of each (generated: `make docs`).
 */
#include "fsm/states.h"

#include <string.h>

static const StateInfo states[NS_COUNT] = {
	{NS_INIT, "init", "registered with the monitor; nothing done yet",
	 false, false, false, "not started by pgkeel", "at registration"},
	{NS_SINGLE, "single",
	 "the primary of a formation that has no standby", true, false, true,
	 "primary, writable", "the first node of a formation"},
	{NS_WAIT_PRIMARY, "wait_primary",
	 "the primary; commits do not wait for a standby (none is in sync "
	 "yet, or the synchronous ones were lost)",
	 true, false, true,
	 "primary, writable, `synchronous_standby_names = ''`",
	 "a standby joins; a promoted candidate; too few standbys in sync "
	 "(not strict)"},
	{NS_PRIMARY, "primary",
	 "the primary; every commit waits for the synchronous standby(s)",
	 true, false, true,
	 "primary, `synchronous_standby_names = 'ANY n (...)'`",
	 "enough standbys are in sync"},
	{NS_DRAINING, "draining",
	 "a primary being switched over: it stopped taking writes with a "
	 "fast shutdown that hands all its WAL to the standbys",
	 false, false, false, "stopped cleanly",
	 "`pgkeel perform switchover` / `promotion`"},
	{NS_DEMOTED, "demoted",
	 "a former primary, fenced: its Postgres is kept stopped until it "
	 "rejoins",
	 false, false, false, "stopped",
	 "the primary failed and a candidate was chosen"},
	{NS_WAIT_STANDBY, "wait_standby",
	 "a new standby waiting for the primary to admit it", false, false,
	 false, "not started", "a node joins a formation that has a primary"},
	{NS_CATCHINGUP, "catchingup",
	 "a standby streaming from the primary, not yet in sync; not a "
	 "failover candidate",
	 false, true, true, "standby",
	 "cloned; lost for sync_timeout; following a new primary; a demoted "
	 "node rejoining"},
	{NS_SECONDARY, "secondary",
	 "a standby in sync: in the synchronous set and eligible for "
	 "promotion",
	 false, true, true, "standby",
	 "within 16 MB of the primary and streaming from it"},
	{NS_PREPARE_PROMOTION, "prepare_promotion",
	 "the chosen candidate; it streams any WAL it misses from the most "
	 "advanced standby, then replays it all",
	 false, true, true, "standby",
	 "the primary is down and this is the best candidate"},
	{NS_MAINTENANCE, "maintenance",
	 "out of service for operator work: not in the synchronous set, "
	 "never a candidate",
	 false, false, false,
	 "left alone: pgkeel neither starts, stops nor restarts it",
	 "`pgkeel enable maintenance` (a primary first switches over); "
	 "while `pgkeel perform reinit` clones a standby again"},
	{NS_DROPPED, "dropped",
	 "removed from the formation; the monitor deletes its row once the "
	 "keeper reported it (or after 30 s without reports)",
	 false, false, false, "stopped (fast)", "`pgkeel drop node`"},
};

const StateInfo *state_info(NodeState s)
{
	return (s >= 0 && s < NS_COUNT) ? &states[s] : &states[NS_INIT];
}

const char *state_name(NodeState s)
{
	return state_info(s)->name;
}

bool state_parse(const char *name, NodeState *out)
{
	for (int i = 0; i < NS_COUNT; i++) {
		if (name && strcmp(states[i].name, name) == 0) {
			*out = (NodeState)i;
			return true;
		}
	}
	return false;
}

bool state_is_primary(NodeState s)
{
	return s == NS_SINGLE || s == NS_WAIT_PRIMARY || s == NS_PRIMARY;
}

bool state_is_standby(NodeState s)
{
	return s == NS_CATCHINGUP || s == NS_SECONDARY ||
	       s == NS_PREPARE_PROMOTION;
}

const char *state_role_name(NodeState s)
{
	return state_is_primary(s)   ? "primary"
	       : state_is_standby(s) ? "standby"
				     : "none";
}
