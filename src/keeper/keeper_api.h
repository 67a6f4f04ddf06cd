/*
 * keeper_api.h - the keeper's HTTP API: routing checks for load
 * balancers, GET /node and GET /metrics. The keeper publishes a
 * KeeperStatus after every cycle; the server thread answers from the last
 * one, so a slow transition never delays an answer.
 */
#ifndef PGK_KEEPER_API_H
#define PGK_KEEPER_API_H

#include <stdbool.h>
#include <stddef.h>

#include "common/config.h"
#include "keeper/keeper_status.h"

typedef struct KeeperApi KeeperApi;

/*
 * Starts the server when http.port is set; NULL with err[0] == '\0' when
 * it is not, NULL with err when it cannot listen.
 */
KeeperApi *keeper_api_start(const Config *cfg, char *err, size_t errlen);
void keeper_api_publish(KeeperApi *api, const KeeperStatus *st);
/* SIGHUP: the server again from cfg, keeping what was published. False
 * with err when it cannot start: stop the api then. */
bool keeper_api_restart(KeeperApi *api, const Config *cfg, char *err,
		      size_t errlen);
void keeper_api_stop(KeeperApi *api);

/* keeper_metrics.c: the bodies of /node and /metrics (malloc'd); NULL
 * when out of memory (keeper_status_json, keeper_status_metrics). */
char *keeper_status_json(const KeeperStatus *st);
char *keeper_status_metrics(const KeeperStatus *st);

#endif
