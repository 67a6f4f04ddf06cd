/*
 * keeper_restart.c - restarting this node's Postgres when an operator
 * asked for it (pgkeel perform restart), to apply parameters that only
 * take effect at server start. The keeper records the number of the last
 * request it carried out in keeper.state and reports it, so a request is
 * carried out once, even across keeper restarts.
 */
#include "common/log.h"
#include "keeper/keeper.h"

bool keeper_restart_if_requested(Keeper *k)
{
	const StoreNode *me = keeper_me(k);
	char err[1024];

	if (!me || me->restart_requested <= k->st.restarted)
		return true;
	if (me->goal != k->st.current || k->fenced || !k->obs_ok)
		return false;
	log_info("restarting Postgres as requested (request %lld)",
		 me->restart_requested);
	bool ok = pgnode_stop(&k->node, STOP_FAST, err, sizeof(err)) &&
		  pgnode_start(&k->node, err, sizeof(err));
	if (!ok) {
		/* the supervisor starts it again on the next cycle */
		log_error("restart failed: %s", err);
		return false;
	}
	k->st.restarted = me->restart_requested;
	statefile_save(k->paths.state, &k->st);
	log_info("Postgres restarted");
	return true;
}
