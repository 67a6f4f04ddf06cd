/*
 * pgobserve.h - what a keeper sees of its local Postgres each cycle:
 * running or not, in recovery or not, LSNs, timeline, the WAL receiver
 * and its upstream, the standbys connected to it, pending restarts.
 */
#ifndef PGK_PGOBSERVE_H
#define PGK_PGOBSERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/lsn.h"
#include "pg/pgsql.h"

#define OBSERVE_MAX_STANDBYS 32

typedef struct {
	char application_name[64];
	char client_addr[64];
	char state[32];      /* streaming, catchup, ... */
	char sync_state[16]; /* sync, quorum, potential, async */
	Lsn flush_lsn;
	Lsn replay_lsn;
	long long reply_age_ms; /* since its last status message */
} ObservedStandby;

typedef struct {
	bool running;         /* accepts connections */
	bool in_recovery;
	Lsn current_lsn;      /* primary: flushed WAL; standby: max(rcv, rpl) */
	Lsn receive_lsn;
	Lsn replay_lsn;
	int timeline;
	bool receiver_streaming;
	char receiver_status[32]; /* "" when no WAL receiver */
	char upstream_host[256];
	int upstream_port;
	bool pending_restart;
	char sync_names[512];
	double replay_lag_s;  /* standby: age of the last replayed commit
			       * while WAL waits to be replayed, else 0 */
	long long contact_age_ms; /* standby: since the WAL receiver's last
				   * message from the primary (a keepalive
				   * counts); -1 when no receiver runs */
	int receiver_pid;     /* the WAL receiver's process; 0: none */
	size_t nstandbys;
	ObservedStandby standbys[OBSERVE_MAX_STANDBYS];
} Observation;

/* Fills obs from a connection to the local server. */
/* Fills obs (all but pending_restart); false with pc->error. */
bool pg_observe(PgConn *pc, Observation *obs);
/* Fills obs->pending_restart: a changed parameter waits for a restart.
 * A scan of every setting (about 1 ms of the server's time), so the
 * keeper asks only now and then (keeper_local.c). False with pc->error
 * set (obs unchanged). */
bool pg_observe_pending_restart(PgConn *pc, Observation *obs);
/* The flush LSN of the named standby in obs, or LSN_INVALID. */
Lsn observe_standby_flush(const Observation *obs, const char *app_name);

#endif
