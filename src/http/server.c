/*
 * server.c - the HTTP server behind http.h, on libmicrohttpd with its
 * internal polling thread. Only GET, HEAD and OPTIONS are served (HAProxy
 * health checks use OPTIONS or GET); bodies are built by the handler.
 */
#include "http/http.h"

#include "common/log.h"
#include "http/httpauth.h"
#include "http/httptls.h"
#include "http/mhdlib.h"

#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct HttpServer {
	struct MHD_Daemon *daemon;
	HttpHandler handler;
	void *ctx;
	int port;
	HttpAuth auth; /* HTTP_AUTH_NONE: everything is open */
	HttpTls tls;   /* no certificate: plain HTTP */
};

const char *http_query(const HttpRequest *req, const char *name)
{
	return mhdlib()->lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

void http_reply(HttpResponse *resp, int status, const char *content_type,
		const char *body)
{
	free(resp->body);
	resp->status = status;
	resp->content_type = content_type;
	resp->body = body ? strdup(body) : NULL;
}

static bool allowed(const char *method)
{
	return strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
	       strcmp(method, MHD_HTTP_METHOD_HEAD) == 0 ||
	       strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0;
}

static enum MHD_Result respond(struct MHD_Connection *conn, HttpResponse *r)
{
	const char *body = r->body ? r->body : "";
	struct MHD_Response *resp = mhdlib()->create_response_from_buffer(
		strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	free(r->body);
	if (!resp)
		return MHD_NO;
	if (r->content_type)
		mhdlib()->add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					r->content_type);
	if (r->status == MHD_HTTP_UNAUTHORIZED)
		mhdlib()->add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Basic realm=\"pgkeel\", Bearer");
	if (r->status == MHD_HTTP_METHOD_NOT_ALLOWED)
		mhdlib()->add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
					"GET, HEAD, OPTIONS");
	mhdlib()->add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				"no-store");
	enum MHD_Result ret = mhdlib()->queue_response(conn, (unsigned)r->status,
						 resp);
	mhdlib()->destroy_response(resp);
	return ret;
}

/* Whether the request carries the configured credentials. */
static bool presents(const HttpAuth *auth, struct MHD_Connection *conn)
{
	if (auth->kind == HTTP_AUTH_NONE)
		return true;
	if (auth->kind == HTTP_AUTH_TOKEN) {
		const char *h = mhdlib()->lookup_connection_value(
			conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
		return h && strncmp(h, "Bearer ", 7) == 0 &&
		       http_auth_equal(h + 7, auth->secret);
	}
	char *pass = NULL;
	char *user = mhdlib()->basic_auth_get_username_password(conn, &pass);
	bool ok = user && pass && http_auth_equal(user, auth->user) &&
		  http_auth_equal(pass, auth->secret);
	mhdlib()->free(user);
	mhdlib()->free(pass);
	return ok;
}

bool http_authorized(const HttpRequest *req, HttpResponse *resp)
{
	if (req->authorized)
		return true;
	http_reply(resp, MHD_HTTP_UNAUTHORIZED, "application/json",
		   "{\"error\": \"credentials required (http.auth_file)\"}\n");
	return false;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	HttpServer *s = cls;
	HttpResponse resp = {0};
	static int first_call;

	(void)version;
	(void)upload;
	if (*state == NULL) { /* headers only so far: wait for the body */
		*state = &first_call;
		return MHD_YES;
	}
	if (*upload_size > 0) { /* a body we do not read */
		*upload_size = 0;
		return MHD_YES;
	}
	if (!allowed(method)) {
		http_reply(&resp, MHD_HTTP_METHOD_NOT_ALLOWED,
			   "application/json",
			   "{\"error\": \"the API is read-only\"}\n");
		return respond(conn, &resp);
	}
	HttpRequest req = {.method = method, .path = url, .conn = conn,
			   .authorized = presents(&s->auth, conn)};
	s->handler(s->ctx, &req, &resp);
	return respond(conn, &resp);
}

static bool resolve(const char *addr, int port, struct sockaddr_storage *ss,
		    socklen_t *len, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	char service[16];

	snprintf(service, sizeof(service), "%d", port);
	int rc = getaddrinfo(addr, service, &hints, &ai);
	if (rc != 0 || !ai) {
		snprintf(err, errlen, "http.listen \"%s\": %s", addr,
			 gai_strerror(rc));
		return false;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return true;
}

static int bound_port(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *info =
		mhdlib()->get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	return info ? info->port : 0;
}

/* TLS 1.2 and 1.3 only, with GnuTLS's default suites for those. */
#define HTTP_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

static struct MHD_Daemon *start_daemon(HttpServer *s, unsigned flags,
				       int port, struct sockaddr_storage *ss,
				       const HttpLimits *lim)
{
	struct MHD_OptionItem tls[] = {
		{MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls.cert_pem},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls.key_pem},
		{MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)HTTP_TLS_PRIORITIES},
		{MHD_OPTION_END, 0, NULL},
	};

	if (s->tls.cert_pem)
		flags |= MHD_USE_TLS;
	else
		tls[0].option = MHD_OPTION_END;
	return mhdlib()->start_daemon(
		flags, (uint16_t)port, NULL, NULL, on_request, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)ss,
		MHD_OPTION_CONNECTION_TIMEOUT, lim->timeout_s,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, lim->per_client,
		MHD_OPTION_CONNECTION_LIMIT, HTTP_MAX_CONNECTIONS,
		MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
}

HttpServer *http_start(const char *addr, int port, const HttpLimits *lim,
		       HttpTls *tls, HttpHandler handler, void *ctx, char *err,
		       size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	HttpServer *s = mhdlib_load(err, errlen) ? calloc(1, sizeof(*s))
						   : NULL;

	if (s && tls) { /* the server owns the pair from here */
		s->tls = *tls;
		memset(tls, 0, sizeof(*tls));
	}
	if (!s || !resolve(addr, port, &ss, &len, err, errlen)) {
		if (tls)
			http_tls_free(s ? &s->tls : tls);
		free(s);
		return NULL;
	}
	s->handler = handler;
	s->ctx = ctx;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->daemon = start_daemon(s, flags, port, &ss, lim);
	if (!s->daemon) {
		snprintf(err, errlen, "cannot listen on %s port %d (in use, or "
				      "not an address of this machine)",
			 addr, port);
		http_tls_free(&s->tls);
		free(s);
		return NULL;
	}
	s->port = bound_port(s->daemon);
	return s;
}

HttpServer *http_start_configured(const Config *cfg, HttpHandler handler,
				  void *ctx, char *err, size_t errlen)
{
	int port = (int)config_get_int(cfg, S_HTTP_PORT);
	const char *addr = config_get(cfg, S_HTTP_LISTEN);
	int64_t timeout_ms = config_get_ms(cfg, S_HTTP_TIMEOUT);
	HttpLimits lim = {
		.per_client = (unsigned)config_get_int(cfg, S_HTTP_MAX_PER_CLIENT),
		.timeout_s = (unsigned)((timeout_ms + 999) / 1000)};

	HttpAuth auth = {.kind = HTTP_AUTH_NONE};
	HttpTls tls;
	const char *auth_file = config_get(cfg, S_HTTP_AUTH_FILE);

	err[0] = '\0';
	if (port == 0)
		return NULL;
	if (auth_file && !http_auth_load(auth_file, &auth, err, errlen))
		return NULL;
	if (!http_tls_load(cfg, &tls, err, errlen))
		return NULL;
	bool https = tls.cert_pem != NULL;
	HttpServer *s = http_start(addr, port, &lim, &tls, handler, ctx, err,
				   errlen);
	if (s)
		s->auth = auth;
	explicit_bzero(&auth, sizeof(auth));
	if (s)
		log_info("HTTP API on %s port %d (%s)", addr, port,
			 https ? "HTTPS" : "plain HTTP");
	return s;
}

void http_stop(HttpServer *s)
{
	if (!s)
		return;
	mhdlib()->stop_daemon(s->daemon);
	http_tls_free(&s->tls);
	explicit_bzero(&s->auth, sizeof(s->auth));
	free(s);
}

int http_port(const HttpServer *s)
{
	return s->port;
}

bool http_api_start(HttpApi *api, const Config *cfg, HttpHandler handler,
		    void *ctx, char *err, size_t errlen)
{
	pthread_mutex_init(&api->lock, NULL);
	api->server = http_start_configured(cfg, handler, ctx, err, errlen);
	if (!api->server)
		pthread_mutex_destroy(&api->lock);
	return api->server != NULL;
}

bool http_api_restart(HttpApi *api, const Config *cfg, char *err,
		      size_t errlen)
{
	HttpHandler handler = api->server->handler;
	void *ctx = api->server->ctx;

	http_stop(api->server); /* waits for requests in flight */
	api->server = http_start_configured(cfg, handler, ctx, err, errlen);
	return api->server != NULL;
}

void http_api_stop(HttpApi *api)
{
	http_stop(api->server);
	pthread_mutex_destroy(&api->lock);
}
