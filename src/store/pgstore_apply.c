/*
 * pgstore_apply.c - the monitor's fenced write of its decisions in the
 * postgres store, ruled as the other drivers' are (storepolicy.h,
 * policy_apply): in one transaction the lease row is locked and its term
 * checked, the formation's row locked and the formation read, the rule
 * run on it, and what it changed written back with its events: goals
 * and views, the health, a request consumed or expired, dropped nodes
 * deleted. A deleted node's role is retired with its row and dropped a
 * little later (RETIRED_ROLE_GRACE), once its keeper (and a waiting
 * `drop node`) saw the row gone: until then the role can read, and
 * nothing else, since every function it may call needs its row. The
 * monitor is the database's superuser (over its local socket) and drops
 * the roles itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pgstore.h"
#include "store/pgstore_schema.h"

#define RETIRED_ROLE_GRACE "10 seconds"

static bool check_term(Store *s, int64_t term)
{
	PGresult *res = pgstore_query(
		s, "SELECT term FROM pgkeel.lease WHERE id = 1 FOR UPDATE", 0,
		NULL);
	if (!res)
		return false;
	int64_t current = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (current == term)
		return true;
	s->failure = STORE_FENCED;
	snprintf(s->error, sizeof(s->error),
		 "fenced: the lease is at term %lld, this monitor has %lld",
		 (long long)current, (long long)term);
	return false;
}

/* Locks the formation's row first, as the operator's actions do
 * (pgstore_change.c): the two never wait for each other's rows in
 * opposite orders. *age: how long its request waits (-1: no such
 * formation; 0 for a request not dated). */
static bool lock_formation(Store *s, const char *formation, int64_t *age)
{
	const char *params[] = {formation};
	PGresult *res = pgstore_query(
		s,
		"SELECT coalesce((extract(epoch FROM clock_timestamp()"
		" - requested_at) * 1000)::bigint, 0) FROM pgkeel.formation"
		" WHERE name = $1 FOR UPDATE",
		1, params);

	if (!res)
		return false;
	*age = PQntuples(res) ? atoll(PQgetvalue(res, 0, 0)) : -1;
	PQclear(res);
	return true;
}

static const StoreNode *node_of(const StoreFormation *f, int id)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		if (f->nodes[i].id == id)
			return &f->nodes[i];
	}
	return NULL;
}

/* The columns the monitor's decisions and views set. */
static bool write_node(Store *s, const StoreNode *was, const StoreNode *n)
{
	char id[16], up[16];
	const char *params[] = {id, state_name(n->goal), up,
				n->reachable ? "t" : "f", n->sync_names};

	if (was->goal == n->goal && was->upstream_id == n->upstream_id &&
	    was->reachable == n->reachable &&
	    strcmp(was->sync_names, n->sync_names) == 0)
		return true;
	snprintf(id, sizeof(id), "%d", n->id);
	snprintf(up, sizeof(up), "%d", n->upstream_id);
	return pgstore_exec(s,
			    "UPDATE pgkeel.node SET goal_state = $2,"
			    " upstream_id = nullif($3::int, 0), reachable = $4,"
			    " sync_names = $5 WHERE id = $1::int",
			    5, params);
}

/* A node the rule removed: its row goes, its role is retired. */
static bool delete_node(Store *s, int node_id)
{
	char id[16];
	const char *params[] = {id};

	snprintf(id, sizeof(id), "%d", node_id);
	return pgstore_exec(s,
			    "INSERT INTO pgkeel.retired_role (role) VALUES ("
			    PGSTORE_NODE_ROLE_OF("$1::text")
			    ") ON CONFLICT DO NOTHING",
			    1, params) &&
	       pgstore_exec(s, "DELETE FROM pgkeel.node WHERE id = $1::int", 1,
			    params);
}

/* Only what a node role's name may be: pgkeel_node_<id>. */
static bool node_role(const char *role)
{
	size_t n = strlen(PGSTORE_NODE_ROLE_PREFIX);

	if (strncmp(role, PGSTORE_NODE_ROLE_PREFIX, n) != 0 || !role[n])
		return false;
	return strspn(role + n, "0123456789") == strlen(role + n);
}

static bool drop_role(Store *s, const char *role)
{
	PgStore *p = pgstore_impl(s);
	char sql[128];

	if (!node_role(role))
		return true; /* not one of ours: left alone */
	snprintf(sql, sizeof(sql), "DROP ROLE IF EXISTS %s", role);
	if (pg_exec(&p->pc, sql, 0, NULL))
		return true;
	pgstore_fail(s, "cannot drop a dropped node's role");
	return false;
}

/* The roles retired long enough ago. */
static bool drop_retired_roles(Store *s)
{
	PGresult *res = pgstore_query(
		s,
		"DELETE FROM pgkeel.retired_role WHERE since < clock_timestamp()"
		" - interval '" RETIRED_ROLE_GRACE "' RETURNING role",
		0, NULL);
	bool ok = res != NULL;

	for (int i = 0; ok && i < PQntuples(res); i++)
		ok = drop_role(s, PQgetvalue(res, i, 0));
	PQclear(res);
	return ok;
}

static bool write_formation(Store *s, const StoreFormation *was,
			    const StoreFormation *f)
{
	const char *params[] = {f->name, f->health};
	bool cleared = was->switchover_to != f->switchover_to ||
		       was->failover_requested != f->failover_requested;

	return (!cleared ||
		pgstore_exec(s,
			     "UPDATE pgkeel.formation SET switchover_to = NULL,"
			     " failover_requested = false WHERE name = $1",
			     1, params)) &&
	       (strcmp(was->health, f->health) == 0 ||
		pgstore_exec(s,
			     "UPDATE pgkeel.formation SET health = $2"
			     " WHERE name = $1",
			     2, params));
}

/* What the rule changed, with its events. */
static bool write_back(Store *s)
{
	PgStore *p = pgstore_impl(s);
	bool ok = write_formation(s, &p->was, &p->now);

	for (size_t i = 0; ok && i < p->was.nnodes; i++) {
		const StoreNode *was = &p->was.nodes[i];
		const StoreNode *n = node_of(&p->now, was->id);
		ok = n ? write_node(s, was, n) : delete_node(s, was->id);
	}
	for (size_t i = 0; ok && i < p->out.nevents; i++)
		ok = pgstore_write_event(s, &p->out.events[i]);
	return ok && drop_retired_roles(s);
}

static bool write_all(Store *s, int64_t term, const char *formation,
		      const StoreDecision *d, size_t nd,
		      const StoreNodeView *views, size_t nviews,
		      const char *health, bool clear_requests)
{
	PgStore *p = pgstore_impl(s);
	const char *params[] = {formation};
	int64_t age;

	if (!check_term(s, term) || !lock_formation(s, formation, &age))
		return false;
	if (age < 0)
		return true; /* as an UPDATE of no row */
	if (!pgstore_get_formation(s, formation, &p->was))
		return false;
	p->now = p->was;
	policy_reset(&p->out);
	policy_apply(&p->now, age, d, nd, views, nviews, health,
		     clear_requests, &p->out);
	return write_back(s) &&
	       (nd + nviews == 0 ||
		pgstore_exec(s, "SELECT pg_notify('pgkeel_goal', $1)", 1,
			     params));
}

bool pgstore_apply(Store *s, int64_t term, const char *formation,
		   const StoreDecision *d, size_t nd,
		   const StoreNodeView *views, size_t nviews,
		   const char *health, bool clear_requests)
{
	char saved[sizeof(s->error)];
	StoreFailure failure;

	if (!pgstore_exec(s, "BEGIN", 0, NULL))
		return false;
	if (write_all(s, term, formation, d, nd, views, nviews, health,
		      clear_requests))
		return pgstore_exec(s, "COMMIT", 0, NULL);
	snprintf(saved, sizeof(saved), "%s", s->error);
	failure = s->failure;
	pgstore_exec(s, "ROLLBACK", 0, NULL);
	snprintf(s->error, sizeof(s->error), "%s", saved);
	s->failure = failure;
	return false;
}
