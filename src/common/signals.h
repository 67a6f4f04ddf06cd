/*
 * signals.h - what the daemons do on signals.
 *
 * SIGTERM and SIGINT ask for a clean stop, SIGHUP for a configuration
 * reload, SIGQUIT for an immediate stop. Handlers only set flags; the main
 * loops poll them between steps, so no work happens in signal context.
 */
#ifndef PGK_SIGNALS_H
#define PGK_SIGNALS_H

#include <stdbool.h>

typedef enum {
	SIGNAL_STOP_NONE = 0,
	SIGNAL_STOP_CLEAN,     /* SIGTERM, SIGINT */
	SIGNAL_STOP_IMMEDIATE  /* SIGQUIT */
} StopRequest;

/* Installs the handlers and ignores SIGPIPE; a failed sigaction goes
 * unnoticed. */
void signals_install(void);
/* The strongest stop asked for so far, or SIGNAL_STOP_NONE; not cleared
 * when read. */
StopRequest signals_stop_requested(void);
/* True once per SIGHUP received (the flag is cleared when read). */
bool signals_take_reload(void);
/* For tests and for commands that stop a loop themselves. */
void signals_request_stop(StopRequest how);

#endif
