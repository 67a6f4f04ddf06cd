/*
 * store_contract.h - what the store contract's files share
 * (test_store_contract.c, store_contract_ops.c, store_contract_slots.c):
 * the driver under test, each case's own formation, and the helpers that
 * set a formation up.
 */
#ifndef PGK_TEST_STORE_CONTRACT_H
#define PGK_TEST_STORE_CONTRACT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "store_drivers.h"

extern const ContractDriver *drv;
extern char formation[STORE_NAME_LEN]; /* the running case's own */

/* Registers a node through the operator's store (asserts it worked). */
RegisteredNode add(Store *op, const char *name, int port);
/* The i-th port of the running case (never another case's). */
int port_of(int i);
/* The case's formation read through s (asserts it was read); a static
 * buffer, overwritten by the next call. */
StoreFormation *read_back(Store *s);
/* A report of a running node in state at lsn. */
NodeReport a_report(NodeState state, Lsn lsn);
/* The monitor's lease for m: its term (asserts it got one). */
int64_t lease(Store *m);
/* Writes node's goal with m's term: true when written, false with
 * m->error set. */
bool apply_goal(Store *m, int64_t term, int node, NodeState goal);

/* store_contract_ops.c: the cases of reinit requests, a primary's own
 * switchover request, scheduled operations and imports. */
void a_reinit_is_asked_of_a_standby_only(void **state);
void a_primary_node_hands_over_its_own_role(void **state);
void scheduled_operations_are_listed_until_ended(void **state);
void a_formation_is_imported_once(void **state);
/* ... and of node.replicate_from and node.apply_delay */
void cascade_settings_are_validated_and_read_by_nodes(void **state);
/* ... and of store_report_read */
void a_report_and_its_read_are_one_call(void **state);
/* store_contract_lease.c: a lease ended early by another monitor */
void a_deposed_holder_is_fenced(void **state);
/* store_contract_ops.c: formation.standby_of */
void standby_of_is_validated_and_read_by_nodes(void **state);
/* store_contract_slots.c: permanent slots and their published copies */
void logical_slot_copies_are_published_by_their_node(void **state);

#endif
