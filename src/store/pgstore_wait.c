/*
 * pgstore_wait.c - a waiting handle of the postgres store: its
 * notifications. A changed report, a goal or an operator's action ends
 * the wait (s->woken); a beat, the notification a keeper's report that
 * changed nothing makes (schema 15), is only noted (store_heard_beat):
 * it tells the monitor that the keeper is alive without a read, and the
 * wait goes on.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "store/pgstore.h"

/* A beat's payload: the node's id and its new report_seq. */
static void heard(Store *s, const char *payload)
{
	StoreBeat b = {0, 0, time_monotonic_ms()};
	long long seq = 0;

	if (sscanf(payload, "%d %lld", &b.node_id, &seq) == 2) {
		b.report_seq = seq;
		store_heard_beat(s, b);
	}
}

/* The notifications received: true when one is news (not a beat). */
static bool take_notifications(Store *s, PGconn *conn)
{
	bool news = false;
	PGnotify *note;

	while ((note = PQnotifies(conn)) != NULL) {
		if (strcmp(note->relname, pgstore_impl(s)->beat_channel) == 0)
			heard(s, note->extra);
		else
			news = true;
		PQfreemem(note);
	}
	return news;
}

static bool connection_lost(Store *s)
{
	PgStore *p = pgstore_impl(s);

	pgstore_fail(s, "state store connection lost");
	s->failure = STORE_UNAVAILABLE;
	pg_disconnect(&p->pc);
	return false;
}

bool pgstore_wait(Store *s, int timeout_ms)
{
	PgStore *p = pgstore_impl(s);
	int64_t until = time_monotonic_ms() + timeout_ms;

	if (!pgstore_connected(s))
		return false;
	PQconsumeInput(p->pc.conn);
	for (;;) {
		if (take_notifications(s, p->pc.conn)) {
			s->woken = true;
			return true;
		}
		int64_t left = until - time_monotonic_ms();
		struct pollfd pfd[2] = {
			{.fd = PQsocket(p->pc.conn), .events = POLLIN},
			{.fd = s->wake_fd, .events = POLLIN}};
		int r = left > 0 ? poll(pfd, s->wake_fd >= 0 ? 2 : 1, (int)left)
				 : 0;
		if (r < 0 && errno == EINTR) /* a signal: the caller looks */
			return true;
		if (r <= 0)
			return true;
		if (s->wake_fd >= 0 && pfd[1].revents) {
			s->woken = true;
			return true;
		}
		if (!PQconsumeInput(p->pc.conn))
			return connection_lost(s);
	}
}
