/*
 * keeper_restart.c - restarting this node's Postgres when an operator
 * asked for it (pgkeel perform restart), to apply parameters that only
 * take effect at server start. The keeper records the number of the last
 * request it carried out in keeper.state and reports it, so a request is
 * carried out once, even across keeper restarts (and reported only once
 * it is recorded).
 */
#include "common/log.h"
#include "keeper/keeper.h"

/* The request carried out counts once keeper.state holds it; until then
 * the keeper reports the previous one and tries again each cycle,
 * without restarting Postgres again. */
bool keeper_record_restart(Keeper *k, long long request)
{
	KeeperState next = k->st;
	next.restarted = request;
	if (!statefile_save(k->paths.state, &next)) {
		log_error("restart request %lld carried out, but cannot record "
			  "it in %s: trying again next cycle",
			  request, k->paths.state);
		return false;
	}
	k->st = next;
	return true;
}

bool keeper_restart_if_requested(Keeper *k)
{
	const StoreNode *me = keeper_me(k);
	char err[1024];

	if (!me || me->restart_requested <= k->st.restarted)
		return true;
	if (me->restart_requested <= k->restart_unrecorded)
		return keeper_record_restart(k, k->restart_unrecorded);
	if (me->reinit_requested == me->restart_requested)
		return true; /* a reinit: keeper_reinit.c, in maintenance */
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
	log_info("Postgres restarted");
	k->restart_unrecorded = me->restart_requested;
	return keeper_record_restart(k, k->restart_unrecorded);
}
