/*
 * keeper_status.c - the routing checks of the keeper's HTTP API, decided
 * from a published KeeperStatus.
 */
#include "keeper/keeper_status.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *path;
	KeeperCheck check;
} check_paths[] = {
	{"/primary", CHECK_PRIMARY},     {"/read-write", CHECK_PRIMARY},
	{"/master", CHECK_PRIMARY},      {"/leader", CHECK_PRIMARY},
	{"/replica", CHECK_REPLICA},     {"/standby", CHECK_REPLICA},
	{"/read-only", CHECK_READ_ONLY}, {"/health", CHECK_HEALTH},
	{"/liveness", CHECK_LIVENESS},   {"/readiness", CHECK_READINESS},
	{"/sync", CHECK_SYNC},           {"/synchronous", CHECK_SYNC},
	{"/async", CHECK_ASYNC},         {"/asynchronous", CHECK_ASYNC},
	{"/standby-leader", CHECK_STANDBY_LEADER},
};

static const char *const check_names[] = {
	"primary", "replica", "read-only", "health", "liveness",
	"readiness", "sync", "async", "standby-leader", "none"};

KeeperCheck keeper_check_for_path(const char *path)
{
	for (size_t i = 0; i < sizeof(check_paths) / sizeof(check_paths[0]);
	     i++) {
		if (strcmp(path, check_paths[i].path) == 0)
			return check_paths[i].check;
	}
	return CHECK_NONE;
}

const char *keeper_check_name(KeeperCheck c)
{
	return check_names[c];
}

long long keeper_status_lag(const KeeperStatus *st)
{
	if (!st->in_recovery || st->primary_lsn == 0 ||
	    st->primary_lsn <= st->lsn)
		return 0;
	return (long long)(st->primary_lsn - st->lsn);
}

bool keeper_parse_lag(const char *text, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	long long mult = 1;

	if (end == text || v < 0)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	if (strcasecmp(end, "kB") == 0)
		mult = 1024LL;
	else if (strcasecmp(end, "MB") == 0)
		mult = 1024LL * 1024;
	else if (strcasecmp(end, "GB") == 0)
		mult = 1024LL * 1024 * 1024;
	else if (*end != '\0' && strcasecmp(end, "B") != 0)
		return false;
	if (v == LLONG_MAX && errno == ERANGE)
		return false; /* more digits than a long long holds */
	if (v > LLONG_MAX / mult)
		return false; /* the product would overflow */
	*out = v * mult;
	return true;
}

static bool fail(char *why, size_t len, const char *reason)
{
	snprintf(why, len, "%s", reason);
	return false;
}

static bool writable(const KeeperStatus *st, char *why, size_t len)
{
	if (!state_is_primary(st->goal))
		return fail(why, len, "not assigned a primary role");
	/* wait_primary -> primary and back changes only the synchronous
	 * set: writes go on throughout */
	if (!state_is_primary(st->current))
		return fail(why, len, "not yet in its assigned state");
	if (st->fenced)
		return fail(why, len, "fenced");
	if (!st->pg_running || st->in_recovery)
		return fail(why, len, "Postgres does not accept writes");
	return true;
}

int64_t keeper_status_staleness_ms(const KeeperStatus *st, int64_t now_ms)
{
	if (st->contact_ms <= 0)
		return -1;
	int64_t since = st->contact_ms;
	if (st->replayed_ms > 0 && st->replayed_ms < since)
		since = st->replayed_ms;
	return now_ms > since ? now_ms - since : 0;
}

static bool within_lag(const KeeperStatus *st, long long max_lag, char *why,
		       size_t len)
{
	if (max_lag < 0)
		return true;
	if (st->primary_lsn == 0)
		return fail(why, len, "lagging behind the primary: its LSN "
				      "is not known");
	long long lag = keeper_status_lag(st);
	if (lag <= max_lag)
		return true;
	snprintf(why, len, "lagging behind the primary: %lld bytes (limit %lld)",
		 lag, max_lag);
	return false;
}

static bool within_staleness(const KeeperStatus *st, int64_t max_ms,
			     int64_t now_ms, char *why, size_t len)
{
	if (max_ms < 0)
		return true;
	int64_t stale = keeper_status_staleness_ms(st, now_ms);
	if (stale < 0)
		return fail(why, len, "stale: the primary has not been heard "
				      "from since the keeper started");
	if (stale <= max_ms)
		return true;
	snprintf(why, len, "stale: %s %lld ms ago (limit %lld ms)",
		 st->replayed_ms > 0 && st->replayed_ms < st->contact_ms
			 ? "last replayed commit"
			 : "last heard from the primary",
		 (long long)stale, (long long)max_ms);
	return false;
}

static bool replica(const KeeperStatus *st, const KeeperLimits *lim,
		    int64_t now_ms, char *why, size_t len)
{
	if (st->current != NS_SECONDARY && st->current != NS_CATCHINGUP)
		return fail(why, len, "not a standby");
	if (st->goal == NS_DROPPED || st->goal == NS_MAINTENANCE ||
	    st->fenced)
		return fail(why, len, "leaving its standby role");
	if (!st->pg_running || !st->in_recovery)
		return fail(why, len, "Postgres is not running as a standby");
	return !lim || (within_lag(st, lim->max_lag, why, len) &&
			within_staleness(st, lim->max_staleness_ms, now_ms,
					 why, len));
}

/* /replica and /read-only: the node takes part in load balancing */
static bool balanced(const KeeperStatus *st, char *why, size_t len)
{
	return !st->noloadbalance || fail(why, len, "tagged noloadbalance");
}

static bool alive(const KeeperStatus *st, int64_t now_ms, char *why,
		  size_t len)
{
	int64_t limit = st->interval_ms * 10 > 10000 ? st->interval_ms * 10
						     : 10000;
	if (st->busy || now_ms - st->published_ms <= limit)
		return true;
	return fail(why, len, "the keeper's loop is stuck");
}

/* A standby formation's primary: assigned and in a primary role,
 * running as a standby (of the source formation). */
static bool standby_leader(const KeeperStatus *st, char *why, size_t len)
{
	if (!state_is_primary(st->goal) || !state_is_primary(st->current))
		return fail(why, len, "not the standby leader");
	if (st->fenced)
		return fail(why, len, "fenced");
	if (!st->pg_running || !st->in_recovery)
		return fail(why, len, "Postgres is not running as a standby");
	return true;
}

static bool check(const KeeperStatus *st, KeeperCheck c,
		  const KeeperLimits *lim, int64_t now_ms, char *why, size_t len)
{
	switch (c) {
	case CHECK_PRIMARY:
		return writable(st, why, len);
	case CHECK_REPLICA:
		return balanced(st, why, len) &&
		       replica(st, lim, now_ms, why, len);
	case CHECK_READ_ONLY:
		return balanced(st, why, len) &&
		       (writable(st, why, len) ||
			replica(st, lim, now_ms, why, len));
	case CHECK_HEALTH:
		return st->pg_running || fail(why, len, "Postgres is down");
	case CHECK_LIVENESS:
		return alive(st, now_ms, why, len);
	case CHECK_READINESS:
		if (state_is_primary(st->goal))
			return writable(st, why, len);
		return replica(st, NULL, now_ms, why, len) &&
		       (st->streaming || fail(why, len, "not streaming"));
	case CHECK_SYNC:
		return replica(st, lim, now_ms, why, len) &&
		       (st->in_sync_set ||
			fail(why, len, "not in the synchronous set"));
	case CHECK_ASYNC:
		return replica(st, lim, now_ms, why, len) &&
		       (!st->in_sync_set ||
			fail(why, len, "in the synchronous set"));
	case CHECK_STANDBY_LEADER:
		return standby_leader(st, why, len);
	case CHECK_NONE:
		break;
	}
	return fail(why, len, "no such check");
}

bool keeper_check(const KeeperStatus *st, KeeperCheck c,
		  const KeeperLimits *lim, int64_t now_ms, char *why,
		  size_t len)
{
	snprintf(why, len, "ok");
	if (!st->known && c != CHECK_HEALTH && c != CHECK_LIVENESS)
		return fail(why, len, "the formation has not been read yet");
	return check(st, c, lim, now_ms, why, len);
}
