/*
 * healththread.c - the health-check thread: a list of targets swapped in
 * by the decision loop and a table of results read by it, both under one
 * mutex that is never held while checking. The thread's own copy of the
 * targets holds the connections; a node keeps its connection while its
 * address stays the same.
 */
#define _GNU_SOURCE /* pipe2 */
#include "monitor/healththread.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "monitor/healthcheck.h"
#include "monitor/monitor.h"

typedef struct {
	int node_id;
	char host[STORE_HOST_LEN];
	int port;
	char password[128];
	bool tested;
	bool ok;
	bool port_closed;
	int64_t down_since_ms;
} Slot;

struct HealthThread {
	pthread_t thread;
	pthread_mutex_t lock;
	int wake[2];    /* a byte written to wake[1] stops the thread */
	int changed[2]; /* a byte in changed[0]: a result changed */
	bool stop;
	int64_t quiet_ms; /* > 0: the checks' cadence while quiet */
	int64_t interval_ms;
	HealthOptions opts;
	char sslmode[32];
	Slot *next;     /* being collected by the decision loop */
	size_t nnext;
	Slot *list;     /* checked; results live here */
	size_t nlist;
	/* the thread's own: connections and latest verdicts */
	HealthNode *nodes;
	HealthNode *spare;
	size_t nnodes;
};

static const Slot *find(const Slot *slots, size_t n, int node_id)
{
	for (size_t i = 0; i < n; i++) {
		if (slots[i].node_id == node_id)
			return &slots[i];
	}
	return NULL;
}

/* The thread's node at the same address, the same index first. */
static HealthNode *find_node(HealthNode *nodes, size_t n, size_t hint,
			     int node_id, const char *host, int port)
{
	for (size_t k = 0; k <= n; k++) {
		size_t i = k == 0 ? hint : k - 1;
		if (i < n && nodes[i].node_id == node_id &&
		    nodes[i].port == port && strcmp(nodes[i].host, host) == 0)
			return &nodes[i];
	}
	return NULL;
}

/* Takes the latest list: nodes that stay keep their connection, new
 * ones start without, and the connections of the others are closed. */
static void sync_targets(HealthThread *ht)
{
	pthread_mutex_lock(&ht->lock);
	size_t n = ht->nlist;
	for (size_t i = 0; i < n; i++) {
		const Slot *s = &ht->list[i];
		HealthNode *old = find_node(ht->nodes, ht->nnodes, i,
					    s->node_id, s->host, s->port);
		HealthNode *h = &ht->spare[i];
		if (old) {
			*h = *old;
			old->node_id = -1; /* moved */
		} else {
			memset(h, 0, sizeof(*h));
			h->node_id = s->node_id;
			snprintf(h->host, sizeof(h->host), "%s", s->host);
			h->port = s->port;
		}
		if (strcmp(h->password, s->password) != 0)
			h->next_login_ms = 0; /* a new password: log in now */
		snprintf(h->password, sizeof(h->password), "%s", s->password);
	}
	pthread_mutex_unlock(&ht->lock);
	for (size_t i = 0; i < ht->nnodes; i++) {
		if (ht->nodes[i].node_id != -1)
			health_close(&ht->nodes[i]);
	}
	HealthNode *swap = ht->nodes;
	ht->nodes = ht->spare;
	ht->spare = swap;
	ht->nnodes = n;
}

/* Copies the verdicts into the results the decision loop reads. */
static void publish(HealthThread *ht)
{
	pthread_mutex_lock(&ht->lock);
	for (size_t i = 0; i < ht->nlist; i++) {
		Slot *s = &ht->list[i];
		const HealthNode *h = find_node(ht->nodes, ht->nnodes, i,
						s->node_id, s->host, s->port);
		if (h && h->tested) {
			s->tested = true;
			s->ok = h->ok;
			s->port_closed = h->port_closed;
			s->down_since_ms = h->down_since_ms;
		}
	}
	pthread_mutex_unlock(&ht->lock);
}

static bool stopping(HealthThread *ht)
{
	pthread_mutex_lock(&ht->lock);
	bool stop = ht->stop;
	pthread_mutex_unlock(&ht->lock);
	return stop;
}

/* The time between two rounds of checks now. */
static int64_t cadence(HealthThread *ht)
{
	pthread_mutex_lock(&ht->lock);
	int64_t ms = ht->quiet_ms > 0 ? ht->quiet_ms : ht->interval_ms;
	pthread_mutex_unlock(&ht->lock);
	return ms;
}

static void *run(void *arg)
{
	HealthThread *ht = arg;
	int64_t last_tick = time_monotonic_ms() - ht->interval_ms;

	while (!stopping(ht)) {
		int64_t now = time_monotonic_ms();
		int64_t next_tick = last_tick + cadence(ht);
		bool changed = false;
		if (now >= next_tick) {
			sync_targets(ht);
			changed = health_tick(ht->nodes, ht->nnodes, &ht->opts);
			/* on time, or late: no burst */
			last_tick = now - next_tick < ht->interval_ms ? next_tick
								     : now;
			next_tick = last_tick + cadence(ht);
		}
		changed |= health_poll(ht->nodes, ht->nnodes, next_tick,
				       ht->wake[0], &ht->opts);
		if (changed) {
			publish(ht);
			if (write(ht->changed[1], "x", 1) < 0) {
				/* full: the decision loop has news already */
			}
		}
	}
	for (size_t i = 0; i < ht->nnodes; i++)
		health_close(&ht->nodes[i]);
	return NULL;
}

/* One descriptor per node: as many as the hard limit allows. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void free_thread(HealthThread *ht)
{
	free(ht->next);
	free(ht->list);
	free(ht->nodes);
	free(ht->spare);
	free(ht);
}

HealthThread *healththread_start(int64_t interval_ms, int timeout_ms,
				 const char *sslmode, const SslSpec *ssl)
{
	HealthThread *ht = calloc(1, sizeof(*ht));
	if (!ht)
		return NULL;
	ht->next = calloc(MONITOR_MAX_TRACKED, sizeof(Slot));
	ht->list = calloc(MONITOR_MAX_TRACKED, sizeof(Slot));
	ht->nodes = calloc(MONITOR_MAX_TRACKED, sizeof(HealthNode));
	ht->spare = calloc(MONITOR_MAX_TRACKED, sizeof(HealthNode));
	ht->interval_ms = interval_ms;
	snprintf(ht->sslmode, sizeof(ht->sslmode), "%s", sslmode);
	ht->opts = (HealthOptions){.timeout_ms = timeout_ms,
				   .interval_ms = interval_ms,
				   .sslmode = ht->sslmode,
				   .ssl = *ssl};
	raise_fd_limit();
	if (!ht->next || !ht->list || !ht->nodes || !ht->spare ||
	    pipe2(ht->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		free_thread(ht);
		return NULL;
	}
	if (pipe2(ht->changed, O_CLOEXEC | O_NONBLOCK) != 0) {
		close(ht->wake[0]);
		close(ht->wake[1]);
		free_thread(ht);
		return NULL;
	}
	pthread_mutex_init(&ht->lock, NULL);
	if (pthread_create(&ht->thread, NULL, run, ht) != 0) {
		pthread_mutex_destroy(&ht->lock);
		close(ht->wake[0]);
		close(ht->wake[1]);
		close(ht->changed[0]);
		close(ht->changed[1]);
		free_thread(ht);
		return NULL;
	}
	return ht;
}

void healththread_stop(HealthThread *ht)
{
	if (!ht)
		return;
	pthread_mutex_lock(&ht->lock);
	ht->stop = true;
	pthread_mutex_unlock(&ht->lock);
	if (write(ht->wake[1], "x", 1) < 0) {
		/* the pipe is empty and ours: cannot fail in practice */
	}
	pthread_join(ht->thread, NULL);
	pthread_mutex_destroy(&ht->lock);
	close(ht->wake[0]);
	close(ht->wake[1]);
	close(ht->changed[0]);
	close(ht->changed[1]);
	free_thread(ht);
}

void healththread_set_quiet(HealthThread *ht, bool quiet,
			    int64_t node_down_ms)
{
	int64_t ms = HEALTH_QUIET_INTERVALS * ht->interval_ms;
	int64_t found_by = node_down_ms - ht->opts.timeout_ms - ht->interval_ms;

	if (ms > found_by)
		ms = found_by;
	pthread_mutex_lock(&ht->lock);
	ht->quiet_ms = quiet && ms > ht->interval_ms ? ms : 0;
	pthread_mutex_unlock(&ht->lock);
}

int healththread_changed_fd(const HealthThread *ht)
{
	return ht ? ht->changed[0] : -1;
}

bool healththread_drain(HealthThread *ht)
{
	char buf[64];
	bool news = false;

	while (ht && read(ht->changed[0], buf, sizeof(buf)) > 0)
		news = true;
	return news;
}

void healththread_collect(HealthThread *ht, int node_id, const char *host,
			  int port, const char *password)
{
	if (ht->nnext >= MONITOR_MAX_TRACKED)
		return;
	Slot *s = &ht->next[ht->nnext++];
	memset(s, 0, sizeof(*s));
	s->node_id = node_id;
	snprintf(s->host, sizeof(s->host), "%s", host);
	s->port = port;
	snprintf(s->password, sizeof(s->password), "%s",
		 password ? password : "");
}

/* New list, keeping the results of nodes that stay (same address). */
void healththread_commit(HealthThread *ht)
{
	pthread_mutex_lock(&ht->lock);
	for (size_t i = 0; i < ht->nnext; i++) {
		const Slot *old = find(ht->list, ht->nlist, ht->next[i].node_id);
		if (old && old->port == ht->next[i].port &&
		    strcmp(old->host, ht->next[i].host) == 0) {
			ht->next[i].tested = old->tested;
			ht->next[i].ok = old->ok;
			ht->next[i].port_closed = old->port_closed;
			ht->next[i].down_since_ms = old->down_since_ms;
		}
	}
	Slot *swap = ht->list;
	ht->list = ht->next;
	ht->nlist = ht->nnext;
	ht->next = swap;
	ht->nnext = 0;
	pthread_mutex_unlock(&ht->lock);
}

bool healththread_result(HealthThread *ht, int node_id, bool *ok,
			 bool *port_closed, int64_t *down_since_ms)
{
	pthread_mutex_lock(&ht->lock);
	const Slot *s = find(ht->list, ht->nlist, node_id);
	bool tested = s && s->tested;
	if (tested) {
		*ok = s->ok;
		*port_closed = s->port_closed;
		*down_since_ms = s->down_since_ms;
	}
	pthread_mutex_unlock(&ht->lock);
	return tested;
}
