/*
 * monitor_api.c - serving the monitor's HTTP API from the last published
 * view.
 */
#include "monitor/monitor_api.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "http/http.h"
#include "http/promtext.h"

struct MonitorApi {
	HttpApi http; /* the server, and the lock of what follows */
	json_t *formations; /* array */
	char *metrics;
	bool pg_up;
	int64_t built_ms;
	int64_t interval_ms;
};

static void reply_json(HttpResponse *resp, int status, json_t *j)
{
	char *body = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
	http_reply(resp, body ? status : 500, "application/json",
		   body ? body : "{\"error\": \"out of memory\"}");
	free(body);
}

static json_t *find_formation(json_t *all, const char *name)
{
	size_t i;
	json_t *f;
	json_array_foreach(all, i, f)
	{
		if (strcmp(json_string_value(json_object_get(f, "name")),
			   name) == 0)
			return f;
	}
	return NULL;
}

static void formation(MonitorApi *api, const HttpRequest *req,
		      HttpResponse *resp)
{
	const char *name = http_query(req, "name");
	json_t *f = api->formations
			    ? find_formation(api->formations,
					     name ? name : "default")
			    : NULL;
	if (f)
		reply_json(resp, 200, f);
	else
		http_reply(resp, 404, "application/json",
			   "{\"error\": \"no such formation (?name=F)\"}\n");
}

static void status(bool ok, const char *what, HttpResponse *resp)
{
	json_t *j = json_pack("{s:s, s:b}", "check", what, "ok", ok);
	reply_json(resp, ok ? 200 : 503, j);
	json_decref(j);
}

static void route(MonitorApi *api, const HttpRequest *req, HttpResponse *resp)
{
	int64_t age = time_monotonic_ms() - api->built_ms;
	int64_t limit = api->interval_ms * 10 > 10000 ? api->interval_ms * 10
						      : 10000;
	if (strcmp(req->path, "/health") == 0)
		status(api->pg_up, "health", resp);
	else if (strcmp(req->path, "/liveness") == 0)
		status(api->built_ms > 0 && age <= limit, "liveness", resp);
	else if (!http_authorized(req, resp))
		return;
	else if (strcmp(req->path, "/formation") == 0)
		formation(api, req, resp);
	else if (strcmp(req->path, "/formations") == 0 && api->formations)
		reply_json(resp, 200, api->formations);
	else if (strcmp(req->path, "/metrics") == 0 && api->metrics)
		http_reply(resp, 200, PROM_CONTENT_TYPE, api->metrics);
	else
		http_reply(resp, api->built_ms ? 404 : 503, "application/json",
			   api->built_ms ? "{\"error\": \"no such endpoint\"}\n"
					 : "{\"error\": \"starting\"}\n");
}

static void handle(void *ctx, const HttpRequest *req, HttpResponse *resp)
{
	MonitorApi *api = ctx;
	pthread_mutex_lock(&api->http.lock);
	route(api, req, resp);
	pthread_mutex_unlock(&api->http.lock);
}

MonitorApi *monitor_api_start(const Config *cfg, char *err, size_t errlen)
{
	MonitorApi *api = calloc(1, sizeof(*api));

	err[0] = '\0';
	if (api && http_api_start(&api->http, cfg, handle, api, err, errlen))
		return api;
	free(api);
	return NULL;
}

void monitor_api_publish(MonitorApi *api, json_t *formations, char *metrics,
			 bool pg_up, int64_t now_ms, int64_t interval_ms)
{
	pthread_mutex_lock(&api->http.lock);
	json_t *old_f = api->formations;
	char *old_m = api->metrics;
	api->formations = formations;
	api->metrics = metrics;
	api->pg_up = pg_up;
	api->built_ms = now_ms;
	api->interval_ms = interval_ms;
	pthread_mutex_unlock(&api->http.lock);
	json_decref(old_f);
	free(old_m);
}

bool monitor_api_restart(MonitorApi *api, const Config *cfg, char *err,
		      size_t errlen)
{
	return http_api_restart(&api->http, cfg, err, errlen);
}

void monitor_api_stop(MonitorApi *api)
{
	if (!api)
		return;
	http_api_stop(&api->http);
	json_decref(api->formations);
	free(api->metrics);
	free(api);
}
