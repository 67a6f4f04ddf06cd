/*
 * standbyprobe.h - asking a primary's streaming standbys to answer now.
 *
 * A standby sends a status message every wal_receiver_status_interval
 * (1 s at least) and at once whenever it writes WAL it received. A
 * primary cut off from the store stays open only while a standby
 * answered within STANDBY_REPLY_FRESH_MS (keeper/fence.c), shorter than
 * that interval: so before fencing, its keeper commits a transaction of
 * its own (its commit record is WAL every standby writes and answers)
 * and waits for one answer sent after it (docs/guarantees.md).
 */
#ifndef PGK_STANDBYPROBE_H
#define PGK_STANDBYPROBE_H

#include <stdbool.h>

#include "pg/pgsql.h"

/*
 * On the primary behind pc (a session whose commits do not wait for
 * standbys: synchronous_commit local), commits one transaction and waits
 * up to wait_ms for a streaming standby's status message received after
 * it: its reply_time newer than before (each standby's against its own
 * earlier one, so no two clocks are compared). True when one came; false
 * when none did in time or a query failed (pc->error says which).
 */
bool pg_standbys_answer(PgConn *pc, int wait_ms);

#endif
