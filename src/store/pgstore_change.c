/*
 * pgstore_change.c - the operator's actions in the postgres store, in
 * the shape of the other drivers' (memstore_admin.c, etcdstore_admin.c):
 * one transaction locks the formation's row and its nodes' rows, reads
 * the formation, lets a rule of storepolicy.h change it, and writes
 * back what the rule changed, with its events. The rows stay locked to
 * the end, so no other write comes between the read and the write: the
 * monitor's apply locks the formation's row first too
 * (pgstore_monitor.c), keepers' reports lock their own node's row.
 */
#include <stdio.h>
#include <string.h>

#include "common/nodetags.h"
#include "store/pgstore.h"

StoreFailure pgstore_rule_io(Store *s)
{
	PgStore *p = pgstore_impl(s);

	snprintf(p->out.why, sizeof(p->out.why), "%s", s->error);
	return s->failure == STORE_OK ? STORE_UNAVAILABLE : s->failure;
}

/* A node's credential may not lock (it writes no table); the rules
 * refuse it what it may not do. */
static bool lock(Store *s, const char *formation)
{
	const char *params[] = {formation};

	if (pgstore_impl(s)->actor.role == ACTOR_NODE)
		return true;
	return pgstore_exec(s,
			    "SELECT 1 FROM pgkeel.formation WHERE name = $1"
			    " FOR UPDATE",
			    1, params) &&
	       pgstore_exec(s,
			    "SELECT 1 FROM pgkeel.node WHERE formation = $1"
			    " ORDER BY id FOR UPDATE",
			    1, params);
}

static bool formation_changed(const StoreFormation *a,
			      const StoreFormation *b)
{
	return a->switchover_to != b->switchover_to ||
	       a->failover_requested != b->failover_requested ||
	       a->number_sync_standbys != b->number_sync_standbys ||
	       a->strict_sync != b->strict_sync || a->paused != b->paused ||
	       strcmp(a->standby_of, b->standby_of) != 0 ||
	       strcmp(a->pgbackrest_stanza, b->pgbackrest_stanza) != 0;
}

/* The formation's own settings and request; a new request is dated
 * (the monitor's apply expires it, pgstore_monitor.c). */
static bool write_formation(Store *s, const StoreFormation *was,
			    const StoreFormation *f)
{
	char to[16], nss[16];
	bool asked = was->switchover_to < 0 && !was->failover_requested &&
		     (f->switchover_to >= 0 || f->failover_requested);
	const char *params[] = {f->name,
				to,
				f->failover_requested ? "t" : "f",
				asked ? "t" : "f",
				nss,
				f->strict_sync ? "t" : "f",
				f->paused ? "t" : "f",
				f->standby_of,
				f->pgbackrest_stanza};

	if (!formation_changed(was, f))
		return true;
	snprintf(to, sizeof(to), "%d", f->switchover_to);
	snprintf(nss, sizeof(nss), "%d", f->number_sync_standbys);
	return pgstore_exec(
		s,
		"UPDATE pgkeel.formation SET switchover_to = nullif($2::int, -1),"
		" failover_requested = $3, requested_at = CASE WHEN $4::bool"
		" THEN clock_timestamp() ELSE requested_at END,"
		" number_sync_standbys = $5, strict_sync = $6, paused = $7,"
		" standby_of = $8, pgbackrest_stanza = $9 WHERE name = $1",
		9, params);
}

/* The value of parameter name in f, or NULL. */
static const char *param_of(const StoreFormation *f, const char *name)
{
	for (size_t i = 0; i < f->nparams; i++) {
		if (strcmp(f->params[i].name, name) == 0)
			return f->params[i].value;
	}
	return NULL;
}

/* The formation's Postgres parameters: set, changed or removed. */
static bool write_params(Store *s, const StoreFormation *was,
			 const StoreFormation *f)
{
	bool ok = true;

	for (size_t i = 0; ok && i < f->nparams; i++) {
		const StoreParam *p = &f->params[i];
		const char *old = param_of(was, p->name);
		const char *params[] = {f->name, p->name, p->value};
		if (!old || strcmp(old, p->value) != 0)
			ok = pgstore_exec(
				s,
				"INSERT INTO pgkeel.pg_param VALUES ($1, $2, $3)"
				" ON CONFLICT (formation, name)"
				" DO UPDATE SET value = $3",
				3, params);
	}
	for (size_t i = 0; ok && i < was->nparams; i++) {
		const char *params[] = {f->name, was->params[i].name};
		if (!param_of(f, was->params[i].name))
			ok = pgstore_exec(s,
					  "DELETE FROM pgkeel.pg_param"
					  " WHERE formation = $1 AND name = $2",
					  2, params);
	}
	return ok;
}

static bool node_changed(const StoreNode *a, const StoreNode *b)
{
	return a->priority != b->priority || a->quorum != b->quorum ||
	       a->tags != b->tags ||
	       strcmp(a->replicate_from, b->replicate_from) != 0 ||
	       a->apply_delay != b->apply_delay ||
	       a->maintenance != b->maintenance ||
	       a->drop_requested != b->drop_requested ||
	       a->restart_requested != b->restart_requested ||
	       a->reinit_requested != b->reinit_requested;
}

/* The slot of that name in f, or NULL. */
static const StoreSlot *slot_of(const StoreFormation *f, const char *name)
{
	for (size_t i = 0; i < f->nslots; i++) {
		if (strcmp(f->slots[i].name, name) == 0)
			return &f->slots[i];
	}
	return NULL;
}

/* Slots declared, of another kind, or removed (kind NULL: every keeper
 * drops its copy); a new kind forgets what was published. Rows are
 * never deleted. */
static bool write_slots(Store *s, const StoreFormation *was,
			const StoreFormation *f)
{
	bool ok = true;

	for (size_t i = 0; ok && i < f->nslots; i++) {
		const StoreSlot *sl = &f->slots[i], *old = slot_of(was, sl->name);
		const char *params[] = {f->name, sl->name,
					sl->removed ? NULL : sl->kind};
		if (!old || old->removed != sl->removed ||
		    strcmp(old->kind, sl->kind) != 0)
			ok = pgstore_exec(
				s,
				"INSERT INTO pgkeel.slot (formation, name, kind)"
				" VALUES ($1, $2, $3) ON CONFLICT (formation, name)"
				" DO UPDATE SET kind = $3, copy_node = NULL,"
				" confirmed_flush = NULL, state = NULL"
				" WHERE pgkeel.slot.kind IS DISTINCT FROM $3",
				3, params);
	}
	return ok;
}

/* The columns of a node an operator's action may change. */
static bool write_node(Store *s, const StoreNode *n)
{
	char id[16], prio[16], tags[64], delay[16], restart[24], reinit[24];
	const char *params[] = {id,
				prio,
				n->quorum ? "t" : "f",
				node_tags_format(n->tags, tags, sizeof(tags)),
				n->replicate_from,
				delay,
				n->maintenance ? "t" : "f",
				n->drop_requested ? "t" : "f",
				restart,
				reinit};

	snprintf(id, sizeof(id), "%d", n->id);
	snprintf(prio, sizeof(prio), "%d", n->priority);
	snprintf(delay, sizeof(delay), "%d", n->apply_delay);
	snprintf(restart, sizeof(restart), "%lld", n->restart_requested);
	snprintf(reinit, sizeof(reinit), "%lld", n->reinit_requested);
	return pgstore_exec(
		s,
		"UPDATE pgkeel.node SET candidate_priority = $2,"
		" replication_quorum = $3, tags = $4, replicate_from = $5,"
		" apply_delay = $6, maintenance = $7, drop_requested = $8,"
		" restart_requested = $9, reinit_requested = $10"
		" WHERE id = $1::int",
		10, params);
}

bool pgstore_write_event(Store *s, const StoreEvent *e)
{
	char id[16];
	const char *params[] = {e->formation, id,	  e->node_name,
				e->old_state, e->new_state, e->description};

	snprintf(id, sizeof(id), "%d", e->node_id);
	return pgstore_exec(
		s,
		"INSERT INTO pgkeel.event (formation, node_id, node_name,"
		" old_state, new_state, description) VALUES ($1,"
		" nullif($2::int, 0), nullif($3, ''), nullif($4, ''),"
		" nullif($5, ''), $6)",
		6, params);
}

/* The rule's changes (nodes are neither added nor removed by one). */
static bool write_back(Store *s)
{
	PgStore *p = pgstore_impl(s);
	const char *params[] = {p->now.name};
	bool ok = write_formation(s, &p->was, &p->now) &&
		  write_params(s, &p->was, &p->now) &&
		  write_slots(s, &p->was, &p->now);

	for (size_t i = 0; ok && i < p->now.nnodes; i++) {
		if (node_changed(&p->was.nodes[i], &p->now.nodes[i]))
			ok = write_node(s, &p->now.nodes[i]);
	}
	for (size_t i = 0; ok && i < p->out.nevents; i++)
		ok = pgstore_write_event(s, &p->out.events[i]);
	return ok && pgstore_exec(s, "SELECT pg_notify('pgkeel_report', $1)",
				  1, params);
}

static StoreFailure change(Store *s, const char *formation, PgRule rule,
			   void *arg)
{
	PgStore *p = pgstore_impl(s);

	if (!lock(s, formation))
		return pgstore_rule_io(s);
	if (!pgstore_get_formation(s, formation, &p->was))
		return s->failure == STORE_NOT_FOUND
			       ? policy_missing_formation(
					 formation, STORE_REFUSED, &p->out)
			       : pgstore_rule_io(s);
	p->now = p->was;
	StoreFailure f = rule(s, &p->now, arg);
	if (f == STORE_OK && !write_back(s))
		return pgstore_rule_io(s);
	return f;
}

bool pgstore_change(Store *s, const char *formation, PgRule rule, void *arg)
{
	PgStore *p = pgstore_impl(s);

	policy_reset(&p->out);
	if (!pgstore_exec(s, "BEGIN", 0, NULL))
		return false;
	StoreFailure f = change(s, formation, rule, arg);
	if (f == STORE_OK)
		return pgstore_exec(s, "COMMIT", 0, NULL);
	pgstore_exec(s, "ROLLBACK", 0, NULL);
	return pgstore_refuse(s, f, p->out.why);
}
