/*
 * sdnotify.c - sd_notify(3) messages, only when systemd gave a
 * notification socket: one datagram to the unix socket NOTIFY_SOCKET
 * names (a path, or an abstract name written with a leading '@'). The
 * protocol is this small, and linking libsystemd for it cost every
 * process its dependencies' memory (docs/benchmarks.md).
 */
#include "common/sdnotify.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"

bool sdnotify_enabled(void)
{
	const char *path = getenv(SDNOTIFY_SOCKET_ENV);
	return path && *path;
}

/* Sends state; 0, or a negative errno as sd_notify returns. */
static int notify(const char *state)
{
	const char *path = getenv(SDNOTIFY_SOCKET_ENV);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	size_t n = path ? strlen(path) : 0;

	if (n < 2 || n >= sizeof(addr.sun_path) ||
	    (path[0] != '/' && path[0] != '@'))
		return -EINVAL;
	memcpy(addr.sun_path, path, n);
	if (path[0] == '@')
		addr.sun_path[0] = '\0';
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
				    (path[0] == '/'));
	ssize_t sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
			      (const struct sockaddr *)&addr, len);
	int rc = sent < 0 ? -errno : 0;
	close(fd);
	return rc;
}

static void send_state(const char *state)
{
	if (!sdnotify_enabled())
		return;
	int rc = notify(state);
	if (rc < 0)
		log_debug("sd_notify(%s) failed: error %d", state, -rc);
}

void sdnotify_ready(const char *status)
{
	char msg[512];

	if (!sdnotify_enabled())
		return;
	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s", status);
	int rc = notify(msg);
	if (rc < 0)
		log_warn("cannot tell systemd the service is ready: error %d",
			 -rc);
}

void sdnotify_watchdog(void)
{
	send_state("WATCHDOG=1");
}

void sdnotify_stopping(void)
{
	send_state("STOPPING=1\nSTATUS=stopping");
}
