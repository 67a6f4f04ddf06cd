/*
 * keeper_role.c - turning the formation read from the store into this
 * node's role configuration, and the duties a role carries (whenever
 * what they depend on changed, keeper_digest.c):
 * a primary admits and keeps slots for every other node and applies its
 * synchronous standby names; a standby follows its assigned upstream and
 * keeps slots for the others advanced, ready for its own promotion;
 * both keep the formation's permanent slots (keeper_permslots.c).
 * A primary also keeps the role the monitor's health checks log in as.
 * A standby formation's leader is a standby of its source
 * (keeper_standby.c).
 * Every node archives to the formation's pgBackRest stanza, if it names
 * one (docs/pgbackrest.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/idents.h"
#include "common/log.h"
#include "keeper/keeper.h"
#include "pg/pgconf.h"
#include "pg/pgdbroles.h"
#include "pg/pgslots.h"

const StoreNode *keeper_upstream(const Keeper *k)
{
	const StoreNode *me = keeper_me(k);
	return me && me->upstream_id
		       ? store_formation_node(k->formation, me->upstream_id)
		       : NULL;
}

static bool has_host(const PgNode *node, const char *host)
{
	for (size_t i = 0; i < node->nhosts; i++) {
		if (strcmp(node->hosts[i], host) == 0)
			return true;
	}
	return false;
}

static void collect_hosts(Keeper *k)
{
	PgNode *node = &k->node;

	node->nhosts = 0;
	for (size_t i = 0; i < k->formation->nnodes; i++) {
		const StoreNode *n = &k->formation->nodes[i];
		if (n->id == k->st.node_id || n->goal == NS_DROPPED ||
		    has_host(node, n->host) || node->nhosts >= PGNODE_MAX_HOSTS)
			continue;
		/* the store checks hosts too; this keeper does not rely on it */
		if (!host_is_valid(n->host)) {
			if (k->bad_host_id != n->id)
				log_error("node %d's host in the store is not a "
					  "host name or IP address: not admitted "
					  "in pg_hba.conf",
					  n->id);
			k->bad_host_id = n->id;
			continue;
		}
		snprintf(node->hosts[node->nhosts++], sizeof(node->hosts[0]),
			 "%s", n->host);
	}
}

/* The formation-wide parameters, rendered after pgkeel's own. */
static void collect_params(Keeper *k)
{
	const StoreFormation *f = k->formation;

	size_t n = 0;
	for (size_t i = 0; i < f->nparams && i < STORE_MAX_PARAMS; i++) {
		if (!pgconf_name_is_valid(f->params[i].name)) {
			log_error("a formation parameter was not applied: its "
				  "name is not a Postgres parameter name");
			continue;
		}
		char *q = pgconf_quote(f->params[i].value);
		if (!q) {
			log_error("formation parameter %s not applied: its "
				  "value holds a control character",
				  f->params[i].name);
			continue;
		}
		snprintf(k->param_values[n], sizeof(k->param_values[n]), "%s",
			 q);
		free(q);
		k->params[n].name = f->params[i].name;
		k->params[n].value = k->param_values[n];
		n++;
	}
	k->node.nparams = n;
	k->node.params = k->params;
}

void keeper_apply_role(Keeper *k, NodeState goal)
{
	PgNode *node = &k->node;
	const StoreNode *me = keeper_me(k);
	const StoreNode *up = keeper_upstream(k);
	char err[512];

	if (!me)
		return;
	if (!pgnode_set_repl_password(node, k->formation->repl_password, err,
				      sizeof(err)))
		log_error("replication password: %s", err);
	collect_hosts(k);
	collect_params(k);
	snprintf(node->br_stanza, sizeof(node->br_stanza), "%s",
		 k->formation->pgbackrest_stanza);
	node->has_upstream = (state_is_standby(goal) || goal == NS_DEMOTED ||
			      goal == NS_WAIT_STANDBY) &&
			     up != NULL;
	if (node->has_upstream) {
		snprintf(node->up_host, sizeof(node->up_host), "%s", up->host);
		node->up_port = up->port;
		slot_name_for(me->name, node->up_slot, sizeof(node->up_slot));
	}
	node->apply_delay_ms = me->apply_delay;
	snprintf(node->sync_names, sizeof(node->sync_names), "%s",
		 state_is_primary(goal) ? me->sync_names : "");
	keeper_standby_role(k, goal);
}

/* Slot names of every other node of the formation. */
static size_t wanted_slots(const Keeper *k, char (*names)[64],
			   const char **ptrs, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < k->formation->nnodes && n < max; i++) {
		const StoreNode *o = &k->formation->nodes[i];
		if (o->id == k->st.node_id || o->goal == NS_DROPPED)
			continue;
		slot_name_for(o->name, names[n], sizeof(names[n]));
		ptrs[n] = names[n];
		n++;
	}
	return n;
}

/*
 * On a primary, the slot of a node that streams from a standby
 * (cascading) is not used: it follows the node's received LSN, as it
 * would were the node streaming here, so that it neither holds WAL for
 * ever nor lets go of WAL the node still needs when it comes back here.
 */
static void advance_cascaded_slots(const Keeper *k, PgConn *pc)
{
	char name[64];

	for (size_t i = 0; i < k->formation->nnodes; i++) {
		const StoreNode *o = &k->formation->nodes[i];
		const StoreNode *up =
			store_formation_node(k->formation, o->upstream_id);
		if (o->id == k->st.node_id || !up || up->id == k->st.node_id ||
		    !state_is_standby(up->goal) || o->report.lsn == LSN_INVALID)
			continue;
		slot_name_for(o->name, name, sizeof(name));
		if (!slot_advance(pc, name, o->report.lsn))
			log_warn("replication slot %s: %s", name, pc->error);
	}
}

static bool sync_slots(Keeper *k, bool primary)
{
	char names[SLOTS_MAX][64];
	const char *ptrs[SLOTS_MAX];
	PgConn *pc = keeper_local(k);

	/* a standby keeps one for its upstream too: promoted, it holds the
	 * WAL its old primary needs to rejoin */
	size_t n = wanted_slots(k, names, ptrs, SLOTS_MAX);
	if (!pc)
		return false;
	if (primary)
		advance_cascaded_slots(k, pc);
	if (slots_sync(pc, ptrs, n, primary ? LSN_INVALID : k->obs.replay_lsn))
		return true;
	log_warn("replication slots: %s", pc->error);
	return false;
}

/*
 * The formation's passwords on our primary's roles (standbys get them by
 * replication): the replication role's and the health-check role's, once
 * after the keeper starts and whenever the store's passwords change
 * (`pgkeel rotate`). ALTER ROLE leaves open sessions alone, so a new
 * password costs no downtime; the other nodes read theirs from the store
 * into their replication.pgpass.
 */
static bool ensure_roles(Keeper *k)
{
	const StoreFormation *f = k->formation;
	bool repl = strcmp(k->repl_applied, f->repl_password) != 0;
	bool health = strcmp(k->health_applied, f->health_password) != 0;
	PgConn *pc = repl || health ? keeper_local(k) : NULL;

	if (!repl && !health)
		return true;
	if (!pc)
		return false;
	if (repl && pgdbroles_ensure_replication(pc, k->node.repl_user,
					       f->repl_password)) {
		log_info("role %s has the formation's replication password",
			 k->node.repl_user);
		snprintf(k->repl_applied, sizeof(k->repl_applied), "%s",
			 f->repl_password);
	} else if (repl) {
		log_warn("cannot set up role %s: %s", k->node.repl_user,
			 pc->error);
	}
	if (health && pgdbroles_ensure_health(pc, f->health_password)) {
		log_info("role %s is ready for the monitor's health checks",
			 PG_HEALTH_ROLE);
		snprintf(k->health_applied, sizeof(k->health_applied), "%s",
			 f->health_password);
	} else if (health) {
		log_warn("cannot set up role %s: %s", PG_HEALTH_ROLE,
			 pc->error);
	}
	return strcmp(k->repl_applied, f->repl_password) == 0 &&
	       strcmp(k->health_applied, f->health_password) == 0;
}

void keeper_duties(Keeper *k, int64_t now_ms)
{
	NodeState cur = k->st.current;
	bool changed = false;
	char err[1024];

	if (!keeper_me(k) || !k->obs_ok)
		return;
	if (!state_is_primary(cur) && !state_is_standby(cur))
		return;
	uint64_t digest = keeper_duties_digest(k->formation, cur);
	if (k->duties_ms > 0 && digest == k->duties_digest &&
	    now_ms - k->duties_ms < KEEPER_DUTIES_REFRESH_MS)
		return;
	keeper_apply_role(k, cur);
	if (!pgnode_write_config(&k->node, &changed, err, sizeof(err))) {
		log_error("%s", err);
		return;
	}
	if (changed) {
		log_info("configuration changed (sync names \"%s\", "
			 "%zu formation parameters, upstream %s:%d): "
			 "reloading",
			 k->node.sync_names, k->node.nparams,
			 k->node.has_upstream ? k->node.up_host : "-",
			 k->node.has_upstream ? k->node.up_port : 0);
		if (k->node.has_upstream &&
		    !pgnode_ensure_upstream_slot(&k->node, err, sizeof(err)))
			log_warn("%s", err);
		if (!pgnode_reload(&k->node, err, sizeof(err)))
			log_error("%s", err);
		k->pending_checked_ms = 0; /* a parameter may wait now */
	}
	bool done = sync_slots(k, state_is_primary(cur));
	done = keeper_permanent_slots(k, state_is_primary(cur)) && done;
	/* tried again at the next refresh, not every cycle: a declared
	 * database that does not exist would be logged twice a second; a
	 * standby formation's nodes, all in recovery, keep none until it
	 * is promoted */
	if (!keeper_standby_formation(k))
		keeper_logical_slots(k, state_is_primary(cur));
	/* a standby leader's roles are the source's, read-only */
	if (state_is_primary(cur) && !keeper_standby_formation(k))
		done = ensure_roles(k) && done;
	done = keeper_restart_if_requested(k) && done;
	k->duties_digest = digest;
	k->duties_ms = done ? now_ms : 0; /* a failed step: again next cycle */
}
