/*
 * pgstore_register.c - registration in the postgres store, ruled as the
 * other drivers' is (storepolicy.h: policy_may_register,
 * policy_node_name, policy_check_registration, policy_add_node). In one
 * transaction: registrations wait for each other (a transaction's
 * advisory lock), the formation's row is locked, every formation is
 * read and checked, the formation is created with its first node, the
 * node's row inserted with its event, and the node's login role made
 * by the store's one function for it, pgkeel.create_node_role
 * (pgstore_migrate_rules.c), which draws the node's secret: the
 * operator's role may make a role for a node row its own transaction
 * inserted, and nothing more (docs/security.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pgstore.h"

#define REGISTER_LOCK_KEY "7458373651"

/* *exists: whether the formation was there already. */
static bool lock(Store *s, const char *formation, bool *exists)
{
	const char *params[] = {formation};

	if (!pgstore_exec(s, "SELECT pg_advisory_xact_lock(" REGISTER_LOCK_KEY
			  ")", 0, NULL))
		return false;
	PGresult *res = pgstore_query(
		s, "SELECT 1 FROM pgkeel.formation WHERE name = $1 FOR UPDATE",
		1, params);
	if (!res)
		return false;
	*exists = PQntuples(res) > 0;
	PQclear(res);
	return true;
}

/* reg, named name, against every formation's nodes. */
static StoreFailure check(Store *s, const NodeRegistration *reg,
			  const char *name)
{
	PgStore *p = pgstore_impl(s);
	PGresult *res = pgstore_query(
		s, "SELECT name FROM pgkeel.formation ORDER BY name", 0, NULL);
	StoreFailure f = res ? STORE_OK : pgstore_rule_io(s);

	for (int i = 0; f == STORE_OK && i < PQntuples(res); i++) {
		if (!pgstore_get_formation(s, PQgetvalue(res, i, 0), &p->was))
			f = pgstore_rule_io(s);
		else
			f = policy_check_registration(&p->was, reg, name,
						      &p->out);
	}
	PQclear(res);
	return f;
}

static bool next_id(Store *s, int *id)
{
	PGresult *res = pgstore_query(
		s, "SELECT nextval('pgkeel.node_id_seq')", 0, NULL);

	if (!res)
		return false;
	*id = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}

static bool insert_node(Store *s, const StoreNode *n, const char *formation)
{
	char id[16], port[16], prio[16];
	const char *params[] = {id,   formation, n->name,
				n->host, port, prio, n->quorum ? "t" : "f"};

	snprintf(id, sizeof(id), "%d", n->id);
	snprintf(port, sizeof(port), "%d", n->port);
	snprintf(prio, sizeof(prio), "%d", n->priority);
	return pgstore_exec(
		s,
		"INSERT INTO pgkeel.node (id, formation, name, host, port,"
		" candidate_priority, replication_quorum) VALUES ($1::int, $2,"
		" $3, $4, $5::int, $6::int, $7::bool)",
		7, params);
}

/* The node's role, with its secret into out. */
static bool create_role(Store *s, RegisteredNode *out)
{
	char id[16];
	const char *params[] = {id};

	snprintf(id, sizeof(id), "%d", out->node_id);
	PGresult *res = pgstore_query(
		s, "SELECT pgkeel.create_node_role($1::int)", 1, params);
	if (!res)
		return false;
	snprintf(out->secret, sizeof(out->secret), "%s",
		 PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}

/* The rows: the formation when new, the node, its role, its event. */
static bool write(Store *s, bool exists, const NodeRegistration *reg,
		  RegisteredNode *out)
{
	PgStore *p = pgstore_impl(s);
	const char *params[] = {reg->formation};
	bool ok = exists ||
		  pgstore_exec(s, "INSERT INTO pgkeel.formation (name)"
				  " VALUES ($1)", 1, params);

	ok = ok && insert_node(s, &p->now.nodes[p->now.nnodes - 1],
			       reg->formation) &&
	     create_role(s, out);
	for (size_t i = 0; ok && i < p->out.nevents; i++)
		ok = pgstore_write_event(s, &p->out.events[i]);
	return ok && pgstore_exec(s, "SELECT pg_notify('pgkeel_report', $1)",
				  1, params);
}

static StoreFailure do_register(Store *s, const NodeRegistration *reg,
				RegisteredNode *out)
{
	PgStore *p = pgstore_impl(s);
	bool exists;
	StoreFailure f;

	if (!lock(s, reg->formation, &exists) || !next_id(s, &out->node_id))
		return pgstore_rule_io(s);
	policy_node_name(reg, out->node_id, out->name, sizeof(out->name));
	if ((f = check(s, reg, out->name)) != STORE_OK)
		return f;
	if (!exists)
		policy_formation_init(&p->now, reg->formation);
	else if (!pgstore_get_formation(s, reg->formation, &p->now))
		return pgstore_rule_io(s);
	f = policy_add_node(&p->now, reg, out->node_id, out->name, &p->out);
	if (f == STORE_OK && !write(s, exists, reg, out))
		return pgstore_rule_io(s);
	return f;
}

bool pgstore_register_node(Store *s, const NodeRegistration *reg,
			   RegisteredNode *out)
{
	PgStore *p = pgstore_impl(s);
	StoreFailure f;

	policy_reset(&p->out);
	memset(out, 0, sizeof(*out));
	if ((f = policy_may_register(&p->actor, &p->out)) != STORE_OK)
		return pgstore_refuse(s, f, p->out.why);
	if (!pgstore_exec(s, "BEGIN", 0, NULL))
		return false;
	f = do_register(s, reg, out);
	if (f == STORE_OK)
		return pgstore_exec(s, "COMMIT", 0, NULL);
	memset(out, 0, sizeof(*out));
	pgstore_exec(s, "ROLLBACK", 0, NULL);
	return pgstore_refuse(s, f, p->out.why);
}
