/*
 * etcdwatch.h - a watch on a prefix of etcd's keys over the HTTP
 * gateway's streaming /v3/watch, read with curl's multi interface so
 * that a wait can block on it with a timeout and also end when another
 * descriptor becomes readable.
 */
#ifndef PGK_ETCDWATCH_H
#define PGK_ETCDWATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "store/etcdclient.h"

typedef struct EtcdWatch EtcdWatch;

/* Whether a key changed at revision mod matters to the watcher: true
 * to wake it. */
typedef bool (*EtcdWatchFilter)(const char *key, int64_t mod, void *arg);

/* A watch of every key under prefix from revision start_rev (0: from
 * now), made with c's member, TLS and token; NULL when out of memory.
 * It connects at the first etcd_watch_wait. */
EtcdWatch *etcd_watch_new(EtcdClient *c, const char *prefix,
			  int64_t start_rev, EtcdWatchFilter filter,
			  void *arg);
/* Ends the stream and frees w (NULL: nothing). */
void etcd_watch_free(EtcdWatch *w);
/*
 * Waits up to timeout_ms for a change filter wants (one already read
 * counts at once), or for wake_fd (-1: none) to become readable. 1: a
 * change (or the watch had to start again: the caller reads anew), 0:
 * the time passed or wake_fd, -1: the stream broke (the next call
 * connects again from the last revision seen).
 */
int etcd_watch_wait(EtcdWatch *w, int timeout_ms, int wake_fd);

#endif
