/*
 * healthcheck.c - the nodes' health-check connections, driven together:
 * what to start each interval, one poll() over every socket, and the
 * verdicts turned into results (a refused login logged once per node,
 * and logins after it spaced out).
 */
#include "monitor/healthcheck.h"

#include <poll.h>
#include <stdlib.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "pg/pgdbroles.h"
#include "pg/pghealth.h"

static PgProbeVerdict login(HealthNode *h, const HealthOptions *o,
			    int64_t now)
{
	return pghealth_login(&h->probe, h->host, h->port, h->password,
			      o->sslmode, &o->ssl, now + o->timeout_ms);
}

static void log_refusal(HealthNode *h)
{
	if (h->refusal_logged)
		return;
	h->refusal_logged = true;
	log_warn("health check of node %d (%s:%d): the login as %s was "
		 "refused (%s); the node counts as reachable, its server "
		 "answers. Expected for a moment on a new formation, until the "
		 "primary's keeper has created the role; if it lasts, check "
		 "that that keeper runs and that this node's pg_hba admits the "
		 "monitor's address (set postgresql.hba_network on the node "
		 "if the monitor connects from another address than its "
		 "URI's). Logged once until a login succeeds",
		 h->node_id, h->host, h->port, PG_HEALTH_ROLE, h->probe.error);
}

/* A refused login: said once, and the next one waits longer. */
static void refused(HealthNode *h, int64_t now)
{
	log_refusal(h);
	h->login_backoff_ms =
		h->login_backoff_ms ? h->login_backoff_ms * 2
				    : HEALTH_LOGIN_BACKOFF_MS;
	if (h->login_backoff_ms > HEALTH_LOGIN_BACKOFF_MAX_MS)
		h->login_backoff_ms = HEALTH_LOGIN_BACKOFF_MAX_MS;
	h->next_login_ms = now + h->login_backoff_ms;
}

/* A closed connection: a login, or only a knock while logins wait. */
static PgProbeVerdict reconnect(HealthNode *h, const HealthOptions *o,
				int64_t now)
{
	if (now < h->next_login_ms)
		return pgprobe_knock(&h->probe, h->host, h->port,
				     now + o->timeout_ms);
	return login(h, o, now);
}

/* When node h stopped answering, by a check sent at asked that failed:
 * then, or one usual interval after the last check it answered, when
 * the checks were spaced out further (the monitor's quiet cadence), so
 * that they find a node down no later than at the usual cadence. */
static int64_t down_since(const HealthNode *h, int64_t asked,
			  const HealthOptions *o)
{
	int64_t usual = h->answered_ms + o->interval_ms;
	return h->answered_ms > 0 && usual < asked ? usual : asked;
}

/* Records a verdict; a broken connection is replaced at once. True
 * when the node's result changed. */
static bool settle(HealthNode *h, PgProbeVerdict v, const HealthOptions *o)
{
	int64_t now = time_monotonic_ms();

	if (v == PROBE_LOST) {
		log_debug("health check of node %d (%s:%d): connection lost "
			  "(%s); logging in again",
			  h->node_id, h->host, h->port, h->probe.error);
		v = reconnect(h, o, now);
	}
	if (v == PROBE_NONE || v == PROBE_LOST)
		return false;
	if (v == PROBE_REFUSED)
		refused(h, now);
	if (v == PROBE_UP && h->probe.state == PROBE_IDLE) {
		if (h->refusal_logged)
			log_info("health check of node %d (%s:%d): logged in "
				 "as %s",
				 h->node_id, h->host, h->port, PG_HEALTH_ROLE);
		h->refusal_logged = false;
		h->login_backoff_ms = 0;
		h->next_login_ms = 0;
	}
	bool changed = !h->tested || h->ok != (v != PROBE_DOWN);
	int64_t asked = h->probe.deadline_ms - o->timeout_ms;
	asked = asked > 0 && asked < now ? asked : now;
	if (v != PROBE_DOWN)
		h->answered_ms = asked;
	else if (h->ok || !h->tested)
		h->down_since_ms = down_since(h, asked, o);
	h->ok = v != PROBE_DOWN;
	changed |= h->port_closed != (!h->ok && h->probe.port_closed);
	h->port_closed = !h->ok && h->probe.port_closed;
	h->tested = true;
	return changed;
}

bool health_tick(HealthNode *nodes, size_t n, const HealthOptions *o)
{
	int64_t now = time_monotonic_ms();
	bool changed = false;

	for (size_t i = 0; i < n; i++) {
		HealthNode *h = &nodes[i];
		if (h->probe.state == PROBE_IDLE)
			changed |= settle(
				h, pgprobe_ping(&h->probe, now + o->timeout_ms),
				o);
		else if (h->probe.state == PROBE_CLOSED)
			changed |= settle(h, reconnect(h, o, now), o);
	}
	return changed;
}

static bool busy(const PgProbe *p)
{
	return p->state == PROBE_CONNECTING || p->state == PROBE_PINGING;
}

/* The poll() timeout: until_ms, or the earliest deadline before it. */
static int wait_ms(const HealthNode *nodes, size_t n, int64_t until_ms)
{
	int64_t end = until_ms;
	for (size_t i = 0; i < n; i++) {
		if (busy(&nodes[i].probe) && nodes[i].probe.deadline_ms < end)
			end = nodes[i].probe.deadline_ms;
	}
	int64_t left = end - time_monotonic_ms();
	return left < 0 ? 0 : (int)left;
}

bool health_poll(HealthNode *nodes, size_t n, int64_t until_ms, int wake_fd,
		 const HealthOptions *o)
{
	struct pollfd *pfds = calloc(n + 1, sizeof(*pfds));
	size_t *map = calloc(n + 1, sizeof(*map));
	size_t k = 0;
	bool changed = false;

	if (!pfds || !map) {
		free(pfds);
		free(map);
		return false;
	}
	pfds[k++] = (struct pollfd){.fd = wake_fd, .events = POLLIN};
	for (size_t i = 0; i < n; i++) {
		short ev;
		int fd = pgprobe_socket(&nodes[i].probe, &ev);
		if (fd < 0)
			continue;
		map[k] = i;
		pfds[k++] = (struct pollfd){.fd = fd, .events = ev};
	}
	bool *ready = calloc(n + 1, sizeof(bool));
	if (ready && poll(pfds, k, wait_ms(nodes, n, until_ms)) > 0) {
		for (size_t j = 1; j < k; j++)
			ready[map[j]] = pfds[j].revents != 0;
	}
	int64_t now = time_monotonic_ms();
	for (size_t i = 0; ready && i < n; i++) {
		PgProbe *p = &nodes[i].probe;
		if (ready[i] || (busy(p) && now >= p->deadline_ms))
			changed |= settle(&nodes[i],
					  pgprobe_advance(p, ready[i], now), o);
	}
	free(ready);
	free(pfds);
	free(map);
	return changed;
}

void health_close(HealthNode *node)
{
	pgprobe_close(&node->probe);
}
