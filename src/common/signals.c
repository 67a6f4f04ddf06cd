/*
 * signals.c - flag-setting handlers for SIGTERM/SIGINT/SIGQUIT/SIGHUP.
 */
#include "common/signals.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_flag = SIGNAL_STOP_NONE;
static volatile sig_atomic_t reload_flag = 0;

static void on_signal(int signo)
{
	switch (signo) {
	case SIGHUP:
		reload_flag = 1;
		break;
	case SIGQUIT:
		stop_flag = SIGNAL_STOP_IMMEDIATE;
		break;
	default:
		if (stop_flag == SIGNAL_STOP_NONE)
			stop_flag = SIGNAL_STOP_CLEAN;
		break;
	}
}

void signals_install(void)
{
	struct sigaction sa;
	const int handled[] = {SIGTERM, SIGINT, SIGQUIT, SIGHUP};

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a sleeping loop wakes up to notice the flag */
	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaction(handled[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

StopRequest signals_stop_requested(void)
{
	return (StopRequest)stop_flag;
}

bool signals_take_reload(void)
{
	if (!reload_flag)
		return false;
	reload_flag = 0;
	return true;
}

void signals_request_stop(StopRequest how)
{
	stop_flag = how;
}
