/*
 * etcdwatch.c - the streaming watch of etcdwatch.h: the gateway sends
 * one JSON object per line ({"result": {...}}); every event's key goes
 * through the watcher's filter.
 */
#include "store/etcdwatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "store/curllib.h"

struct EtcdWatch {
	EtcdClient *client;
	char prefix[512];
	EtcdWatchFilter filter;
	void *arg;
	CURLM *multi;
	CURL *easy;          /* NULL: not connected */
	struct curl_slist *hdr;
	char *body;
	char *line;          /* what came after the last newline */
	size_t used;
	int64_t next_rev;    /* where a new stream starts (0: now) */
	size_t member;
	size_t followed;     /* the client's member when it connected */
	bool pending;        /* a change the watcher has not seen */
	bool broken;
	int64_t retry_ms;    /* monotonic: no new stream before */
};

EtcdWatch *etcd_watch_new(EtcdClient *c, const char *prefix,
			  int64_t start_rev, EtcdWatchFilter filter, void *arg)
{
	EtcdWatch *w = calloc(1, sizeof(*w));

	if (!w || !(w->multi = curllib()->multi_init())) {
		free(w);
		return NULL;
	}
	w->client = c;
	snprintf(w->prefix, sizeof(w->prefix), "%s", prefix);
	w->filter = filter;
	w->arg = arg;
	w->next_rev = start_rev;
	w->member = etcd_client_member(c);
	return w;
}

static void disconnect(EtcdWatch *w)
{
	if (w->easy) {
		curllib()->multi_remove_handle(w->multi, w->easy);
		curllib()->easy_cleanup(w->easy);
	}
	curllib()->slist_free_all(w->hdr);
	free(w->body);
	w->easy = NULL;
	w->hdr = NULL;
	w->body = NULL;
	w->used = 0;
}

void etcd_watch_free(EtcdWatch *w)
{
	if (!w)
		return;
	disconnect(w);
	curllib()->multi_cleanup(w->multi);
	free(w->line);
	free(w);
}

/* One message of the stream. */
static void take_message(EtcdWatch *w, const char *text)
{
	json_t *m = json_loads(text, 0, NULL);
	json_t *r = json_object_get(m, "result"), *ev;
	size_t i;

	if (!r) { /* an error (refused, unauthenticated): no news */
		w->broken = true;
		json_decref(m);
		return;
	}
	if (json_is_true(json_object_get(r, "canceled")) ||
	    etcd_int(r, "compact_revision")) {
		/* compacted away or refused: read anew, from now */
		w->pending = true;
		w->broken = true;
		w->next_rev = 0;
	}
	if (json_is_true(json_object_get(r, "created")) && !w->next_rev)
		w->next_rev = etcd_revision(r) + 1;
	json_array_foreach(json_object_get(r, "events"), i, ev)
	{
		const json_t *kv = json_object_get(ev, "kv");
		char *key = etcd_field(kv, "key");
		if (!key || w->filter(key, etcd_int(kv, "mod_revision"),
				      w->arg))
			w->pending = true;
		if (etcd_int(kv, "mod_revision") >= w->next_rev)
			w->next_rev = etcd_int(kv, "mod_revision") + 1;
		free(key);
	}
	json_decref(m);
}

static size_t take(char *data, size_t size, size_t n, void *arg)
{
	EtcdWatch *w = arg;
	size_t add = size * n;
	char *more = realloc(w->line, w->used + add + 1), *nl;

	if (!more)
		return 0;
	w->line = more;
	memcpy(w->line + w->used, data, add);
	w->used += add;
	w->line[w->used] = '\0';
	while ((nl = strchr(w->line, '\n'))) {
		*nl = '\0';
		take_message(w, w->line);
		w->used -= (size_t)(nl + 1 - w->line);
		memmove(w->line, nl + 1, w->used + 1);
	}
	return add;
}

static bool connect_watch(EtcdWatch *w)
{
	const EtcdConfig *cfg = etcd_client_config(w->client);
	char url[1400], auth[600], rev[32];
	json_t *req = etcd_range(w->prefix, true);

	snprintf(rev, sizeof(rev), "%lld", (long long)w->next_rev);
	if (w->next_rev)
		json_object_set_new(req, "start_revision", json_string(rev));
	json_t *body = json_pack("{s:o}", "create_request", req);
	w->body = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!w->body || !(w->easy = curllib()->easy_init()))
		return false;
	w->member %= cfg->nendpoints;
	w->followed = etcd_client_member(w->client);
	snprintf(url, sizeof(url), "%s/v3/watch", cfg->endpoints[w->member]);
	w->hdr = curllib()->slist_append(NULL, "Content-Type: application/json");
	if (etcd_client_token(w->client)[0]) {
		snprintf(auth, sizeof(auth), "Authorization: %s",
			 etcd_client_token(w->client));
		w->hdr = curllib()->slist_append(w->hdr, auth);
	}
	curllib()->easy_setopt(w->easy, CURLOPT_URL, url);
	curllib()->easy_setopt(w->easy, CURLOPT_HTTPHEADER, w->hdr);
	curllib()->easy_setopt(w->easy, CURLOPT_POSTFIELDS, w->body);
	curllib()->easy_setopt(w->easy, CURLOPT_WRITEFUNCTION, take);
	curllib()->easy_setopt(w->easy, CURLOPT_WRITEDATA, w);
	curllib()->easy_setopt(w->easy, CURLOPT_NOSIGNAL, 1L);
	curllib()->easy_setopt(w->easy, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
	etcd_client_tls(w->client, w->easy);
	w->broken = false;
	return curllib()->multi_add_handle(w->multi, w->easy) == CURLM_OK;
}

/* Reads what the stream has; false when it ended. */
static bool pump(EtcdWatch *w)
{
	int running = 0, left;
	CURLMsg *msg;
	bool done = false;

	curllib()->multi_perform(w->multi, &running);
	while ((msg = curllib()->multi_info_read(w->multi, &left)))
		done |= msg->msg == CURLMSG_DONE;
	return !done && !w->broken;
}

int etcd_watch_wait(EtcdWatch *w, int timeout_ms, int wake_fd)
{
	int64_t end = time_monotonic_ms() + timeout_ms;
	bool lost = false;

	/* the client's calls moved to another member (this one may be cut
	 * off from the majority, its stream silent): the watch follows */
	if (w->easy && etcd_client_member(w->client) != w->followed) {
		disconnect(w);
		w->member = etcd_client_member(w->client);
	}
	for (;;) {
		if (!w->easy && time_monotonic_ms() >= w->retry_ms &&
		    !connect_watch(w))
			lost = true;
		if (w->easy && !pump(w)) {
			disconnect(w);
			w->member++; /* another member, next time */
			w->retry_ms = time_monotonic_ms() + 100;
			lost = true;
		}
		if (w->pending) {
			w->pending = false;
			return 1;
		}
		int64_t left = end - time_monotonic_ms();
		if (left <= 0)
			return lost && !w->easy ? -1 : 0;
		struct curl_waitfd fd = {.fd = wake_fd, .events = CURL_WAIT_POLLIN};
		int n = 0;
		int ms = w->easy ? (int)left : (int)(left < 100 ? left : 100);
		curllib()->multi_poll(w->multi, &fd, wake_fd >= 0 ? 1 : 0, ms, &n);
		if (wake_fd >= 0 && (fd.revents & CURL_WAIT_POLLIN))
			return 0;
	}
}
