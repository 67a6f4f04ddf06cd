/*
 * monitor_quiet.h - the monitor's quiet cadence: fewer reads of the store
 * while nothing can change what it decides (monitor_quiet.c).
 */
#ifndef PGK_MONITOR_QUIET_H
#define PGK_MONITOR_QUIET_H

#include <stdbool.h>
#include <stdint.h>

#include "fsm/fsm.h"
#include "monitor/monitor.h"

/* While quiet, a decision cycle runs once in this many intervals (and a
 * keeper not heard for as long ends the quiet). */
#define MONITOR_QUIET_CYCLES 4

/* At a cycle's start: quiet until a formation says otherwise, never on
 * a store whose waits do not hear beats. */
void monitor_quiet_begin(Monitor *m, int64_t now_ms);
/* After formation f was decided (acted: a decision or a write was made,
 * or a scheduled operation run), with its nodes' memories: whether it
 * lets the monitor stay quiet. */
void monitor_quiet_formation(Monitor *m, const FsmFormation *f,
			     NodeMemory *const *mem, bool acted);
/* Ends the quiet (the store's wait failed, a formation was not read). */
void monitor_quiet_end(Monitor *m);
/* The beats the store heard, into the nodes' memories; then true when
 * the cycle due at now_ms can be left out: quiet, no news (news: the
 * health checks had some) and none ended the last wait, the quiet
 * period not over and every keeper heard lately. */
bool monitor_quiet_skip(Monitor *m, int64_t now_ms, bool news);
/* How long the monitor's loop may wait for news from now_ms: an interval,
 * or while quiet until the next cycle is due or a keeper has been
 * unheard too long, whichever comes first (an interval at least). News
 * (a report, an operator's action, a connection test) ends the wait
 * sooner. */
int64_t monitor_quiet_wait(const Monitor *m, int64_t now_ms);

#endif
