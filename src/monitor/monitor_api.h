/*
 * monitor_api.h - the monitor's HTTP API: GET /formation (?name=F, the
 * nodes, their states, the health summary and the last events),
 * GET /formations (all of them), GET /metrics, GET /health and
 * GET /liveness. The monitor builds the bodies after its decision cycles
 * (monitor_view.c) and publishes them; the server thread only serves
 * the last ones.
 */
#ifndef PGK_MONITOR_API_H
#define PGK_MONITOR_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"

typedef struct MonitorApi MonitorApi;

/* Starts the server when http.port is set; NULL with err[0] == '\0' when
 * it is not (or memory ran out), NULL with err when it cannot listen. */
MonitorApi *monitor_api_start(const Config *cfg, char *err, size_t errlen);
/*
 * Replaces the published view: formations (a JSON array the API takes
 * ownership of), the metrics text (taken, malloc'd), and whether the
 * monitor's Postgres is up; now_ms is when it was built.
 */
void monitor_api_publish(MonitorApi *api, json_t *formations, char *metrics,
			 bool pg_up, int64_t now_ms, int64_t interval_ms);
/* SIGHUP: the server again from cfg, keeping what was published. False
 * with err when it cannot start: stop the api then. */
bool monitor_api_restart(MonitorApi *api, const Config *cfg, char *err,
		      size_t errlen);
void monitor_api_stop(MonitorApi *api);

#endif
