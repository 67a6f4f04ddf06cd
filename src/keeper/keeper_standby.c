/*
 * keeper_standby.c - a node of a standby formation (formation.standby_of,
 * docs/state-machine.md "Standby formations"): its primary, the standby
 * leader, streams from the source formation's URI instead of taking
 * writes; every node replicates with the source's role (the formation's
 * roles are the source's copy, read-only here); and once the setting is
 * removed (`pgkeel perform promotion`), the leader is promoted.
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "keeper/keeper.h"
#include "pg/pgconninfo.h"

bool keeper_standby_formation(const Keeper *k)
{
	return k->formation && k->formation->standby_of[0] != '\0';
}

void keeper_standby_role(Keeper *k, NodeState goal)
{
	PgNode *node = &k->node;
	const char *uri = k->formation->standby_of;
	bool standby = keeper_standby_formation(k);

	node->src_creds = standby;
	node->up_uri[0] = '\0';
	if (!standby)
		return;
	pg_conninfo_get(uri, "user", node->src_user, sizeof(node->src_user));
	pg_conninfo_get(uri, "passfile", node->src_passfile,
			sizeof(node->src_passfile));
	node->sync_names[0] = '\0';
	if (!state_is_primary(goal))
		return;
	/* the standby leader: a standby of the source, through no slot
	 * there (the source keeps WAL for it as docs/state-machine.md
	 * says) */
	node->has_upstream = true;
	snprintf(node->up_uri, sizeof(node->up_uri), "%s", uri);
	node->up_slot[0] = '\0';
}

/*
 * The leader of a formation that stopped being a standby formation is
 * promoted (pg_promote) and configured as a primary; true when there is
 * nothing (more) to do.
 */
bool keeper_standby_promote(Keeper *k)
{
	char err[1024];
	bool changed;
	int timeline = 0;

	if (keeper_standby_formation(k) || !state_is_primary(k->st.current) ||
	    !k->obs_ok || !k->obs.in_recovery)
		return true;
	log_info("formation.standby_of was removed: promoting the standby "
		 "leader");
	keeper_local_close(k);
	k->node.has_upstream = false;
	k->node.up_uri[0] = '\0';
	if (!pgnode_promote(&k->node, &timeline, err, sizeof(err)) ||
	    !pgnode_write_config(&k->node, &changed, err, sizeof(err)) ||
	    !pgnode_reload(&k->node, err, sizeof(err))) {
		log_error("cannot promote the standby leader: %s", err);
		return false;
	}
	k->obs.in_recovery = false;
	return true;
}
