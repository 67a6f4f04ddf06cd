/*
 * monitor_peer.c - monitors of a shared store telling a dead active
 * monitor from a silent one (monitor_peer.h).
 */
#include "monitor/monitor_peer.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "pg/pgprobe.h"

/* refusals in a row, at least this far apart, that say nothing listens */
#define PEER_REFUSALS 2
#define PEER_REFUSAL_SPAN_MS 100
/* a monitor deposes another at most this often: two monitors that each
 * see the other refused (a firewall that rejects) hand the lease back
 * and forth no faster */
#define PEER_DEPOSE_EVERY_MS 60000
#define PEER_KNOCK_MS 200

/* One bare TCP connection to host:port: PROBE_UP when accepted,
 * PROBE_DOWN with *refused when refused, PROBE_DOWN alone when silent. */
static PgProbeVerdict knock(const char *host, int port, bool *refused)
{
	PgProbe p = {.knock_fd = -1};
	int64_t deadline = time_monotonic_ms() + PEER_KNOCK_MS;
	PgProbeVerdict v = pgprobe_knock(&p, host, port, deadline);

	while (v == PROBE_NONE) {
		short events = 0;
		struct pollfd pfd = {.fd = pgprobe_socket(&p, &events)};
		pfd.events = events;
		int64_t left = deadline - time_monotonic_ms();
		int ready = pfd.fd >= 0 && left > 0
				    ? poll(&pfd, 1, (int)left)
				    : 0;
		v = pgprobe_advance(&p, ready > 0, time_monotonic_ms());
	}
	*refused = v == PROBE_DOWN && p.port_closed;
	pgprobe_close(&p);
	return v;
}

/* host and port of "host:port" ("[v6]:port" too); false when not one. */
static bool split(const char *addr, char *host, size_t len, int *port)
{
	const char *colon = strrchr(addr, ':');

	if (!colon || colon == addr || !colon[1])
		return false;
	*port = atoi(colon + 1);
	size_t n = (size_t)(colon - addr);
	if (addr[0] == '[' && n >= 2 && addr[n - 1] == ']') {
		addr++;
		n -= 2;
	}
	if (n >= len || *port <= 0)
		return false;
	memcpy(host, addr, n);
	host[n] = '\0';
	return true;
}

static bool wildcard(const char *listen)
{
	return !listen || !*listen || strcmp(listen, "*") == 0 ||
	       strcmp(listen, "0.0.0.0") == 0 || strcmp(listen, "::") == 0;
}

void monitor_peer_address(const Config *cfg, bool api_running, char *out,
			  size_t len)
{
	const char *listen = config_get(cfg, S_HTTP_LISTEN);
	const char *host = wildcard(listen) ? config_get(cfg, S_HOSTNAME)
					    : listen;
	int port = (int)config_get_int(cfg, S_HTTP_PORT);
	bool refused = false;

	out[0] = '\0';
	if (!api_running || port <= 0 || !host || !*host)
		return;
	if (knock(host, port, &refused) != PROBE_UP) {
		log_warn("this monitor's HTTP API does not answer at %s "
			 "port %d: not listed for other monitors, which "
			 "will wait for its lease to end if it dies",
			 host, port);
		return;
	}
	snprintf(out, len, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host,
		 port);
}

/* The active monitor, as listed; false when none or unknown. */
static bool active_one(Store *s, StoreMonitor *out)
{
	StoreMonitor list[16];
	size_t n = 0;

	if (!store_list_monitors(s, list, 16, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (list[i].active) {
			*out = list[i];
			return true;
		}
	}
	return false;
}

/* Counts refusals of the active monitor's API: true once enough in a
 * row say nothing listens there. */
static bool refused_enough(MonitorPeerWatch *w, const StoreMonitor *a,
			   int64_t now)
{
	char host[256];
	int port = 0;
	bool refused = false;

	if (strcmp(w->holder, a->holder) != 0 || w->term != a->term) {
		snprintf(w->holder, sizeof(w->holder), "%s", a->holder);
		w->term = a->term;
		w->refusals = 0;
	}
	if (!a->api[0] || !split(a->api, host, sizeof(host), &port))
		return false;
	knock(host, port, &refused);
	if (!refused) {
		w->refusals = 0;
		return false;
	}
	if (w->refusals++ == 0)
		w->first_refusal_ms = now;
	return w->refusals >= PEER_REFUSALS &&
	       now - w->first_refusal_ms >= PEER_REFUSAL_SPAN_MS;
}

bool monitor_peer_check(Store *s, MonitorPeerWatch *w, int64_t now_ms)
{
	StoreMonitor a;

	if (w->last_depose_ms && now_ms - w->last_depose_ms <
					 PEER_DEPOSE_EVERY_MS)
		return false;
	if (!active_one(s, &a) || !refused_enough(w, &a, now_ms))
		return false;
	if (!store_depose(s, a.holder, a.term)) {
		log_warn("cannot end the lease of monitor %s: %s", a.holder,
			 s->error);
		return false;
	}
	log_warn("monitor %s (term %lld) refuses connections at %s: "
		 "nothing listens there, its lease ends now",
		 a.holder, (long long)a.term, a.api);
	w->last_depose_ms = now_ms;
	w->refusals = 0;
	return true;
}
