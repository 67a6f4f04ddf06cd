/*
 * states.c - the state table: names, meanings and properties.
 */
#include "fsm/states.h"

#include <string.h>

static const StateInfo states[NS_COUNT] = {
	{NS_INIT, "init", "registered with the monitor; nothing done yet",
	 false, false, false},
	{NS_SINGLE, "single",
	 "the primary of a formation that has no standby", true, false, true},
	{NS_WAIT_PRIMARY, "wait_primary",
	 "the primary; commits do not wait for any standby (none is in sync "
	 "yet, or the synchronous ones were lost)",
	 true, false, true},
	{NS_PRIMARY, "primary",
	 "the primary; every commit waits for the synchronous standby(s)",
	 true, false, true},
	{NS_DRAINING, "draining",
	 "a primary being switched over: it refuses new writes and stops so "
	 "that the candidate receives all of its WAL",
	 false, false, false},
	{NS_DEMOTED, "demoted",
	 "a former primary, fenced: its Postgres is kept stopped until it "
	 "rejoins as a standby",
	 false, false, false},
	{NS_WAIT_STANDBY, "wait_standby",
	 "a new standby waiting for the primary to admit it", false, false,
	 false},
	{NS_CATCHINGUP, "catchingup",
	 "a standby streaming from the primary that is not yet in sync; not "
	 "a failover candidate",
	 false, true, true},
	{NS_SECONDARY, "secondary",
	 "a standby in sync with the primary: counted in the synchronous "
	 "quorum and eligible for promotion",
	 false, true, true},
	{NS_PREPARE_PROMOTION, "prepare_promotion",
	 "the chosen candidate, replaying the last WAL it received before "
	 "being promoted",
	 false, true, true},
	{NS_MAINTENANCE, "maintenance",
	 "taken out of service by an operator; pgkeel leaves its Postgres "
	 "alone",
	 false, false, false},
	{NS_DROPPED, "dropped", "removed from the formation", false, false,
	 false},
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
