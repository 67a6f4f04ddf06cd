/*
 * memstore.h - an in-memory store driver, for tests: one process, no
 * threads, nothing on disk, no URI (store_open never opens it). A test
 * makes a MemStoreDb, the store's state, and opens handles on it as the
 * parties of a formation: the operator, a monitor, or one data node,
 * each with the rights the postgres driver gives its role
 * (docs/security.md). Every call keeps to the contract of store.h; the
 * contract tests (tests/unit/test_store_contract.c) hold it to that,
 * and to the postgres driver's behaviour.
 */
#ifndef PGK_MEMSTORE_H
#define PGK_MEMSTORE_H

#include <stdbool.h>

#include "store/store.h"

typedef struct MemStoreDb MemStoreDb;

typedef enum {
	MEMSTORE_OPERATOR, /* the operator's credential */
	MEMSTORE_MONITOR,  /* the monitor's own connection: everything */
	MEMSTORE_NODE      /* one data node's own credential */
} MemStoreRole;

/* An empty store (no formation, lease at term 0); NULL when out of
 * memory. */
MemStoreDb *memstore_db_new(void);
/* Frees the store; every handle on it must be closed first. */
void memstore_db_free(MemStoreDb *db);
/*
 * A handle on db as role (node_id: the node, for MEMSTORE_NODE), whose
 * calls take timeout_ms at most; wait() wakes on goal changes, or on
 * reports and requests for a monitor's handle. NULL when out of memory
 * or when db has too many handles open.
 */
Store *memstore_open(MemStoreDb *db, MemStoreRole role, int node_id,
		     int timeout_ms);
/*
 * A store that stops answering (on) and answers again (off): meanwhile
 * every call waits out its time limit (the handle's timeout, or less to
 * keep to its deadline: store_set_deadline) and fails unavailable.
 */
void memstore_db_stall(MemStoreDb *db, bool on);

#endif
