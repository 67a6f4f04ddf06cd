/*
 * fuzz_http.c - the keeper's HTTP API as a client reaches it: each input
 * is sent as raw bytes over TCP to a real server (libmicrohttpd with the
 * keeper's handler, keeper_api.c, and http.auth_file set), so the request
 * line, the path, the query, the headers and the credentials are all the
 * fuzzer's.
 *
 * Invariants: the server answers with an HTTP status line or closes the
 * connection; every status is one the API or libmicrohttpd gives; a
 * route other than the routing checks never serves its content without
 * the token; and the server still answers a well-formed check afterwards
 * (within http.timeout, when the input left connections open).
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "fuzz_util.h"
#include "keeper/keeper_api.h"

#define TOKEN "fuzz-token-0123456789"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static KeeperApi *api;
static int port;

/* A port the kernel picks, free a moment ago. */
static int free_port(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
		abort();
	close(fd);
	return ntohs(sa.sin_port);
}

static void set(Config *cfg, SettingId id, const char *value)
{
	char err[256];
	if (!config_set(cfg, id, value, err, sizeof(err))) {
		fprintf(stderr, "fuzz_http: %s\n", err);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char auth[64], portbuf[16], err[256];
	Config cfg;
	KeeperStatus st;

	(void)argc;
	(void)argv;
	fuzz_tempfile((const uint8_t *)"token " TOKEN "\n",
		      strlen("token " TOKEN "\n"), auth, sizeof(auth));
	port = free_port();
	snprintf(portbuf, sizeof(portbuf), "%d", port);
	config_init(&cfg);
	set(&cfg, S_HTTP_LISTEN, "127.0.0.1");
	set(&cfg, S_HTTP_PORT, portbuf);
	set(&cfg, S_HTTP_TLS, "false");
	set(&cfg, S_HTTP_AUTH_FILE, auth);
	set(&cfg, S_HTTP_TIMEOUT, "2s");
	api = keeper_api_start(&cfg, err, sizeof(err));
	config_free(&cfg);
	unlink(auth);
	if (!api) {
		fprintf(stderr, "fuzz_http: %s\n", err);
		abort();
	}
	memset(&st, 0, sizeof(st));
	st.known = st.store_ok = st.pg_running = true;
	st.current = st.goal = NS_PRIMARY;
	st.interval_ms = 1000;
	snprintf(st.name, sizeof(st.name), "a");
	keeper_api_publish(api, &st);
	return 0;
}

/* A connected socket; closed with a reset, since thousands of exchanges
 * a second would use up the local ports in TIME_WAIT otherwise. */
static int dial(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct linger reset = {.l_onoff = 1, .l_linger = 0};

	for (int tries = 0; tries < 100; tries++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset,
					 sizeof(reset)) != 0)
			abort();
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		close(fd); /* EINTR: libFuzzer's timer; try again */
		if (errno != EINTR) {
			perror("fuzz_http: connect");
			abort();
		}
	}
	abort();
}

/* Sends the request, half-closes, reads the answer (up to 4 kB). */
static size_t exchange(const void *req, size_t len, char *buf, size_t cap)
{
	int fd = dial();
	size_t got = 0;

	if (len && send(fd, req, len, MSG_NOSIGNAL) < 0) {
		close(fd); /* the server may close first: that is an answer */
		buf[0] = '\0';
		return 0;
	}
	shutdown(fd, SHUT_WR);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	while (got < cap - 1) {
		int r = poll(&p, 1, 5000);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != 1)
			break;
		ssize_t n = recv(fd, buf + got, cap - 1 - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	close(fd);
	return got;
}

static int status_of(const char *resp)
{
	int status = 0;
	if (strncmp(resp, "HTTP/1.", 7) != 0 ||
	    sscanf(resp + 9, "%3d", &status) != 1)
		return -1;
	return status;
}

static bool known_status(int s)
{
	static const int known[] = {200, 400, 401, 404, 405, 413, 414,
				    431, 500, 501, 503, 505};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (s == known[i])
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char resp[4096];
	static const char check[] = "GET /primary HTTP/1.1\r\nHost: x\r\n"
				    "Connection: close\r\n\r\n";

	if (exchange(data, size, resp, sizeof(resp)) > 0) {
		int s = status_of(resp);
		FUZZ_CHECK(s == -1 || known_status(s));
		/* what /node and /metrics serve (the node's JSON, the
		 * Prometheus text) never leaves without the token; requests
		 * may be pipelined, so look at every answer */
		if (strstr(resp, "\"node_id\"") || strstr(resp, "# HELP")) {
			FUZZ_CHECK(memmem(data, size, TOKEN, strlen(TOKEN)));
		}
	}
	/* connections the input left behind count against the per-client
	 * limit until the server closes them, within http.timeout (2 s) */
	for (int i = 0; i < 30; i++) {
		if (exchange(check, strlen(check), resp, sizeof(resp)) > 0)
			break;
		usleep(100 * 1000);
	}
	FUZZ_CHECK(status_of(resp) == 200);
	return 0;
}
