/*
 * http.h - a small read-only HTTP server on libmicrohttpd for the keeper's
 * and the monitor's API. It answers on its own thread; the handler gets
 * the method, path and a way to read query parameters, and fills in a
 * response. Handlers must only read state the owner publishes under its
 * own lock.
 */
#ifndef PGK_HTTP_H
#define PGK_HTTP_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/config.h"
#include "http/httptls.h"

typedef struct HttpServer HttpServer;

typedef struct {
	const char *method; /* GET, HEAD or OPTIONS: others get 405 */
	const char *path;
	void *conn;         /* for http_query() */
	bool authorized;    /* no http.auth_file, or its credentials given */
} HttpRequest;

typedef struct {
	int status;
	const char *content_type;
	char *body; /* malloc'd, freed by the server; NULL for none */
} HttpResponse;

typedef void (*HttpHandler)(void *ctx, const HttpRequest *req,
			    HttpResponse *resp);

/*
 * What one client may hold, so that no client (a scanner, a flood of
 * half-open connections) can starve a load balancer's checks: connections
 * per client address, and the seconds after which an idle or slow
 * connection is closed. The server holds HTTP_MAX_CONNECTIONS at most.
 */
typedef struct {
	unsigned per_client;
	unsigned timeout_s;
} HttpLimits;

#define HTTP_MAX_CONNECTIONS 512u

/*
 * Listens on addr:port (an IPv4 or IPv6 literal or name) and serves
 * handler on a thread of its own: HTTPS when tls holds a certificate (the
 * server takes the pair over and clears *tls), else plain HTTP. NULL with
 * err on failure (the address does not resolve, or cannot be listened
 * on; out of memory leaves err unset).
 */
HttpServer *http_start(const char *addr, int port, const HttpLimits *lim,
		       HttpTls *tls, HttpHandler handler, void *ctx, char *err,
		       size_t errlen);
/*
 * The server a node's configuration asks for (http.listen, http.port,
 * http.tls with ssl.cert_file and ssl.key_file, http.auth_file, limits):
 * NULL with err[0] == '\0' when http.port is 0 (off), NULL with err when
 * it cannot listen.
 */
HttpServer *http_start_configured(const Config *cfg, HttpHandler handler,
				  void *ctx, char *err, size_t errlen);
void http_stop(HttpServer *s);

/*
 * A configured server and the lock under which its owner publishes what
 * the handler serves. http_api_start is false when http.port is 0
 * (err[0] == '\0') or the server cannot listen (err says why).
 */
typedef struct {
	HttpServer *server;
	pthread_mutex_t lock;
} HttpApi;

/* http_api_start: true when serving; false as said above (api->lock is
 * then destroyed: call http_api_start again, not http_api_stop). */
bool http_api_start(HttpApi *api, const Config *cfg, HttpHandler handler,
		    void *ctx, char *err, size_t errlen);
/*
 * Stops the server and starts it again from cfg (SIGHUP: new [http]
 * settings, a renewed certificate); what the owner published stays. False
 * with err when it cannot start again (api->server is then NULL: stop the
 * api and start it later).
 */
bool http_api_restart(HttpApi *api, const Config *cfg, char *err,
		      size_t errlen);
void http_api_stop(HttpApi *api);
/* The port actually bound (useful with port 0 in tests); cannot fail. */
int http_port(const HttpServer *s);

/* A query parameter of the request, or NULL when it has none. */
const char *http_query(const HttpRequest *req, const char *name);

/* Every endpoint but the routing checks calls this first: false after
 * setting resp to 401 when the request lacks the credentials. */
bool http_authorized(const HttpRequest *req, HttpResponse *resp);

/* Sets resp to status with a malloc'd copy of body. */
void http_reply(HttpResponse *resp, int status, const char *content_type,
		const char *body);

#endif
