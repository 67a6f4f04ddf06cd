/*
 * test_pgprobe_knock.c - the health check's bare TCP knock: a listening
 * port is up, a closed one is down with the port closed, and a host name
 * with several addresses is tried on each (localhost as ::1 first, while
 * the server listens on 127.0.0.1 only).
 */
#include "unit.h"

#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "pg/pgprobe.h"
#include "loopback.h"

/* Knocks and drives the probe to its verdict, as the monitor's loop. */
static PgProbeVerdict knock(PgProbe *p, const char *host, int port)
{
	int64_t deadline = time_monotonic_ms() + 2000;
	PgProbeVerdict v = pgprobe_knock(p, host, port, deadline);

	while (v == PROBE_NONE) {
		short ev;
		int fd = pgprobe_socket(p, &ev);
		assert_true(fd >= 0);
		struct pollfd pfd = {.fd = fd, .events = ev};
		int n = poll(&pfd, 1, 100);
		v = pgprobe_advance(p, n > 0, time_monotonic_ms());
	}
	assert_int_equal(p->state, PROBE_CLOSED);
	return v;
}

static void listening_port_is_up(void **state)
{
	PgProbe p = {.knock_fd = -1};
	int port, fd = loopback_socket(&port, true);
	(void)state;

	assert_int_equal(knock(&p, "127.0.0.1", port), PROBE_UP);
	assert_int_equal(knock(&p, "localhost", port), PROBE_UP);
	close(fd);
	pgprobe_close(&p);
}

static void closed_port_is_down_and_closed(void **state)
{
	PgProbe p = {.knock_fd = -1};
	int port, fd = loopback_socket(&port, true);
	(void)state;

	close(fd);
	assert_int_equal(knock(&p, "127.0.0.1", port), PROBE_DOWN);
	assert_true(p.port_closed);
	assert_non_null(strstr(p.error, "refused"));
	pgprobe_close(&p);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(listening_port_is_up),
	  cmocka_unit_test(closed_port_is_down_and_closed))
