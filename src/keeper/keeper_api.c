/*
 * keeper_api.c - serving the keeper's HTTP API from the last published
 * status: routing checks answer 200 or 503 with a small JSON body.
 */
#include "keeper/keeper_api.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "http/http.h"
#include "http/promtext.h"

struct KeeperApi {
	HttpApi http; /* the server, and the lock of what follows */
	KeeperStatus st;
	char *node_json;
	char *metrics;
};

/* ?lag and ?max_staleness into lim; false with a 400 answered */
static bool read_limits(const HttpRequest *req, KeeperLimits *lim,
			HttpResponse *resp)
{
	const char *lag = http_query(req, "lag");
	const char *stale = http_query(req, "max_staleness");

	lim->max_lag = -1;
	lim->max_staleness_ms = -1;
	if (lag && !keeper_parse_lag(lag, &lim->max_lag)) {
		http_reply(resp, 400, "application/json",
			   "{\"error\": \"lag: bytes, or a number with kB, MB "
			   "or GB\"}\n");
		return false;
	}
	if (stale && (!duration_parse_ms(stale, &lim->max_staleness_ms) ||
		      lim->max_staleness_ms < 0)) {
		http_reply(resp, 400, "application/json",
			   "{\"error\": \"max_staleness: a duration such as "
			   "5s, 500ms or 1min\"}\n");
		return false;
	}
	return true;
}

static void reply_check(KeeperApi *api, KeeperCheck c, const HttpRequest *req,
			HttpResponse *resp)
{
	KeeperLimits lim;
	char why[128];

	if (!read_limits(req, &lim, resp))
		return;
	pthread_mutex_lock(&api->http.lock);
	KeeperStatus st = api->st;
	pthread_mutex_unlock(&api->http.lock);
	int64_t now = time_monotonic_ms();
	bool ok = keeper_check(&st, c, &lim, now, why, sizeof(why));
	int64_t stale = keeper_status_staleness_ms(&st, now);
	json_t *j = json_pack(
		"{s:s, s:b, s:s, s:s, s:s, s:b, s:I, s:o, s:s}", "check",
		keeper_check_name(c), "ok", ok, "node", st.name, "state",
		state_name(st.current), "assigned_state", state_name(st.goal),
		"pg_running", st.pg_running, "lag_bytes",
		(json_int_t)keeper_status_lag(&st), "staleness_ms",
		st.in_recovery && stale >= 0 ? json_integer(stale)
					     : json_null(),
		"reason", why);
	char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	http_reply(resp, ok ? 200 : 503, "application/json", body);
	free(body);
}

static void reply_copy(KeeperApi *api, char **text, const char *type,
		       HttpResponse *resp)
{
	pthread_mutex_lock(&api->http.lock);
	http_reply(resp, *text ? 200 : 503, type,
		   *text ? *text : "{\"error\": \"starting\"}\n");
	pthread_mutex_unlock(&api->http.lock);
}

static void handle(void *ctx, const HttpRequest *req, HttpResponse *resp)
{
	KeeperApi *api = ctx;
	KeeperCheck c = keeper_check_for_path(req->path);

	if (c != CHECK_NONE)
		reply_check(api, c, req, resp);
	else if (!http_authorized(req, resp))
		return;
	else if (strcmp(req->path, "/node") == 0)
		reply_copy(api, &api->node_json, "application/json", resp);
	else if (strcmp(req->path, "/metrics") == 0)
		reply_copy(api, &api->metrics, PROM_CONTENT_TYPE, resp);
	else
		http_reply(resp, 404, "application/json",
			   "{\"error\": \"no such endpoint\"}\n");
}

KeeperApi *keeper_api_start(const Config *cfg, char *err, size_t errlen)
{
	KeeperApi *api = calloc(1, sizeof(*api));

	err[0] = '\0';
	if (api && http_api_start(&api->http, cfg, handle, api, err, errlen))
		return api;
	free(api);
	return NULL;
}

void keeper_api_publish(KeeperApi *api, const KeeperStatus *st)
{
	if (!api)
		return;
	char *json = keeper_status_json(st);
	char *metrics = keeper_status_metrics(st);
	pthread_mutex_lock(&api->http.lock);
	api->st = *st;
	char *old_json = api->node_json, *old_metrics = api->metrics;
	api->node_json = json;
	api->metrics = metrics;
	pthread_mutex_unlock(&api->http.lock);
	free(old_json);
	free(old_metrics);
}

bool keeper_api_restart(KeeperApi *api, const Config *cfg, char *err,
		      size_t errlen)
{
	return http_api_restart(&api->http, cfg, err, errlen);
}

void keeper_api_stop(KeeperApi *api)
{
	if (!api)
		return;
	http_api_stop(&api->http);
	free(api->node_json);
	free(api->metrics);
	free(api);
}
