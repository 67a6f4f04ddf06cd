/*
 * store_contract_lease.c - the store contract (store.h) of a lease
 * ended before its time: a monitor standing by that saw the holder dead
 * deposes it (store_depose), takes the lease at a higher term, and the
 * deposed holder's writes are fenced from then on. Drivers where one
 * monitor alone uses the store refuse it. Part of test_store_contract.
 */
#include "unit.h"
#include <stdio.h>
#include <string.h>

#include "store_contract.h"

/* The api holder listed with, or NULL when it is not listed. */
static const char *api_of(Store *s, const char *holder)
{
	static StoreMonitor list[8];
	size_t n = 0;

	assert_true(store_list_monitors(s, list, 8, &n));
	for (size_t i = 0; i < n; i++) {
		if (strcmp(list[i].holder, holder) == 0)
			return list[i].api;
	}
	return NULL;
}

void a_deposed_holder_is_fenced(void **state)
{
	Store *op = drv->operator_store(), *m1 = drv->monitor_store();
	Store *m2 = drv->monitor_store();
	RegisteredNode a = add(op, "a", port_of(0));
	int64_t other = -1, term = 0;
	(void)state;

	assert_true(store_acquire(m1, "contract-a", "127.0.0.1:1", &term));
	assert_true(term > 0);
	const char *api = api_of(m2, "contract-a");
	assert_non_null(api);
	/* listed where other monitors may read it: not in the postgres
	 * store, which one monitor alone uses */
	assert_string_equal(api, strcmp(drv->name, "postgres") == 0
					 ? ""
					 : "127.0.0.1:1");
	/* a term that is not the holder's changes nothing */
	if (!store_depose(m2, "contract-a", term + 5)) {
		assert_int_equal(m2->failure, STORE_REFUSED);
		assert_string_equal(drv->name, "postgres");
		goto out;
	}
	assert_true(apply_goal(m1, term, a.node_id, NS_SINGLE));
	assert_true(store_depose(m2, "contract-a", term));
	assert_true(store_acquire(m2, "contract-b", "", &other));
	assert_true(other > term);
	assert_false(apply_goal(m1, term, a.node_id, NS_SINGLE));
	assert_int_equal(m1->failure, STORE_FENCED);
	assert_true(apply_goal(m2, other, a.node_id, NS_SINGLE));
	/* a holder deposed at a term it no longer holds: nothing changes */
	assert_true(store_depose(m1, "contract-a", term));
	assert_true(apply_goal(m2, other, a.node_id, NS_SINGLE));
	assert_null(api_of(m2, "contract-a"));
out:
	store_close(m2);
	store_close(m1);
	store_close(op);
}
