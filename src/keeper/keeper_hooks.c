/*
 * keeper_hooks.c - the operator's hook commands (docs/http-api.md#hooks).
 * hooks.state_change and the per-event hooks (on_role_change,
 * on_failover, on_switchover) are queued and run in the background, so
 * they never block the keeper's loop; hooks.pre_promote runs just
 * before this node's Postgres is promoted, and the promotion waits for
 * its answer: a non-zero exit or a timeout vetoes it, and the keeper
 * reports the veto to the monitor for KEEPER_VETO_HOLD_MS.
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "keeper/keeper.h"

static const struct {
	SettingId command;
	const char *event;
} event_hooks[KEEPER_NHOOKS] = {
	[KEEPER_HOOK_ROLE_CHANGE] = {S_HOOK_ON_ROLE_CHANGE, "on_role_change"},
	[KEEPER_HOOK_FAILOVER] = {S_HOOK_ON_FAILOVER, "on_failover"},
	[KEEPER_HOOK_SWITCHOVER] = {S_HOOK_ON_SWITCHOVER, "on_switchover"},
};

void keeper_hooks_configure(Keeper *k, bool first)
{
	int64_t timeout = config_get_ms(&k->cfg, S_HOOK_TIMEOUT);

	if (first)
		hookrun_init(&k->hooks, "", timeout);
	snprintf(k->hooks.command, sizeof(k->hooks.command), "%s",
		 config_get(&k->cfg, S_HOOK_STATE_CHANGE));
	k->hooks.timeout_ms = timeout;
	for (int i = 0; i < KEEPER_NHOOKS; i++) {
		HookRunner *h = &k->event_hooks[i];
		if (first)
			hookrun_init(h, "", timeout);
		snprintf(h->command, sizeof(h->command), "%s",
			 config_get(&k->cfg, event_hooks[i].command));
		h->timeout_ms = timeout;
	}
}

void keeper_hooks_poll(Keeper *k, int64_t now_ms)
{
	hookrun_poll(&k->hooks, now_ms);
	for (int i = 0; i < KEEPER_NHOOKS; i++)
		hookrun_poll(&k->event_hooks[i], now_ms);
}

void keeper_hooks_stop(Keeper *k)
{
	hookrun_stop(&k->hooks);
	for (int i = 0; i < KEEPER_NHOOKS; i++)
		hookrun_stop(&k->event_hooks[i]);
}

/* The variables every hook gets. */
static void common_vars(const Keeper *k, HookEvent *e, const char *event,
			NodeState old, NodeState now)
{
	char id[16], port[16];

	snprintf(id, sizeof(id), "%d", k->st.node_id);
	snprintf(port, sizeof(port), "%d", k->node.port);
	hookrun_var(e, "PGKEEL_EVENT", event);
	hookrun_var(e, "PGKEEL_OLD_STATE", state_name(old));
	hookrun_var(e, "PGKEEL_NEW_STATE", state_name(now));
	hookrun_var(e, "PGKEEL_ROLE", state_role_name(now));
	hookrun_var(e, "PGKEEL_FORMATION", config_get(&k->cfg, S_FORMATION));
	hookrun_var(e, "PGKEEL_NODE_NAME", k->st.name);
	hookrun_var(e, "PGKEEL_NODE_ID", id);
	hookrun_var(e, "PGKEEL_HOST", config_get(&k->cfg, S_HOSTNAME));
	hookrun_var(e, "PGKEEL_PORT", port);
	hookrun_var(e, "PGKEEL_PGDATA", k->node.pgdata);
}

/* ... and those of a promotion: its kind and the old primary. */
static void promotion_vars(const Keeper *k, HookEvent *e)
{
	hookrun_var(e, "PGKEEL_PROMOTION",
		    k->promo_switchover ? "switchover" : "failover");
	hookrun_var(e, "PGKEEL_OLD_PRIMARY", k->promo_old_primary);
}

void keeper_fire_hook(Keeper *k, const char *event, NodeState old,
		      NodeState now)
{
	HookEvent e = {.nvars = 0};
	common_vars(k, &e, event, old, now);
	hookrun_fire(&k->hooks, &e);
}

/* The role a state keeps from the last primary or standby one: a
 * draining or demoted node is still the old primary until it follows
 * another; NULL for a node that had neither role yet (or dropped). */
static const char *held_role(NodeState s)
{
	if (state_is_primary(s) || s == NS_DRAINING || s == NS_DEMOTED)
		return "primary";
	if (state_is_standby(s) || s == NS_MAINTENANCE)
		return "standby";
	return NULL;
}

static void fire_event_hook(Keeper *k, int which, NodeState old,
			    NodeState now, bool promotion)
{
	HookEvent e = {.nvars = 0};
	common_vars(k, &e, event_hooks[which].event, old, now);
	if (which == KEEPER_HOOK_ROLE_CHANGE)
		hookrun_var(&e, "PGKEEL_OLD_ROLE", held_role(old));
	if (promotion)
		promotion_vars(k, &e);
	hookrun_fire(&k->event_hooks[which], &e);
}

void keeper_hooks_reached(Keeper *k, NodeState old, NodeState now)
{
	const char *was = held_role(old), *is = held_role(now);
	bool promotion = old == NS_PREPARE_PROMOTION && state_is_primary(now);

	keeper_fire_hook(k, "state_change", old, now);
	if (was && is && strcmp(was, is) != 0)
		fire_event_hook(k, KEEPER_HOOK_ROLE_CHANGE, old, now,
				promotion);
	if (promotion)
		fire_event_hook(k, k->promo_switchover ? KEEPER_HOOK_SWITCHOVER
						       : KEEPER_HOOK_FAILOVER,
				old, now, true);
	if (promotion)
		k->promo_noted = false;
}

/* The node a promotion replaces: the draining one (a switchover), else
 * the demoted one we followed, else any demoted one. Read when the
 * goal prepare_promotion is first seen: the old primary is demoted in
 * the same decision that promotes us, draining or not. */
static const StoreNode *old_primary(const Keeper *k)
{
	const StoreFormation *f = k->formation;
	const StoreNode *me = keeper_me(k), *up, *demoted = NULL;

	for (size_t i = 0; i < f->nnodes; i++) {
		if (f->nodes[i].goal == NS_DRAINING)
			return &f->nodes[i];
		if (f->nodes[i].goal == NS_DEMOTED && !demoted)
			demoted = &f->nodes[i];
	}
	up = me && me->upstream_id
		     ? store_formation_node(f, me->upstream_id)
		     : NULL;
	return up && up->goal == NS_DEMOTED ? up : demoted;
}

void keeper_note_promotion(Keeper *k)
{
	const StoreNode *old = old_primary(k);
	k->promo_switchover = old && old->goal == NS_DRAINING;
	snprintf(k->promo_old_primary, sizeof(k->promo_old_primary), "%s",
		 old ? old->name : "");
	k->promo_noted = true;
}

static void say_veto(HookResult r, int status, int64_t timeout_ms,
		     char *err, size_t errlen)
{
	const char *hold = "reported to the monitor, which does not choose "
			   "this node again until a new primary is in place "
			   "or for";
	long long secs = KEEPER_VETO_HOLD_MS / 1000;

	if (r == HOOK_TIMED_OUT)
		snprintf(err, errlen, "promotion vetoed: the pre_promote hook "
			 "was still running after %lld ms (killed); %s %lld s",
			 (long long)timeout_ms, hold, secs);
	else if (r == HOOK_NOT_STARTED)
		snprintf(err, errlen, "promotion vetoed: the pre_promote hook "
			 "could not start; %s %lld s", hold, secs);
	else if (status >= 0)
		snprintf(err, errlen, "promotion vetoed: the pre_promote hook "
			 "exited with status %d; %s %lld s", status, hold, secs);
	else
		snprintf(err, errlen, "promotion vetoed: the pre_promote hook "
			 "was killed by a signal; %s %lld s", hold, secs);
}

bool keeper_pre_promote(Keeper *k, char *err, size_t errlen)
{
	const char *command = config_get(&k->cfg, S_HOOK_PRE_PROMOTE);
	int64_t timeout = config_get_ms(&k->cfg, S_HOOK_PRE_PROMOTE_TIMEOUT);
	HookEvent e = {.nvars = 0};
	int status;

	if (!k->promo_noted) /* the keeper restarted since */
		keeper_note_promotion(k);
	if (!command[0])
		return true;
	common_vars(k, &e, "pre_promote", NS_PREPARE_PROMOTION,
		    NS_WAIT_PRIMARY);
	promotion_vars(k, &e);
	log_info("running the pre_promote hook (%s, old primary %s)",
		 k->promo_switchover ? "switchover" : "failover",
		 k->promo_old_primary[0] ? k->promo_old_primary : "unknown");
	HookResult r = hookrun_wait(command, &e, timeout, &status);
	if (r == HOOK_OK) {
		log_info("the pre_promote hook allows the promotion");
		return true;
	}
	say_veto(r, status, timeout, err, errlen);
	k->veto_until_ms = time_monotonic_ms() + KEEPER_VETO_HOLD_MS;
	k->promotion_start_ms = 0;
	k->promo_noted = false;
	return false;
}

/* Another node is the primary, settled: the veto was about a promotion
 * that is over. */
static bool new_primary(const Keeper *k)
{
	for (size_t i = 0; i < k->formation->nnodes; i++) {
		const StoreNode *n = &k->formation->nodes[i];
		if (n->id != k->st.node_id && state_is_primary(n->goal) &&
		    n->reported == n->goal)
			return true;
	}
	return false;
}

void keeper_veto_expire(Keeper *k, int64_t now_ms)
{
	if (k->veto_until_ms == 0)
		return;
	if (now_ms < k->veto_until_ms && !new_primary(k))
		return;
	log_info("the pre_promote hook's veto is over: this node may be "
		 "chosen for a promotion again");
	k->veto_until_ms = 0;
}

bool keeper_vetoed(const Keeper *k)
{
	return k->veto_until_ms != 0;
}
