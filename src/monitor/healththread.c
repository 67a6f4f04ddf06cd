/*
 * healththread.c - the connection-test thread: a list of targets swapped
 * in by the decision loop, a table of results read by it, both under one
 * mutex that is never held while testing.
 */
#include "monitor/healththread.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/timeutil.h"
#include "monitor/healthcheck.h"
#include "monitor/monitor.h"

typedef struct {
	int node_id;
	char host[STORE_HOST_LEN];
	int port;
	bool tested;
	bool ok;
} Slot;

struct HealthThread {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	int64_t interval_ms;
	int timeout_ms;
	Slot *next;     /* being collected by the decision loop */
	size_t nnext;
	Slot *list;     /* tested; results live here */
	size_t nlist;
};

static const Slot *find(const Slot *slots, size_t n, int node_id)
{
	for (size_t i = 0; i < n; i++) {
		if (slots[i].node_id == node_id)
			return &slots[i];
	}
	return NULL;
}

/* One round: copy the targets, test them unlocked, store the results. */
static void round_once(HealthThread *ht)
{
	pthread_mutex_lock(&ht->lock);
	size_t n = ht->nlist;
	Slot *copy = malloc((n ? n : 1) * sizeof(Slot));
	HealthTarget *t = calloc(n ? n : 1, sizeof(HealthTarget));
	if (copy)
		memcpy(copy, ht->list, n * sizeof(Slot));
	pthread_mutex_unlock(&ht->lock);
	if (!copy || !t) {
		free(copy);
		free(t);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		t[i].host = copy[i].host;
		t[i].port = copy[i].port;
	}
	health_check_all(t, n, ht->timeout_ms);
	pthread_mutex_lock(&ht->lock);
	for (size_t i = 0; i < ht->nlist; i++) {
		/* the list is usually unchanged: same index first */
		const Slot *c = i < n && copy[i].node_id == ht->list[i].node_id
					? &copy[i]
					: find(copy, n, ht->list[i].node_id);
		if (c && c->port == ht->list[i].port) {
			ht->list[i].tested = true;
			ht->list[i].ok = t[c - copy].ok;
		}
	}
	pthread_mutex_unlock(&ht->lock);
	free(copy);
	free(t);
}

/* Sleeps up to ms on the monotonic clock, or until woken (to stop). */
static void wait_ms(HealthThread *ht, int64_t ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(&ht->wake, &ht->lock, &ts);
}

static void *run(void *arg)
{
	HealthThread *ht = arg;
	for (;;) {
		int64_t start = time_monotonic_ms();
		round_once(ht);
		pthread_mutex_lock(&ht->lock);
		int64_t left = ht->interval_ms - (time_monotonic_ms() - start);
		if (!ht->stop && left > 0)
			wait_ms(ht, left);
		bool stop = ht->stop;
		pthread_mutex_unlock(&ht->lock);
		if (stop)
			return NULL;
	}
}

HealthThread *healththread_start(int64_t interval_ms, int timeout_ms)
{
	HealthThread *ht = calloc(1, sizeof(*ht));
	if (!ht)
		return NULL;
	ht->next = calloc(MONITOR_MAX_TRACKED, sizeof(Slot));
	ht->list = calloc(MONITOR_MAX_TRACKED, sizeof(Slot));
	ht->interval_ms = interval_ms;
	ht->timeout_ms = timeout_ms;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_mutex_init(&ht->lock, NULL);
	pthread_cond_init(&ht->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (!ht->next || !ht->list ||
	    pthread_create(&ht->thread, NULL, run, ht) != 0) {
		free(ht->next);
		free(ht->list);
		free(ht);
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
	pthread_cond_signal(&ht->wake);
	pthread_mutex_unlock(&ht->lock);
	pthread_join(ht->thread, NULL);
	pthread_mutex_destroy(&ht->lock);
	pthread_cond_destroy(&ht->wake);
	free(ht->next);
	free(ht->list);
	free(ht);
}

void healththread_collect(HealthThread *ht, int node_id, const char *host,
			  int port)
{
	if (ht->nnext >= MONITOR_MAX_TRACKED)
		return;
	Slot *s = &ht->next[ht->nnext++];
	memset(s, 0, sizeof(*s));
	s->node_id = node_id;
	snprintf(s->host, sizeof(s->host), "%s", host);
	s->port = port;
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
		}
	}
	Slot *swap = ht->list;
	ht->list = ht->next;
	ht->nlist = ht->nnext;
	ht->next = swap;
	ht->nnext = 0;
	pthread_mutex_unlock(&ht->lock);
}

bool healththread_result(HealthThread *ht, int node_id, bool *ok)
{
	pthread_mutex_lock(&ht->lock);
	const Slot *s = find(ht->list, ht->nlist, node_id);
	bool tested = s && s->tested;
	if (tested)
		*ok = s->ok;
	pthread_mutex_unlock(&ht->lock);
	return tested;
}
