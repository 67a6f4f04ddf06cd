/*
 * health.c - the formation's one-word health, the first thing a person
 * reads in `pgkeel show state`.
 */
#include "fsm/fsm.h"

static const char *const names[] = {
	"initializing", "no-standby", "replicating",   "healthy",
	"degraded",     "failing-over", "no-primary", "paused"};

const char *fsm_health_name(FormationHealth h)
{
	return names[h];
}

static bool in_transition(const FsmFormation *f)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		NodeState g = f->nodes[i].goal;
		if (g == NS_PREPARE_PROMOTION || g == NS_DRAINING)
			return true;
	}
	return false;
}

static bool node_ok(const FsmFormation *f, const FsmNode *n)
{
	return n->goal == n->reported && fsm_is_fresh(f, n) && n->pg_running &&
	       n->health_ok;
}

FormationHealth fsm_health(const FsmFormation *f)
{
	const FsmNode *p = fsm_primary(f);
	bool all_ok = true, catching_up = false, standbys = false;

	if (f->settings.paused)
		return FH_PAUSED;
	if (in_transition(f))
		return FH_FAILING_OVER;
	if (!p)
		return f->nnodes == 0 || f->nodes[0].goal == NS_INIT
			       ? FH_INITIALIZING
			       : FH_NO_PRIMARY;
	for (size_t i = 0; i < f->nnodes; i++) {
		const FsmNode *n = &f->nodes[i];
		if (n->goal == NS_DROPPED || n->goal == NS_MAINTENANCE)
			continue;
		all_ok = all_ok && node_ok(f, n);
		if (n != p)
			standbys = true;
		if (n->goal == NS_CATCHINGUP || n->goal == NS_WAIT_STANDBY)
			catching_up = true;
	}
	if (!all_ok)
		return p->reported == NS_INIT ? FH_INITIALIZING : FH_DEGRADED;
	if (!standbys)
		return FH_NO_STANDBY;
	if (catching_up)
		return FH_REPLICATING;
	/* a standby formation's leader has no synchronous standbys */
	return p->goal == NS_PRIMARY || f->settings.standby_of ? FH_HEALTHY
							   : FH_REPLICATING;
}
