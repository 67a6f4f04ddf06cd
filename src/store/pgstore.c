/*
 * pgstore.c - the postgres store driver: the state lives in the monitor's
 * own Postgres, keepers reach it with libpq, and LISTEN/NOTIFY wakes the
 * monitor when a report arrives and keepers when goals change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conninfo.h"
#include "common/idents.h"
#include "common/log.h"
#include "common/sslconn.h"
#include "common/timeutil.h"
#include "pg/pgsql.h"
#include "store/pgstore.h"
#include "store/store_driver.h"
#include "store/pgstore_migrate.h"
#include "store/pgstore_schema.h"
#include "store/store.h"

PgStore *pgstore_impl(Store *s)
{
	return (PgStore *)s->impl;
}

/* A refusal to a node's own role: the command needed the operator's. */
static bool node_role_denied(const PgConn *pc)
{
	const char *user = pc->conn ? PQuser(pc->conn) : NULL;

	return strcmp(pc->sqlstate, "42501") == 0 && user &&
	       strncmp(user, PGSTORE_NODE_ROLE_PREFIX,
		       strlen(PGSTORE_NODE_ROLE_PREFIX)) == 0;
}

/*
 * What a failed query means for the caller. SQLSTATE classes of the
 * server being out of reach or out of breath (08 connection, 53
 * resources, 57 operator intervention: shutdown, statement_timeout; 40
 * rollbacks, 55P03 a lock not granted, 58 and XX its own faults) may
 * pass: unavailable. Every other one, the schema's own refusals
 * included (42501 permission, 23505 duplicate, 22023 invalid value,
 * 42704 unknown node or setting, 28000 a report for another node,
 * P0001), is about the call: refused. No connection: unavailable.
 */
static StoreFailure classify(const PgConn *pc)
{
	static const char *const transient[] = {"08", "53", "57", "40", "58",
						"XX"};
	const char *st = pc->sqlstate;

	if (!pc->conn || PQstatus(pc->conn) != CONNECTION_OK || !st[0])
		return STORE_UNAVAILABLE;
	if (strcmp(st, "55P03") == 0)
		return STORE_UNAVAILABLE;
	for (size_t i = 0; i < sizeof(transient) / sizeof(*transient); i++) {
		if (strncmp(st, transient[i], 2) == 0)
			return STORE_UNAVAILABLE;
	}
	return STORE_REFUSED;
}

#define NODE_ROLE_HINT                                                   \
	" (this is a data node's own credential; operator actions take the " \
	"operator's: run the command with the monitor's --pgdata, or with "  \
	"--monitor and the URI `pgkeel show uri --monitor` prints on the "   \
	"monitor)"

void pgstore_fail(Store *s, const char *what)
{
	const PgConn *pc = &pgstore_impl(s)->pc;

	s->failure = classify(pc);
	snprintf(s->error, sizeof(s->error), "%s: %s%s", what, pc->error,
		 node_role_denied(pc) ? NODE_ROLE_HINT : "");
}

bool pgstore_refuse(Store *s, StoreFailure f, const char *why)
{
	bool denied = pgstore_impl(s)->actor.role == ACTOR_NODE &&
		      strncmp(why, "permission denied", 17) == 0;

	return store_fail(s, f, "%s%s", why, denied ? NODE_ROLE_HINT : "");
}

/* Whose credential the connection holds: a node's own role, the
 * monitor's (its own Postgres, through the local socket), or the
 * operator's. */
static void find_actor(PgStore *p)
{
	const char *user = p->pc.conn ? PQuser(p->pc.conn) : NULL;
	size_t n = strlen(PGSTORE_NODE_ROLE_PREFIX);

	p->actor.role = p->remote ? ACTOR_OPERATOR : ACTOR_MONITOR;
	p->actor.node_id = 0;
	if (user && strncmp(user, PGSTORE_NODE_ROLE_PREFIX, n) == 0) {
		p->actor.role = ACTOR_NODE;
		p->actor.node_id = atoi(user + n);
	}
}

/* The time the next call may take: the store's timeout, or less to
 * keep to the deadline. */
static int call_budget(const PgStore *p)
{
	if (p->deadline_ms <= 0)
		return p->timeout_ms;
	int64_t left = p->deadline_ms - time_monotonic_ms();
	if (left < STORE_MIN_CALL_MS)
		left = STORE_MIN_CALL_MS;
	return left < p->timeout_ms ? (int)left : p->timeout_ms;
}

static void pg_set_deadline(Store *s, int64_t deadline_ms)
{
	pgstore_impl(s)->deadline_ms = deadline_ms;
}

/* LISTENs to channel on the connection: true, or false with s->error
 * set. */
static bool listen_to(Store *s, const char *channel)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "LISTEN %s", channel);
	if (pg_exec(&pgstore_impl(s)->pc, sql, 0, NULL))
		return true;
	pgstore_fail(s, "cannot LISTEN");
	return false;
}

/* (Re)connects when the connection was lost; LISTENs again. */
static bool ensure_connected(Store *s)
{
	PgStore *p = pgstore_impl(s);
	char sql[96];

	if (p->pc.conn && PQstatus(p->pc.conn) == CONNECTION_OK)
		return true;
	pg_disconnect(&p->pc);
	p->held_term = 0; /* a session advisory lock dies with its session */
	if (!pg_connect(&p->pc, p->conninfo, call_budget(p))) {
		pgstore_fail(s, "cannot connect to the state store");
		s->failure = STORE_UNAVAILABLE; /* whatever an old query left */
		return false;
	}
	if (p->remote)
		p->pc.query_timeout_ms = call_budget(p);
	snprintf(sql, sizeof(sql), "SET statement_timeout = %d", p->timeout_ms);
	pg_exec(&p->pc, sql, 0, NULL);
	return (!p->listen || listen_to(s, p->listen)) &&
	       (!p->beat_channel[0] || listen_to(s, p->beat_channel));
}

bool pgstore_connected(Store *s)
{
	return ensure_connected(s);
}

/* Runs a query, dropping the connection when it failed at the network
 * level so that the next call reconnects. sql is a string constant: it
 * is prepared once per connection (pg_query_cached). */
PGresult *pgstore_query(Store *s, const char *sql, int n,
			const char *const *params)
{
	PgStore *p = pgstore_impl(s);

	if (!ensure_connected(s))
		return NULL;
	if (p->remote)
		p->pc.query_timeout_ms = call_budget(p);
	PGresult *res = pg_query_cached(&p->pc, sql, n, params);
	if (!res) {
		pgstore_fail(s, "state store query failed");
		if (PQstatus(p->pc.conn) != CONNECTION_OK)
			pg_disconnect(&p->pc);
	}
	return res;
}

bool pgstore_exec(Store *s, const char *sql, int n, const char *const *params)
{
	PGresult *res = pgstore_query(s, sql, n, params);
	PQclear(res);
	return res != NULL;
}

static void pg_close(Store *s)
{
	pg_disconnect(&pgstore_impl(s)->pc);
	free(s->impl);
	free(s);
}

static const StoreOps pg_ops = {
	.register_node = pgstore_register_node,
	.report = pgstore_report,
	.get_formation = pgstore_get_formation,
	.report_read = pgstore_report_read,
	.list_formations = pgstore_list_formations,
	.events = pgstore_events,
	.wait = pgstore_wait,
	.set_deadline = pg_set_deadline,
	.acquire = pgstore_acquire,
	.apply = pgstore_apply,
	.request = pgstore_request,
	.set_setting = pgstore_set_setting,
	.set_maintenance = pgstore_set_maintenance,
	.drop_node = pgstore_drop_node,
	.set_pg_param = pgstore_set_pg_param,
	.set_backup = pgstore_set_backup,
	.set_slot = pgstore_set_slot,
	.publish_slot = pgstore_publish_slot,
	.request_restart = pgstore_request_restart,
	.request_reinit = pgstore_request_reinit,
	.schedule = pgstore_schedule,
	.list_scheduled = pgstore_list_scheduled,
	.end_scheduled = pgstore_end_scheduled,
	.rotate_secret = pgstore_rotate_secret,
	.list_monitors = pgstore_list_monitors,
	.last_node_id = pgstore_last_node_id,
	.close = pg_close,
};

static Store *open_conninfo(const char *conninfo, int timeout_ms,
			    const char *listen, bool remote, char *err,
			    size_t errlen)
{
	Store *s = calloc(1, sizeof(Store));
	PgStore *p = calloc(1, sizeof(PgStore));

	if (!s || !p) {
		free(s);
		free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->wake_fd = -1;
	s->ops = &pg_ops;
	s->impl = p;
	snprintf(p->conninfo, sizeof(p->conninfo), "%s", conninfo);
	p->timeout_ms = timeout_ms;
	p->listen = listen;
	p->remote = remote;
	if (!ensure_connected(s)) {
		snprintf(err, errlen, "%s", s->error);
		pg_close(s);
		return NULL;
	}
	find_actor(p);
	return s;
}

/* The node's own TLS settings (sslconn.h) replace the URI's. */
static char *with_node_ssl(const char *uri, const SslSpec *ssl)
{
	char *out = strdup(uri);

	if (!out || !ssl || strcmp(ssl->mode, "prefer") == 0)
		return out;
	if (strncmp(uri, "postgres://", 11) == 0 ||
	    strncmp(uri, "postgresql://", 13) == 0)
		return uri_append_ssl(out, ssl);
	return conninfo_append_ssl(out, ssl);
}

Store *pgstore_open(const char *uri, const SslSpec *ssl, int timeout_ms,
		    char *err, size_t errlen)
{
	char *ci = with_node_ssl(uri, ssl);

	if (!ci) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	Store *s = open_conninfo(ci, timeout_ms, "pgkeel_goal", true, err,
				 errlen);
	free(ci);
	return s;
}

static bool schema_is_current(Store *s, char *err, size_t errlen)
{
	PGresult *res = pgstore_query(s, PGSTORE_SCHEMA_VERSION_SQL, 0, NULL);
	bool ok = res && pgstore_schema_version_ok(PQgetvalue(res, 0, 0), err,
						    errlen);

	if (!res)
		snprintf(err, errlen, "%s", s->error);
	PQclear(res);
	return ok;
}

/* Brings the schema up to this version, saying so when it did. */
static bool upgrade_schema(Store *s, char *err, size_t errlen)
{
	int from;

	if (!pgstore_migrate(&pgstore_impl(s)->pc, false, &from, err, errlen))
		return false;
	if (from != PGSTORE_SCHEMA_VERSION)
		log_info("state store upgraded from schema %d to %d", from,
			 PGSTORE_SCHEMA_VERSION);
	return true;
}

/* The monitor's handle hears beats (schema 15, pgstore_wait.c): it
 * LISTENs to their channel now, and again on every reconnection
 * (ensure_connected). */
static bool hear_beats(Store *s, char *err, size_t errlen)
{
	PgStore *p = pgstore_impl(s);
	char name[64];

	if (!pg_query_value(&p->pc, PGSTORE_BEAT_CHANNEL_SQL, 0, NULL, name,
			    sizeof(name)) ||
	    !name_is_valid(name)) {
		snprintf(err, errlen, "cannot read the beats' channel: %s",
			 p->pc.error);
		return false;
	}
	if (!pgstore_connected(s) || !listen_to(s, name)) {
		snprintf(err, errlen, "%s", s->error);
		return false;
	}
	snprintf(p->beat_channel, sizeof(p->beat_channel), "%s", name);
	s->hears_beats = true;
	return true;
}

Store *store_open_local(const char *sockdir, int port, int timeout_ms,
			bool upgrade, char *err, size_t errlen)
{
	char portbuf[16];
	char *ci = NULL;

	snprintf(portbuf, sizeof(portbuf), "%d", port);
	ci = conninfo_append(ci, "host", sockdir);
	ci = ci ? conninfo_append(ci, "port", portbuf) : NULL;
	ci = ci ? conninfo_append(ci, "dbname", PGSTORE_DB) : NULL;
	if (!ci) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	Store *s = open_conninfo(ci, timeout_ms, "pgkeel_report", false, err,
				 errlen);
	free(ci);
	if (s && upgrade && !upgrade_schema(s, err, errlen)) {
		pg_close(s);
		return NULL;
	}
	if (s && !schema_is_current(s, err, errlen)) {
		pg_close(s);
		return NULL;
	}
	if (s && upgrade && !hear_beats(s, err, errlen)) {
		pg_close(s);
		return NULL;
	}
	return s;
}
