/*
 * etcdclient.c - unary calls to etcd's HTTP gateway (etcdclient.h): one
 * keep-alive connection at a time, to the member that last answered;
 * the next member when it fails; authentication by token.
 */
#include "store/etcdclient.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/passfile.h"
#include "common/timeutil.h"
#include "store/curllib.h"

struct EtcdClient {
	EtcdConfig cfg;
	CURL *curl;
	size_t current;    /* the member that answered last */
	char password[256];
	char token[512];   /* "" none yet */
	bool no_auth;      /* etcd said its authentication is off */
	char *buf;         /* the answer being read */
	size_t used;
};

static size_t take(char *data, size_t size, size_t n, void *arg)
{
	EtcdClient *c = arg;
	size_t add = size * n;
	char *more = realloc(c->buf, c->used + add + 1);

	if (!more)
		return 0;
	c->buf = more;
	memcpy(c->buf + c->used, data, add);
	c->used += add;
	c->buf[c->used] = '\0';
	return add;
}

/* The password file's first line, kept in memory (a .pgpass line for
 * the user, as a keeper's store credential is written, gives its
 * password field); false with err. */
static bool read_password(EtcdClient *c, char *err, size_t len)
{
	char why[256];

	if (!c->cfg.user[0])
		return true;
	if (!c->cfg.passfile[0]) {
		snprintf(err, len, "user=%s needs passfile= (a file holding "
				   "only the password, mode 0600)",
			 c->cfg.user);
		return false;
	}
	if (!passfile_is_private(c->cfg.passfile, err, len))
		return false;
	if (passfile_read(c->cfg.passfile, c->cfg.user, c->password,
			  sizeof(c->password), why, sizeof(why)))
		return true;
	char *text = fs_read_file(c->cfg.passfile, NULL);
	if (!text) {
		snprintf(err, len, "cannot read %s", c->cfg.passfile);
		return false;
	}
	text[strcspn(text, "\r\n")] = '\0';
	snprintf(c->password, sizeof(c->password), "%s", text);
	memset(text, 0, strlen(text));
	free(text);
	return true;
}

EtcdClient *etcd_client_new(const EtcdConfig *cfg, char *err, size_t len)
{
	if (!curllib_load(err, len))
		return NULL;
	EtcdClient *c = calloc(1, sizeof(*c));
	if (!c || !(c->curl = curllib()->easy_init())) {
		free(c);
		snprintf(err, len, "out of memory");
		return NULL;
	}
	c->cfg = *cfg;
	if (!read_password(c, err, len)) {
		etcd_client_free(c);
		return NULL;
	}
	return c;
}

void etcd_client_free(EtcdClient *c)
{
	if (!c)
		return;
	curllib()->easy_cleanup(c->curl);
	memset(c->password, 0, sizeof(c->password));
	free(c->buf);
	free(c);
}

const EtcdConfig *etcd_client_config(const EtcdClient *c)
{
	return &c->cfg;
}

size_t etcd_client_member(const EtcdClient *c)
{
	return c->current;
}

const char *etcd_client_token(const EtcdClient *c)
{
	return c->token;
}

bool etcd_client_ready(const EtcdClient *c)
{
	return !c->cfg.user[0] || c->token[0] || c->no_auth;
}

void etcd_client_tls(const EtcdClient *c, void *curl)
{
	curllib()->easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	if (c->cfg.cacert[0])
		curllib()->easy_setopt(curl, CURLOPT_CAINFO, c->cfg.cacert);
	if (c->cfg.cert[0])
		curllib()->easy_setopt(curl, CURLOPT_SSLCERT, c->cfg.cert);
	if (c->cfg.key[0])
		curllib()->easy_setopt(curl, CURLOPT_SSLKEY, c->cfg.key);
}

/* One POST to one member; the answer's HTTP status, or 0 when the
 * member did not answer (err set). */
static long post(EtcdClient *c, const char *base, const char *path,
		 const char *body, int64_t timeout_ms, char *err, size_t len)
{
	char url[1400], auth[600];
	struct curl_slist *hdr = NULL;
	long status = 0;
	CURL *h = c->curl;

	snprintf(url, sizeof(url), "%s%s", base, path);
	hdr = curllib()->slist_append(hdr, "Content-Type: application/json");
	if (c->token[0] && strcmp(path, "/v3/auth/authenticate") != 0) {
		snprintf(auth, sizeof(auth), "Authorization: %s", c->token);
		hdr = curllib()->slist_append(hdr, auth);
	}
	c->used = 0;
	curllib()->easy_reset(h);
	curllib()->easy_setopt(h, CURLOPT_URL, url);
	curllib()->easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curllib()->easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curllib()->easy_setopt(h, CURLOPT_WRITEFUNCTION, take);
	curllib()->easy_setopt(h, CURLOPT_WRITEDATA, c);
	curllib()->easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curllib()->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	etcd_client_tls(c, h);
	CURLcode rc = curllib()->easy_perform(h);
	if (rc == CURLE_OK)
		curllib()->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(err, len, "etcd at %s: %s", base,
			 curllib()->easy_strerror(rc));
	curllib()->slist_free_all(hdr);
	return status;
}

/* How an answer with an error reads: gRPC's codes (7 permission denied,
 * 3 invalid argument, 9 failed precondition, 16 unauthenticated). */
static StoreFailure failure_of(const json_t *answer, bool *reauth)
{
	const char *msg = json_string_value(json_object_get(answer, "error"));
	int64_t code = etcd_int(answer, "code");

	/* a token made before the last change of users or roles is refused
	 * as "old" (code 3): a new one is needed, as for an expired one */
	*reauth = code == 16 ||
		  (msg && (strstr(msg, "invalid auth token") ||
			   strstr(msg, "revision of auth store is old")));
	if (code == 7 || code == 3 || code == 9 || code == 5 || code == 6 ||
	    code == 11)
		return STORE_REFUSED;
	return STORE_UNAVAILABLE;
}

/* A call to member i: the answer, or NULL with *f, err; *next when the
 * next member may do better. */
static json_t *call_one(EtcdClient *c, size_t i, const char *path,
			const char *body, int64_t timeout_ms, StoreFailure *f,
			bool *reauth, char *err, size_t len)
{
	const char *base = c->cfg.endpoints[i];
	long status = post(c, base, path, body, timeout_ms, err, len);
	json_t *answer = status ? json_loads(c->buf ? c->buf : "", 0, NULL)
				: NULL;

	*reauth = false;
	*f = STORE_UNAVAILABLE;
	if (status == 200 && json_is_object(answer))
		return answer;
	if (status && json_is_object(answer)) {
		*f = failure_of(answer, reauth);
		const char *msg = json_string_value(
			json_object_get(answer, "error"));
		snprintf(err, len, "etcd at %s: %s", base,
			 msg ? msg : "an error without a message");
	} else if (status) {
		snprintf(err, len, "etcd at %s: HTTP status %ld", base,
			 status);
	}
	json_decref(answer);
	return NULL;
}

static bool authenticate(EtcdClient *c, size_t i, int64_t timeout_ms,
			 StoreFailure *f, char *err, size_t len)
{
	bool reauth;
	json_t *body = json_pack("{s:s, s:s}", "name", c->cfg.user,
				 "password", c->password);
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;

	json_decref(body);
	c->token[0] = '\0';
	json_t *a = text ? call_one(c, i, "/v3/auth/authenticate", text,
				    timeout_ms, f, &reauth, err, len)
			 : NULL;
	if (text) {
		memset(text, 0, strlen(text));
		free(text);
	}
	const char *tok = json_string_value(json_object_get(a, "token"));
	if (!a && strstr(err, "authentication is not enabled")) {
		c->no_auth = true; /* etcd checks nobody: nothing to send */
		return true;
	}
	if (tok)
		snprintf(c->token, sizeof(c->token), "%s", tok);
	else if (a)
		snprintf(err, len, "etcd: authentication as %s gave no token",
			 c->cfg.user);
	json_decref(a);
	return c->token[0] != '\0';
}

/* The time the next attempt may take: what is left, shared with the
 * members not tried yet, but a second at least when there is that. */
static int64_t attempt_ms(int64_t deadline_ms, size_t left)
{
	int64_t rest = deadline_ms - time_monotonic_ms();
	int64_t share = rest / (int64_t)(left ? left : 1);

	if (rest < STORE_MIN_CALL_MS)
		return STORE_MIN_CALL_MS;
	return share < 1000 && rest > 1000 ? 1000 : share;
}

json_t *etcd_call(EtcdClient *c, const char *path, json_t *body,
		  int64_t deadline_ms, StoreFailure *f, char *err, size_t len)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	size_t n = c->cfg.nendpoints;
	json_t *answer = NULL;
	bool reauth = false;

	json_decref(body);
	*f = STORE_UNAVAILABLE;
	snprintf(err, len, "out of memory");
	for (size_t tried = 0; text && !answer && tried < n; tried++) {
		size_t i = (c->current + tried) % n;
		int64_t ms = attempt_ms(deadline_ms, n - tried);
		if (c->cfg.user[0] && !c->token[0] && !c->no_auth &&
		    !authenticate(c, i, ms, f, err, len)) {
			if (*f == STORE_REFUSED)
				break;
			continue;
		}
		answer = call_one(c, i, path, text, ms, f, &reauth, err, len);
		if (!answer && reauth && c->cfg.user[0] &&
		    authenticate(c, i, ms, f, err, len))
			answer = call_one(c, i, path, text, ms, f, &reauth,
					  err, len);
		if (answer)
			c->current = i;
		else if (*f == STORE_REFUSED ||
			 time_monotonic_ms() >= deadline_ms)
			break;
	}
	if (text) /* it may hold a password */
		memset(text, 0, strlen(text));
	free(text);
	if (answer)
		*f = STORE_OK;
	return answer;
}
