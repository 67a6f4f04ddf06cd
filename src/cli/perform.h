/*
 * perform.h - what the `perform` commands share (cmd_perform.c):
 * requesting a switchover or failover and waiting for it.
 */
#ifndef PGK_PERFORM_H
#define PGK_PERFORM_H

#include <stdbool.h>

#include "cli/flags.h"
#include "store/store.h"

/* True for a standby assigned and reporting secondary. */
bool perform_in_sync(const StoreNode *n);
/*
 * Checks and stores a "switchover" (to name, or the best standby) or a
 * "failover" request; with wait, waits until it is done, printing each
 * state change. Returns an exit code; refusals are explained on stderr.
 */
int perform_request(Store *s, const StoreFormation *f, const char *what,
		    const char *name, bool force, bool wait);
/* Waits until target is the primary and old (if not 0) in sync again,
 * printing each state change with its time. */
int perform_wait_done(Store *s, const char *formation, int target, int old);

/* The same wait, recording the state changes instead of printing them. */
#define PERFORM_TRACE_MAX 64
typedef struct {
	double t; /* seconds since the wait began */
	char node[64];
	NodeState state;
} PerformStep;
typedef struct {
	int target;        /* set by the caller: the node to promote */
	double promoted_s; /* when it reported a primary state; -1 before */
	double done_s;
	size_t n;
	PerformStep steps[PERFORM_TRACE_MAX];
} PerformTrace;
/* perform_wait: EXIT_OK when done, EXIT_FAILED when the monitor dropped
 * the request, EXIT_TIMEOUT when not done in time (both explained on
 * stderr); store errors are retried until then. */
int perform_wait(Store *s, const char *formation, int target, int old,
		 PerformTrace *trace);
/* Checks and stores the request like perform_request, without printing
 * anything but refusals; *target and *old are the nodes to wait for. */
int perform_ask(Store *s, const StoreFormation *f, const char *what,
		const char *name, int *target, int *old);

/* standbypromote.c: perform promotion of a standby formation f: removes
 * formation.standby_of and (with wait) waits until its leader is
 * writable. Returns an exit code; refusals explained on stderr. */
int perform_standby_promotion(Store *s, const StoreFormation *f, bool wait);

/* cmd_restart.c: perform restart [--rolling] */
struct Command;
extern const struct Command cmd_perform_restart;
/* cmd_scheduled.c: stores what (a "switchover" to node, or NULL for
 * the best standby; a "restart" of node) for the time of --at, which
 * must be to come. Returns an exit code; refusals explained on stderr. */
int perform_schedule(const Flags *flags, const char *what, const char *node);
extern const struct Command cmd_perform_cancel;
#define PERFORM_AT_FLAG                                                   \
	FLAG_VALUE("at", "TIME",                                          \
		   "schedule it: RFC 3339 with a zone, or +5m from now",   \
		   VAL_STRING, 0, 0, NULL)
extern const struct Command cmd_show_scheduled;
/* cmd_reinit.c: perform reinit --name N */
extern const struct Command cmd_perform_reinit;

#endif
