/*
 * test_keeper_status.c - the HTTP routing checks a keeper answers, from
 * its published status: what a load balancer sees in each situation.
 */
#include "unit.h"
#include <string.h>

#include "keeper/keeper_status.h"

static char why[128];

static KeeperStatus primary(void)
{
	KeeperStatus st;
	memset(&st, 0, sizeof(st));
	st.known = true;
	st.current = st.goal = NS_PRIMARY;
	st.pg_running = true;
	st.interval_ms = 500;
	st.published_ms = 1000;
	st.lsn = 0x3000000;
	return st;
}

static KeeperStatus standby(void)
{
	KeeperStatus st = primary();
	st.current = st.goal = NS_SECONDARY;
	st.in_recovery = true;
	st.streaming = true;
	st.in_sync_set = true;
	st.primary_lsn = 0x3000000 + 4096;
	return st;
}

static bool passes(const KeeperStatus *st, const char *path, long long lag)
{
	KeeperLimits lim = {lag, -1};
	return keeper_check(st, keeper_check_for_path(path), &lim, 1000, why,
			    sizeof(why));
}

/* A check with ?max_staleness=max_ms asked at now_ms. */
static bool fresh(const KeeperStatus *st, const char *path, int64_t max_ms,
		  int64_t now_ms)
{
	KeeperLimits lim = {-1, max_ms};
	return keeper_check(st, keeper_check_for_path(path), &lim, now_ms, why,
			    sizeof(why));
}

static void a_primary_is_read_write_not_replica(void **state)
{
	KeeperStatus st = primary();
	(void)state;
	assert_true(passes(&st, "/primary", -1));
	assert_true(passes(&st, "/read-write", -1));
	assert_true(passes(&st, "/read-only", -1));
	assert_true(passes(&st, "/readiness", -1));
	assert_false(passes(&st, "/replica", -1));
	assert_false(passes(&st, "/sync", -1));
	assert_false(passes(&st, "/async", -1));
	st.current = NS_WAIT_PRIMARY; /* on its way to primary: still writes */
	assert_true(passes(&st, "/primary", -1));
	st.current = NS_PREPARE_PROMOTION; /* not promoted yet */
	st.goal = NS_WAIT_PRIMARY;
	st.in_recovery = true;
	assert_false(passes(&st, "/primary", -1));
}

static void a_fenced_or_demoted_primary_is_not_primary(void **state)
{
	KeeperStatus st = primary();
	(void)state;
	st.fenced = true; /* Postgres may still answer: not for writes */
	assert_false(passes(&st, "/primary", -1));
	assert_string_equal(why, "fenced");
	st = primary();
	st.goal = NS_DEMOTED; /* the monitor took the role away */
	assert_false(passes(&st, "/primary", -1));
	st = primary();
	st.goal = NS_DRAINING;
	assert_false(passes(&st, "/read-write", -1));
	st = primary();
	st.in_recovery = true;
	assert_false(passes(&st, "/primary", -1));
}

static void a_standby_is_replica_within_the_lag_asked(void **state)
{
	KeeperStatus st = standby();
	(void)state;
	assert_false(passes(&st, "/primary", -1));
	assert_true(passes(&st, "/replica", -1));
	assert_true(passes(&st, "/read-only", -1));
	assert_true(passes(&st, "/replica", 4096));
	assert_false(passes(&st, "/replica", 4095));
	assert_string_equal(why, "lagging behind the primary: 4096 bytes "
				 "(limit 4095)");
	assert_false(passes(&st, "/sync", 4095)); /* every read check */
	assert_false(passes(&st, "/read-only", 4095));
	assert_true(passes(&st, "/readiness", 4095)); /* not a read check */
	st.in_sync_set = false;
	assert_false(passes(&st, "/async", 4095));
	st.in_sync_set = true;
	st.primary_lsn = 0; /* unknown: no promise about the lag */
	assert_false(passes(&st, "/replica", 1LL << 40));
	st.primary_lsn = 0x3000000 + 4096;
	assert_true(passes(&st, "/sync", -1));
	assert_false(passes(&st, "/async", -1));
	st.in_sync_set = false;
	assert_true(passes(&st, "/async", -1));
	st.streaming = false;
	assert_false(passes(&st, "/readiness", -1));
	assert_true(passes(&st, "/replica", -1));
}

static void leaving_standbys_and_stopped_servers_fail(void **state)
{
	KeeperStatus st = standby();
	(void)state;
	st.goal = NS_MAINTENANCE;
	assert_false(passes(&st, "/replica", -1));
	st = standby();
	st.current = NS_PREPARE_PROMOTION;
	assert_false(passes(&st, "/replica", -1));
	st = standby();
	st.pg_running = false;
	assert_false(passes(&st, "/replica", -1));
	assert_false(passes(&st, "/health", -1));
	assert_true(passes(&st, "/liveness", -1));
	st = standby();
	st.known = false; /* never read the formation */
	assert_false(passes(&st, "/replica", -1));
	assert_true(passes(&st, "/health", -1));
}

static void liveness_follows_the_loop(void **state)
{
	KeeperStatus st = standby();
	(void)state;
	st.published_ms = 1000;
	assert_true(keeper_check(&st, CHECK_LIVENESS, NULL, 10000, why, 128));
	assert_false(keeper_check(&st, CHECK_LIVENESS, NULL, 12000, why, 128));
	st.busy = true; /* a long clone is not a stuck loop */
	assert_true(keeper_check(&st, CHECK_LIVENESS, NULL, 99000, why, 128));
}

/* Staleness: since the primary was last heard from (an idle primary's
 * keepalives keep it small), or since the last replayed commit while
 * received WAL waits to be replayed, whichever is older. */
static void a_standby_is_replica_within_the_staleness_asked(void **state)
{
	KeeperStatus st = standby();
	(void)state;
	st.contact_ms = 0; /* not heard from since the keeper started */
	assert_false(fresh(&st, "/replica", 5000, 1000));
	assert_true(fresh(&st, "/replica", -1, 1000));
	st.contact_ms = 10000; /* idle primary: replay caught up */
	assert_true(fresh(&st, "/replica", 5000, 15000));
	assert_int_equal(keeper_status_staleness_ms(&st, 15000), 5000);
	assert_false(fresh(&st, "/replica", 5000, 15001));
	assert_string_equal(why, "stale: last heard from the primary 5001 ms "
				 "ago (limit 5000 ms)");
	assert_false(fresh(&st, "/read-only", 5000, 15001));
	assert_false(fresh(&st, "/async", 5000, 15001));
	assert_true(fresh(&st, "/readiness", 5000, 15001));
	/* in contact, but replay stopped 8 s ago while WAL waits */
	st.contact_ms = 20000;
	st.replayed_ms = 12000;
	assert_false(fresh(&st, "/replica", 5000, 20100));
	assert_string_equal(why, "stale: last replayed commit 8100 ms ago "
				 "(limit 5000 ms)");
	assert_true(fresh(&st, "/replica", 9000, 20100));
	/* a primary is never stale */
	st = primary();
	assert_true(fresh(&st, "/read-only", 0, 99000));
	assert_int_equal(keeper_status_staleness_ms(&st, 99000), -1);
}

static void noloadbalance_takes_a_node_out_of_the_read_checks(void **state)
{
	KeeperStatus st = standby();
	(void)state;
	st.noloadbalance = true;
	assert_false(passes(&st, "/replica", -1));
	assert_string_equal(why, "tagged noloadbalance");
	assert_false(passes(&st, "/read-only", -1));
	assert_true(passes(&st, "/sync", -1));
	assert_true(passes(&st, "/readiness", -1));
	st = primary();
	st.noloadbalance = true;
	assert_true(passes(&st, "/primary", -1));
	assert_false(passes(&st, "/read-only", -1));
}

static void paths_and_lag_values(void **state)
{
	long long v = 0;
	(void)state;
	assert_int_equal(keeper_check_for_path("/nope"), CHECK_NONE);
	assert_int_equal(keeper_check_for_path("/master"), CHECK_PRIMARY);
	assert_true(keeper_parse_lag("1024", &v));
	assert_int_equal(v, 1024);
	assert_true(keeper_parse_lag("16MB", &v));
	assert_int_equal(v, 16LL * 1024 * 1024);
	assert_true(keeper_parse_lag("2 kB", &v));
	assert_int_equal(v, 2048);
	assert_false(keeper_parse_lag("lots", &v));
	assert_false(keeper_parse_lag("-1", &v));
	assert_false(keeper_parse_lag("5 parsecs", &v));
}

/* Found by the lag fuzzer (tests/fuzz/corpus/lag): a product past
 * LLONG_MAX was undefined behaviour and could come out negative,
 * which means "no limit". */
/* A standby formation's leader: a primary role, Postgres a standby of
 * the source; never /primary or /read-write. */
static void a_standby_leader_is_standby_leader_only(void **state)
{
	KeeperStatus st = primary();
	(void)state;

	st.current = st.goal = NS_WAIT_PRIMARY;
	st.in_recovery = true;
	assert_true(passes(&st, "/standby-leader", -1));
	assert_false(passes(&st, "/primary", -1));
	assert_false(passes(&st, "/read-write", -1));
	st.in_recovery = false; /* promoted: a primary, no standby leader */
	assert_false(passes(&st, "/standby-leader", -1));
	assert_true(passes(&st, "/primary", -1));
	KeeperStatus s = standby();
	assert_false(passes(&s, "/standby-leader", -1));
	assert_string_equal(why, "not the standby leader");
}

static void lag_values_that_overflow_are_refused(void **state)
{
	long long v = 0;
	(void)state;
	assert_false(keeper_parse_lag("9007199254740993GB", &v));
	assert_false(keeper_parse_lag("9223372036854775807kB", &v));
	assert_false(keeper_parse_lag("99999999999999999999", &v));
	assert_true(keeper_parse_lag("8589934591GB", &v));
	assert_int_equal(v, 8589934591LL * 1024 * 1024 * 1024);
	assert_true(keeper_parse_lag("9223372036854775807", &v));
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(a_standby_leader_is_standby_leader_only),
	  cmocka_unit_test(a_primary_is_read_write_not_replica),
	  cmocka_unit_test(a_fenced_or_demoted_primary_is_not_primary),
	  cmocka_unit_test(a_standby_is_replica_within_the_lag_asked),
	  cmocka_unit_test(leaving_standbys_and_stopped_servers_fail),
	  cmocka_unit_test(a_standby_is_replica_within_the_staleness_asked),
	  cmocka_unit_test(noloadbalance_takes_a_node_out_of_the_read_checks),
	  cmocka_unit_test(liveness_follows_the_loop),
	  cmocka_unit_test(paths_and_lag_values),
	  cmocka_unit_test(lag_values_that_overflow_are_refused))
