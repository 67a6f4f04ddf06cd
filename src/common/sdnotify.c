/*
 * sdnotify.c - sd_notify(3) messages through libsystemd, only when
 * systemd gave a notification socket.
 */
#include "common/sdnotify.h"

#include <stdlib.h>
#include <systemd/sd-daemon.h>

#include "common/log.h"

bool sdnotify_enabled(void)
{
	const char *path = getenv(SDNOTIFY_SOCKET_ENV);
	return path && *path;
}

static void send_state(const char *state)
{
	if (!sdnotify_enabled())
		return;
	int rc = sd_notify(0, state);
	if (rc < 0)
		log_debug("sd_notify(%s) failed: error %d", state, -rc);
}

void sdnotify_ready(const char *status)
{
	if (!sdnotify_enabled())
		return;
	int rc = sd_notifyf(0, "READY=1\nSTATUS=%s", status);
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
