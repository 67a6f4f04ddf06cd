/*
 * perform.h - what the `perform` commands share (cmd_perform.c):
 * requesting a switchover or failover and waiting for it.
 */
#ifndef PGK_PERFORM_H
#define PGK_PERFORM_H

#include <stdbool.h>

#include "store/store.h"

/* A standby assigned and reporting secondary. */
bool perform_in_sync(const StoreNode *n);
/*
 * Checks and stores a "switchover" (to name, or the best standby) or a
 * "failover" request; with wait, waits until it is done, printing each
 * state change. Returns an exit code; refusals are explained on stderr.
 */
int perform_request(Store *s, const StoreFormation *f, const char *what,
		    const char *name, bool force, bool wait);
/* Waits until target is the primary and old (if not 0) in sync again. */
int perform_wait_done(Store *s, const char *formation, int target, int old);

/* cmd_restart.c: perform restart [--rolling] */
struct Command;
extern const struct Command cmd_perform_restart;

#endif
