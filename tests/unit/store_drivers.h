/*
 * store_drivers.h - the store drivers the contract tests
 * (test_store_contract.c) run on, each able to open the parties of a
 * formation and to make its store stop answering: the in-memory driver
 * by default; the postgres driver of a monitor's Postgres when
 * PGKEEL_STORE_CONTRACT_URI (the operator's URI), _SOCKDIR and _PORT
 * (its Unix socket, for the monitor's own connection) name one, and
 * _DIR a private directory for the nodes' passfiles, as
 * tests/integration/test_store_contract.py does; the etcd driver when
 * PGKEEL_STORE_CONTRACT_ETCD_URI names the operator's etcd:// URI and
 * _ETCD_PIDS the members' PIDs (comma separated, stopped to make the
 * store stop answering), as tests/integration/test_etcd_store.py does;
 * when that URI names a user (etcd's authentication), nodes use their
 * own etcd users, their passwords in files under _DIR.
 */
#ifndef PGK_TEST_STORE_DRIVERS_H
#define PGK_TEST_STORE_DRIVERS_H

#include <stdbool.h>

#include "store/store.h"

#define CONTRACT_TIMEOUT_MS 5000

typedef struct {
	const char *name;
	bool (*setup)(void);
	void (*teardown)(void);
	Store *(*operator_store)(void);
	Store *(*monitor_store)(void);
	Store *(*node_store)(const RegisteredNode *n);
	/* the store stops answering (on), or answers again */
	void (*stall)(bool on);
} ContractDriver;

/* The driver the environment names (see above). */
const ContractDriver *contract_driver(void);

#endif
