/*
 * etcdcodec.h - the JSON values of the etcd store's keys (docs/etcd.md):
 * a formation's config, a node's spec, goal, report and asks (the
 * maintenance and drop its own credential may ask for), its handover
 * (the switchover it may ask for), its copies of logical slots, an
 * event.
 * Writers produce a compact text (malloc'd; NULL when out of memory);
 * readers fill their part of the record from a text and leave the rest.
 */
#ifndef PGK_ETCDCODEC_H
#define PGK_ETCDCODEC_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* ec_config_json, ec_spec_json, ec_goal_json, ec_report_json,
 * ec_asks_json, ec_event_json: the value of a key; NULL when out of
 * memory. */
char *ec_config_json(const StoreFormation *f, int64_t requested_ms);
char *ec_spec_json(const StoreNode *n);
char *ec_goal_json(const StoreNode *n);
char *ec_report_json(const NodeReport *r);
char *ec_asks_json(const StoreNode *n);
char *ec_event_json(const StoreEvent *e);
/* A primary's own switchover request, asked at wall-clock requested_ms
 * (docs/etcd.md, r/handover): ec_handover_json, its value (NULL when out
 * of memory); ec_handover_read, the reader of one (true with
 * *requested_ms set, false when text is not such a value). */
char *ec_handover_json(int64_t requested_ms);
bool ec_handover_read(const char *text, int64_t *requested_ms);
/* What node node_id published of a logical slot (docs/etcd.md,
 * r/slots/NAME): ec_slot_copy_json, its value (NULL when out of
 * memory); ec_slot_copy_read, the reader of one into sl's copy (true,
 * false with sl unchanged when text is not such a value). */
char *ec_slot_copy_json(Lsn confirmed_flush, const char *state);
bool ec_slot_copy_read(StoreSlot *sl, int node_id, const char *text);

/* The readers of the values above, ec_config_read, ec_spec_read,
 * ec_goal_read, ec_report_read, ec_asks_read, ec_event_read: true when
 * text is such a value, false (the record unchanged) otherwise. */
bool ec_config_read(StoreFormation *f, int64_t *requested_ms,
		    const char *text);
bool ec_spec_read(StoreNode *n, const char *text);
bool ec_goal_read(StoreNode *n, const char *text);
bool ec_report_read(NodeReport *r, const char *text);
bool ec_asks_read(StoreNode *n, const char *text);
bool ec_event_read(StoreEvent *e, const char *text);

#endif
