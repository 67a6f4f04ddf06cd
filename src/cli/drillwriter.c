/*
 * drillwriter.c - the synthetic client of `pgkeel drill`.
 */
#include "cli/drillwriter.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"

static bool exec_ok(PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok && err)
		snprintf(err, errlen, "%s", PQerrorMessage(c));
	PQclear(r);
	return ok;
}

/* As a client would: the URI's hosts, 2 s to connect, 3 s a statement
 * (a commit waiting for a standby that went away gives up). */
static void no_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* notices are not the drill's report */
}

static PGconn *open_conn(const char *conninfo)
{
	const char *keys[] = {"dbname", "connect_timeout", "application_name",
			      NULL};
	const char *vals[] = {conninfo, "2", "pgkeel_drill", NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (c)
		PQsetNoticeProcessor(c, no_notices, NULL);
	return c;
}

static PGconn *connect_rw(const DrillWriter *w)
{
	PGconn *c = open_conn(w->conninfo);
	if (c && PQstatus(c) == CONNECTION_OK &&
	    exec_ok(c, "SET statement_timeout = 3000", NULL, 0))
		return c;
	PQfinish(c);
	return NULL;
}

static void record(DrillWriter *w, long long id)
{
	pthread_mutex_lock(&w->lock);
	if (w->nacked == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 1024;
		long long *a = realloc(w->acked, cap * sizeof(*a));
		int64_t *t = a ? realloc(w->ack_ms, cap * sizeof(*t)) : NULL;
		if (a)
			w->acked = a;
		if (t) {
			w->ack_ms = t;
			w->cap = cap;
		}
	}
	if (w->nacked < w->cap) {
		w->acked[w->nacked] = id;
		w->ack_ms[w->nacked++] = time_monotonic_ms();
	}
	pthread_mutex_unlock(&w->lock);
}

static bool stopping(DrillWriter *w)
{
	pthread_mutex_lock(&w->lock);
	bool s = w->stop;
	pthread_mutex_unlock(&w->lock);
	return s;
}

/* One insert every ~10 ms; an error costs the id (its outcome is
 * unknown) and the connection, opened again 50 ms later. */
static void *run(void *arg)
{
	DrillWriter *w = arg;
	PGconn *c = NULL;
	char sql[128];

	for (long long id = 1; !stopping(w); id++) {
		if (!c)
			c = connect_rw(w);
		snprintf(sql, sizeof(sql),
			 "INSERT INTO " DRILL_TABLE " (id) VALUES (%lld)", id);
		if (c && exec_ok(c, sql, NULL, 0)) {
			record(w, id);
			time_sleep_ms(10);
			continue;
		}
		pthread_mutex_lock(&w->lock);
		w->errors++;
		snprintf(w->last_error, sizeof(w->last_error), "%s",
			 c ? PQerrorMessage(c) : "cannot connect");
		pthread_mutex_unlock(&w->lock);
		PQfinish(c);
		c = NULL;
		time_sleep_ms(50);
	}
	PQfinish(c);
	return NULL;
}

bool drill_writer_start(DrillWriter *w, const char *conninfo, char *err,
			size_t errlen)
{
	memset(w, 0, sizeof(*w));
	w->conninfo = strdup(conninfo);
	pthread_mutex_init(&w->lock, NULL);
	PGconn *c = w->conninfo ? connect_rw(w) : NULL;
	if (!c) {
		PGconn *why = open_conn(conninfo);
		snprintf(err, errlen,
			 "the drill's client cannot connect: %s(it connects "
			 "as any libpq client: give the user and database in "
			 "--dsn, the password in PGPASSFILE or ~/.pgpass)",
			 PQerrorMessage(why));
		PQfinish(why);
		return false;
	}
	/* a table of that name the drill did not create is left alone */
	bool ok = exec_ok(c,
			  "CREATE TABLE " DRILL_TABLE " (id bigint PRIMARY "
			  "KEY, at timestamptz NOT NULL DEFAULT now())",
			  err, errlen);
	if (!ok && strstr(err, "already exists"))
		snprintf(err, errlen,
			 "table " DRILL_TABLE " already exists: the drill "
			 "writes only into a table it creates (drop it if an "
			 "interrupted drill left it)");
	PQfinish(c);
	if (ok && pthread_create(&w->thread, NULL, run, w) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		ok = false;
	}
	return ok;
}

bool drill_writer_wait_more(DrillWriter *w, size_t count, int timeout_ms)
{
	pthread_mutex_lock(&w->lock);
	size_t target = w->nacked + count;
	pthread_mutex_unlock(&w->lock);
	int64_t end = time_monotonic_ms() + timeout_ms;
	while (time_monotonic_ms() < end) {
		pthread_mutex_lock(&w->lock);
		bool done = w->nacked >= target;
		pthread_mutex_unlock(&w->lock);
		if (done)
			return true;
		time_sleep_ms(20);
	}
	return false;
}

void drill_writer_stop(DrillWriter *w)
{
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
}

int64_t drill_writer_max_gap_ms(DrillWriter *w)
{
	int64_t gap = 0;
	for (size_t i = 1; i < w->nacked; i++) {
		if (w->ack_ms[i] - w->ack_ms[i - 1] > gap)
			gap = w->ack_ms[i] - w->ack_ms[i - 1];
	}
	return gap;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

long long drill_writer_check(DrillWriter *w, char *err, size_t errlen)
{
	PGconn *c = connect_rw(w);
	PGresult *r = c ? PQexec(c, "SELECT id FROM " DRILL_TABLE
				    " ORDER BY id")
			: NULL;
	long long missing = -1;

	if (!c || PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "cannot read the drill's rows: %s",
			 c ? PQerrorMessage(c) : "cannot connect");
	} else {
		size_t n = (size_t)PQntuples(r);
		long long *have = calloc(n ? n : 1, sizeof(*have));
		for (size_t i = 0; have && i < n; i++)
			have[i] = atoll(PQgetvalue(r, (int)i, 0));
		missing = have ? 0 : -1;
		for (size_t i = 0; have && i < w->nacked; i++) {
			if (!bsearch(&w->acked[i], have, n, sizeof(*have),
				     cmp_ll))
				missing++;
		}
		free(have);
		exec_ok(c, "DROP TABLE IF EXISTS " DRILL_TABLE, NULL, 0);
	}
	PQclear(r);
	PQfinish(c);
	return missing;
}

void drill_writer_free(DrillWriter *w)
{
	pthread_mutex_destroy(&w->lock);
	free(w->conninfo);
	free(w->acked);
	free(w->ack_ms);
}
