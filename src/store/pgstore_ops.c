/*
 * pgstore_ops.c - what keepers and `pgkeel show` ask of the postgres
 * store: report, read a formation and its events (registration is in
 * pgstore_register.c).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/nodetags.h"
#include "store/pgstore.h"

#define COPY(dst, res, row, col)                                          \
	snprintf((dst), sizeof(dst), "%s", PQgetvalue((res), (row), (col)))

static bool is_true(PGresult *res, int row, int col)
{
	return strcmp(PQgetvalue(res, row, col), "t") == 0;
}

static int get_int(PGresult *res, int row, int col)
{
	return atoi(PQgetvalue(res, row, col));
}

/*
 * A report, committed without waiting for its WAL to reach the disk: it
 * is made again every keeper_interval, and the monitor's own writes,
 * which wait, make every report they were decided on durable with them.
 */
#define REPORT_NPARAMS 16
#define REPORT_CALL                                                         \
	"pgkeel.report($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"  \
	" $13, $14, $15, $16),"                                             \
	" set_config('synchronous_commit', 'off', true)"

/* A report's parameters, as text, in pgkeel.report()'s order. */
typedef struct {
	char id[16], lsn[LSN_TEXT_LEN], tli[16], up_port[16], restarted[24];
	char http_port[16], fence_ms[16];
	const char *v[REPORT_NPARAMS + 2]; /* and the formation's name and
					      the version read last */
} ReportParams;

static void report_params(int node_id, const NodeReport *r, ReportParams *p)
{
	snprintf(p->id, sizeof(p->id), "%d", node_id);
	snprintf(p->tli, sizeof(p->tli), "%d", r->timeline);
	snprintf(p->up_port, sizeof(p->up_port), "%d", r->upstream_port);
	snprintf(p->restarted, sizeof(p->restarted), "%lld", r->restarted);
	snprintf(p->http_port, sizeof(p->http_port), "%d", r->http_port);
	snprintf(p->fence_ms, sizeof(p->fence_ms), "%d", r->fence_ms);
	const char *v[REPORT_NPARAMS] = {
		p->id,
		state_name(r->current),
		r->pg_running ? "t" : "f",
		r->pg_failed ? "t" : "f",
		r->in_recovery ? "t" : "f",
		lsn_format(r->lsn, p->lsn, sizeof(p->lsn)),
		p->tli,
		r->receiver_streaming ? "t" : "f",
		r->upstream_host,
		p->up_port,
		r->pending_restart ? "t" : "f",
		r->fenced ? "t" : "f",
		p->restarted,
		p->http_port,
		p->fence_ms,
		r->promote_vetoed ? "t" : "f"};
	memcpy(p->v, v, sizeof(v));
	p->v[REPORT_NPARAMS] = p->v[REPORT_NPARAMS + 1] = NULL;
}

bool pgstore_report(Store *s, int node_id, const NodeReport *r)
{
	ReportParams p;

	report_params(node_id, r, &p);
	return pgstore_exec(s, "SELECT " REPORT_CALL, REPORT_NPARAMS, p.v);
}

static void read_node(PGresult *res, int row, StoreNode *n)
{
	n->id = get_int(res, row, 0);
	COPY(n->name, res, row, 1);
	COPY(n->host, res, row, 2);
	n->port = get_int(res, row, 3);
	n->priority = get_int(res, row, 4);
	n->quorum = is_true(res, row, 5);
	state_parse(PQgetvalue(res, row, 6), &n->goal);
	n->upstream_id = get_int(res, row, 7);
	COPY(n->sync_names, res, row, 8);
	state_parse(PQgetvalue(res, row, 9), &n->reported);
	n->report.current = n->reported;
	n->report.pg_running = is_true(res, row, 10);
	n->report.pg_failed = is_true(res, row, 11);
	n->report.in_recovery = is_true(res, row, 12);
	lsn_parse(PQgetvalue(res, row, 13), &n->report.lsn);
	n->report.timeline = get_int(res, row, 14);
	n->report.receiver_streaming = is_true(res, row, 15);
	COPY(n->report.upstream_host, res, row, 16);
	n->report.upstream_port = get_int(res, row, 17);
	n->report.pending_restart = is_true(res, row, 18);
	n->report.fenced = is_true(res, row, 19);
	n->report_seq = atoll(PQgetvalue(res, row, 20));
	n->report_age_ms = atoll(PQgetvalue(res, row, 21));
	n->reachable = is_true(res, row, 22);
	n->maintenance = is_true(res, row, 23);
	n->drop_requested = is_true(res, row, 24);
	n->restart_requested = atoll(PQgetvalue(res, row, 25));
	n->report.restarted = atoll(PQgetvalue(res, row, 26));
	n->report.http_port = get_int(res, row, 27);
	n->report.fence_ms = get_int(res, row, 28);
	n->report.promote_vetoed = is_true(res, row, 29);
	/* the store checked them; a list with a tag this pgkeel does not
	 * know reads as no tags */
	if (!node_tags_parse(PQgetvalue(res, row, 30), &n->tags, NULL, 0))
		n->tags = 0;
	n->reinit_requested = atoll(PQgetvalue(res, row, 31));
	COPY(n->replicate_from, res, row, 32);
	n->apply_delay = get_int(res, row, 33);
}

/* The formation's columns, after the node's (FORMATION_COL on). */
#define FORMATION_COL 34

static bool read_formation_cols(PGresult *res, StoreFormation *out)
{
	const int c = FORMATION_COL;

	COPY(out->name, res, 0, c);
	out->number_sync_standbys = get_int(res, 0, c + 1);
	out->strict_sync = is_true(res, 0, c + 2);
	out->paused = is_true(res, 0, c + 3);
	COPY(out->health, res, 0, c + 4);
	COPY(out->repl_password, res, 0, c + 5);
	out->switchover_to = get_int(res, 0, c + 6);
	out->failover_requested = is_true(res, 0, c + 7);
	COPY(out->health_password, res, 0, c + 9);
	out->retired_roles = get_int(res, 0, c + 10);
	COPY(out->pgbackrest_stanza, res, 0, c + 11);
	out->scheduled = get_int(res, 0, c + 13);
	COPY(out->standby_of, res, 0, c + 14);
	return pgstore_parse_params(PQgetvalue(res, 0, c + 8), out) &&
	       pgstore_parse_slots(PQgetvalue(res, 0, c + 12), out);
}

/* One statement: a row per node (node_public's columns, then the
 * formation's), or one row of formation columns when it has no node;
 * name the formation's parameter ("$1"). */
#define FORMATION_SELECT(name)                                              \
	"SELECT n.id, n.name, n.host, n.port, n.candidate_priority,"        \
	" n.replication_quorum, n.goal_state, coalesce(n.upstream_id, 0),"  \
	" n.sync_names, n.reported_state, n.pg_running, n.pg_failed,"       \
	" n.in_recovery, n.lsn, n.timeline, n.receiver_streaming,"          \
	" n.upstream_host, n.upstream_port, n.pending_restart, n.fenced,"   \
	" n.report_seq, n.report_age_ms, n.reachable, n.maintenance,"       \
	" n.drop_requested, n.restart_requested, n.restarted,"              \
	" n.http_port, n.fence_ms, n.promote_vetoed, n.tags,"               \
	" n.reinit_requested, n.replicate_from, n.apply_delay,"             \
	" f.name, f.number_sync_standbys, f.strict_sync, f.paused,"         \
	" f.health, f.replication_password, coalesce(f.switchover_to, -1)," \
	" f.failover_requested, (SELECT coalesce(json_agg("                 \
	"  json_build_array(p.name, p.value) ORDER BY p.name), '[]')"       \
	"  FROM pgkeel.pg_param p WHERE p.formation = f.name),"             \
	" f.health_password,"                                               \
	" (SELECT count(*) FROM pgkeel.retired_role),"                      \
	" f.pgbackrest_stanza,"                                             \
	" (SELECT coalesce(json_agg(json_build_array(sl.name, sl.kind,"     \
	"  sl.copy_node, sl.confirmed_flush::text, sl.state)"               \
	"  ORDER BY sl.kind IS NULL, sl.name), '[]')"                       \
	"  FROM pgkeel.slot sl WHERE sl.formation = f.name),"               \
	" (SELECT count(*) FROM pgkeel.scheduled sc"                        \
	"  WHERE sc.formation = f.name AND sc.outcome IS NULL),"            \
	" f.standby_of"                                                     \
	" FROM pgkeel.formation f"                                          \
	" LEFT JOIN pgkeel.node_public n ON n.formation = f.name"           \
	" WHERE f.name = " name

/* The formation in res (FORMATION_SELECT's rows) into out; false with
 * s->error set when there is none or it is malformed. */
static bool read_formation(Store *s, PGresult *res, const char *formation,
			   StoreFormation *out)
{
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, FORMATION_COL)) {
		s->failure = STORE_NOT_FOUND;
		snprintf(s->error, sizeof(s->error),
			 "formation \"%s\" does not exist", formation);
		return false;
	}
	bool ok = read_formation_cols(res, out);
	if (!ok) {
		s->failure = STORE_UNAVAILABLE; /* the store's own data */
		snprintf(s->error, sizeof(s->error),
			 "malformed parameters or slots of formation %s",
			 formation);
	}
	for (int i = 0; ok && i < PQntuples(res) && !PQgetisnull(res, i, 0) &&
			out->nnodes < STORE_MAX_NODES;
	     i++) {
		StoreNode *n = &out->nodes[out->nnodes++];
		memset(n, 0, sizeof(*n)); /* out may be cleared in part */
		read_node(res, i, n);
	}
	return ok;
}

static size_t at_most(size_t n, size_t max)
{
	return n < max ? n : max;
}

/*
 * Empties out for a read as memset would, touching only the pages the
 * last read filled: a keeper reads its formation twice a second into
 * the same 140 kB, of which a small formation fills a few pages
 * (docs/benchmarks.md). The entries past the counts are zero already
 * (out calloc'd, or only ever read into); each read zeroes the entries
 * it adds besides.
 */
static void clear_for_read(StoreFormation *out)
{
	memset(out->params, 0,
	       at_most(out->nparams, STORE_MAX_PARAMS) * sizeof(StoreParam));
	memset(out->slots, 0,
	       at_most(out->nslots, STORE_MAX_SLOTS) * sizeof(StoreSlot));
	memset(out->nodes, 0,
	       at_most(out->nnodes, STORE_MAX_NODES) * sizeof(StoreNode));
	memset(out, 0, offsetof(StoreFormation, params));
	out->nparams = out->nslots = out->nnodes = 0;
}

bool pgstore_get_formation(Store *s, const char *formation,
			   StoreFormation *out)
{
	const char *params[] = {formation};

	if (pgstore_impl(s)->read_into == out) /* a keeper's cycle reads all */
		pgstore_impl(s)->read_into = NULL;
	memset(out, 0, sizeof(*out));
	PGresult *res = pgstore_query(s, FORMATION_SELECT("$1") " ORDER BY n.id",
				      1, params);
	if (!res)
		return false;
	bool ok = read_formation(s, res, formation, out);
	PQclear(res);
	return ok;
}

/* The column after FORMATION_SELECT's in a keeper's cycle: the
 * formation's version (schema 15). */
#define VERSION_COL (FORMATION_COL + 15)

/* True when res says that out, the formation as read into it last at
 * version p->read_version, is still what the store holds. */
static bool unchanged(const PgStore *p, PGresult *res,
		      const StoreFormation *out)
{
	return p->read_into == out && p->read_version >= 0 &&
	       PQntuples(res) == 1 && PQgetisnull(res, 0, FORMATION_COL) &&
	       !PQgetisnull(res, 0, VERSION_COL) &&
	       atoll(PQgetvalue(res, 0, VERSION_COL)) == p->read_version;
}

/*
 * A keeper's cycle in one round trip: the report, then the formation
 * read by the same statement, whose snapshot is taken before the
 * report (the node's own report in it is the one before; store.h). The
 * formation's rows come only when its version is not the one read last
 * into the same out ($18; -1: none), which then stays as it was: the
 * version moves with everything read but the nodes' heartbeats
 * (pgstore_migrate.c). A formation that does not exist is a row of
 * NULLs.
 */
bool pgstore_report_read(Store *s, int node_id, const NodeReport *r,
			 const char *formation, StoreFormation *out)
{
	PgStore *p = pgstore_impl(s);
	ReportParams rp;
	char known[24];

	report_params(node_id, r, &rp);
	snprintf(known, sizeof(known), "%lld",
		 p->read_into == out ? (long long)p->read_version : -1LL);
	rp.v[REPORT_NPARAMS] = formation;
	rp.v[REPORT_NPARAMS + 1] = known;
	PGresult *res = pgstore_query(
		s,
		"WITH r AS MATERIALIZED (SELECT " REPORT_CALL "),"
		" v AS (SELECT (SELECT version FROM pgkeel.formation_version"
		"  WHERE formation = $17) AS version)"
		" SELECT x.*, v.version FROM r CROSS JOIN v LEFT JOIN LATERAL ("
		FORMATION_SELECT("$17") " AND (v.version IS NULL OR"
		" v.version <> $18::bigint)) x ON true ORDER BY x.id",
		REPORT_NPARAMS + 2, rp.v);
	if (!res)
		return false; /* out as it was, as after a failed report */
	if (unchanged(p, res, out)) {
		PQclear(res);
		return true;
	}
	clear_for_read(out);
	bool ok = read_formation(s, res, formation, out);
	p->read_into = ok ? out : NULL;
	p->read_version = ok && !PQgetisnull(res, 0, VERSION_COL)
				  ? atoll(PQgetvalue(res, 0, VERSION_COL))
				  : -1;
	PQclear(res);
	return ok;
}

bool pgstore_list_formations(Store *s, char (*names)[STORE_NAME_LEN],
			     size_t max, size_t *n)
{
	PGresult *res = pgstore_query(
		s, "SELECT name FROM pgkeel.formation ORDER BY name", 0, NULL);

	*n = 0;
	if (!res)
		return false;
	for (int i = 0; i < PQntuples(res) && *n < max; i++)
		COPY(names[(*n)++], res, i, 0);
	PQclear(res);
	return true;
}

bool pgstore_events(Store *s, const char *formation, int count,
		    StoreEvent *out, size_t *n)
{
	char limit[16];
	const char *params[] = {formation, limit};

	snprintf(limit, sizeof(limit), "%d", count);
	PGresult *res = pgstore_query(
		s,
		"SELECT * FROM (SELECT (extract(epoch FROM time) * 1000)::bigint,"
		" formation, coalesce(node_id, 0), coalesce(node_name, ''),"
		" coalesce(old_state, ''), coalesce(new_state, ''), description,"
		" id FROM pgkeel.event WHERE formation = $1"
		" ORDER BY id DESC LIMIT $2) e ORDER BY id",
		2, params);

	*n = 0;
	if (!res)
		return false;
	for (int i = 0; i < PQntuples(res) && *n < (size_t)count; i++) {
		StoreEvent *e = &out[(*n)++];
		e->time_ms = atoll(PQgetvalue(res, i, 0));
		COPY(e->formation, res, i, 1);
		e->node_id = get_int(res, i, 2);
		COPY(e->node_name, res, i, 3);
		COPY(e->old_state, res, i, 4);
		COPY(e->new_state, res, i, 5);
		COPY(e->description, res, i, 6);
	}
	PQclear(res);
	return true;
}
