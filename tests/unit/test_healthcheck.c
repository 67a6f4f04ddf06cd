/*
 * test_healthcheck.c - the monitor's connection tests (healthcheck.c)
 * against loopback sockets of the test's own: a port nothing listens on
 * is refused at once; a server that accepts the connection and never
 * answers is down once the check's time limit passed, and counts as
 * down since the check was sent, not since the limit passed (the failure
 * detector's node_down_timeout runs from there, docs/guarantees.md).
 */
#include "unit.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "monitor/healthcheck.h"
#include "loopback.h"

#define TIMEOUT_MS 400

static void node_at(HealthNode *h, int port)
{
	memset(h, 0, sizeof(*h));
	h->node_id = 1;
	snprintf(h->host, sizeof(h->host), "127.0.0.1");
	h->port = port;
	snprintf(h->password, sizeof(h->password), "unused");
}

/* Ticks once, then polls until the node has a result or 5 s passed. */
static void check(HealthNode *h, const HealthOptions *o)
{
	int64_t until = time_monotonic_ms() + 5000;

	health_tick(h, 1, o);
	while (!h->tested && time_monotonic_ms() < until)
		health_poll(h, 1, time_monotonic_ms() + 50, -1, o);
	assert_true(h->tested);
}

static void a_silent_server_is_down_since_the_check_was_sent(void **state)
{
	HealthOptions o = {.timeout_ms = TIMEOUT_MS, .sslmode = "disable"};
	HealthNode h;
	int port, fd = loopback_socket(&port, true); /* never answers */
	(void)state;

	node_at(&h, port);
	int64_t sent = time_monotonic_ms();
	check(&h, &o);
	int64_t decided = time_monotonic_ms();
	assert_false(h.ok);
	assert_false(h.port_closed);
	assert_true(decided - sent >= TIMEOUT_MS);
	assert_true(h.down_since_ms >= sent);
	assert_true(h.down_since_ms <= sent + 50);
	health_close(&h);
	close(fd);
}

static void a_closed_port_is_refused_at_once(void **state)
{
	HealthOptions o = {.timeout_ms = TIMEOUT_MS, .sslmode = "disable"};
	HealthNode h;
	int port, fd = loopback_socket(&port, false);
	(void)state;

	close(fd); /* nothing listens there now */
	node_at(&h, port);
	int64_t sent = time_monotonic_ms();
	check(&h, &o);
	assert_false(h.ok);
	assert_true(h.port_closed);
	assert_true(h.down_since_ms >= sent);
	assert_true(h.down_since_ms <= time_monotonic_ms());
	health_close(&h);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(a_silent_server_is_down_since_the_check_was_sent),
	  cmocka_unit_test(a_closed_port_is_refused_at_once))
