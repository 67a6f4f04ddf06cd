/*
 * storejson.h - a node, an event and a monitor of the store as JSON
 * objects, the
 * same for `pgkeel show --json` and the monitor's HTTP API.
 */
#ifndef PGK_STOREJSON_H
#define PGK_STOREJSON_H

#include <jansson.h>

#include "store/store.h"

/* store_node_json, store_event_json, store_monitor_json: a new object (the caller owns its
 * reference); NULL when jansson cannot build it (out of memory). Text
 * that is not UTF-8 is mended first (storejson.c), never dropped. */
json_t *store_node_json(const StoreFormation *f, const StoreNode *n);
json_t *store_event_json(const StoreEvent *e);
json_t *store_monitor_json(const StoreMonitor *m);

#endif
