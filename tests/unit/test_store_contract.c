/*
 * test_store_contract.c - the contract of store.h, which every store
 * driver must keep: run on the in-memory driver here (make unit), and on
 * the postgres driver of a real monitor by
 * tests/integration/test_store_contract.py (store_drivers.h). The cases
 * of the operator's optional calls are in store_contract_ops.c.
 */
#include "unit.h"
#include <stdio.h>
#include <string.h>

#include "common/nodetags.h"
#include "common/timeutil.h"
#include "store/store.h"
#include "store_contract.h"
#include "store_drivers.h"

const ContractDriver *drv;
static int serial; /* every test its own formation, hosts and ports */
char formation[STORE_NAME_LEN];

static int setup(void **state)
{
	(void)state;
	serial++;
	snprintf(formation, sizeof(formation), "contract_%d", serial);
	return drv->setup() ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	drv->teardown();
	return 0;
}

RegisteredNode add(Store *op, const char *name, int port)
{
	NodeRegistration reg = {.port = port, .priority = 50, .quorum = true};
	RegisteredNode out;

	snprintf(reg.formation, sizeof(reg.formation), "%s", formation);
	snprintf(reg.name, sizeof(reg.name), "%s", name);
	snprintf(reg.host, sizeof(reg.host), "127.0.0.1");
	assert_true(store_register_node(op, &reg, &out));
	assert_int_equal(op->failure, STORE_OK);
	return out;
}

int port_of(int i)
{
	return 20000 + serial * 10 + i;
}

StoreFormation *read_back(Store *s)
{
	static StoreFormation f;
	assert_true(store_get_formation(s, formation, &f));
	return &f;
}

NodeReport a_report(NodeState state, Lsn lsn)
{
	NodeReport r;

	memset(&r, 0, sizeof(r));
	r.current = state;
	r.pg_running = true;
	r.lsn = lsn;
	r.timeline = 1;
	r.fence_ms = 1000;
	return r;
}

/* A monitor's lease, waiting for one a closed handle released (a
 * Postgres session ends a little after its client left). */
static int64_t lease_as(Store *m, const char *holder)
{
	int64_t term = 0, deadline = time_monotonic_ms() + 10000;

	while (term == 0 && time_monotonic_ms() < deadline) {
		assert_true(store_acquire(m, holder, "", &term));
		if (term == 0)
			time_sleep_ms(20);
	}
	assert_true(term > 0);
	return term;
}

int64_t lease(Store *m)
{
	return lease_as(m, "contract");
}

bool apply_goal(Store *m, int64_t term, int node, NodeState goal)
{
	StoreDecision d = {.node_id = node, .goal = goal, .old = NS_INIT};

	snprintf(d.why, sizeof(d.why), "contract test");
	return store_apply(m, term, formation, &d, 1, NULL, 0, "healthy",
			   false);
}

static int64_t waited_ms(Store *s, int timeout_ms)
{
	int64_t start = time_monotonic_ms();
	assert_true(store_wait(s, timeout_ms));
	return time_monotonic_ms() - start;
}

static void register_then_read_back(void **state)
{
	Store *op = drv->operator_store();
	char want[STORE_NAME_LEN], names[64][STORE_NAME_LEN];
	StoreEvent ev[8];
	size_t n;
	(void)state;

	RegisteredNode a = add(op, "", port_of(0));
	RegisteredNode b = add(op, "beta", port_of(1));
	snprintf(want, sizeof(want), "node_%d", a.node_id);
	assert_string_equal(a.name, want);
	assert_true(b.node_id > a.node_id);
	StoreFormation *f = read_back(op);
	assert_int_equal(f->nnodes, 2);
	assert_string_equal(store_formation_node(f, b.node_id)->name, "beta");
	assert_int_equal(store_formation_node(f, a.node_id)->port, port_of(0));
	assert_int_equal(store_formation_node(f, a.node_id)->goal, NS_INIT);
	assert_true(store_list_formations(op, names, 64, &n));
	bool listed = false;
	for (size_t i = 0; i < n; i++)
		listed |= strcmp(names[i], formation) == 0;
	assert_true(listed);
	assert_true(store_events(op, formation, 8, ev, &n));
	assert_int_equal(n, 2);
	assert_non_null(strstr(ev[0].description, "registered"));
	store_close(op);
}

static void a_host_and_port_register_once(void **state)
{
	Store *op = drv->operator_store();
	NodeRegistration reg = {.port = port_of(0), .priority = 50};
	RegisteredNode out;
	StoreFormation f;
	(void)state;

	add(op, "first", port_of(0));
	snprintf(reg.formation, sizeof(reg.formation), "%s_other", formation);
	snprintf(reg.host, sizeof(reg.host), "127.0.0.1");
	assert_false(store_register_node(op, &reg, &out));
	assert_int_equal(op->failure, STORE_REFUSED);
	assert_true(strstr(op->error, "already registered") != NULL);
	assert_false(store_get_formation(op, reg.formation, &f));
	assert_int_equal(op->failure, STORE_NOT_FOUND);
	assert_int_equal(read_back(op)->nnodes, 1);
	store_close(op);
}

static void reports_are_read_back_in_order(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0));
	Store *na = drv->node_store(&a);
	(void)state;

	assert_non_null(na);
	NodeReport r = a_report(NS_SINGLE, 0x3000060);
	assert_true(store_report(na, a.node_id, &r));
	assert_int_equal(na->failure, STORE_OK);
	const StoreNode *n = store_formation_node(read_back(op), a.node_id);
	int64_t seq = n->report_seq;
	assert_int_equal(n->reported, NS_SINGLE);
	assert_true(n->report.lsn == 0x3000060);
	assert_true(n->report.pg_running);
	assert_true(n->report_age_ms >= 0 && n->report_age_ms < 5000);
	assert_false(n->report.promote_vetoed);
	r.promote_vetoed = true;
	assert_true(store_report(na, a.node_id, &r));
	n = store_formation_node(read_back(na), a.node_id);
	assert_true(n->report_seq > seq);
	assert_true(n->report.promote_vetoed);
	store_close(na);
	store_close(op);
}

static void a_node_reports_for_itself_only(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0));
	RegisteredNode b = add(op, "b", port_of(1));
	Store *na = drv->node_store(&a);
	NodeReport r = a_report(NS_DEMOTED, 0);
	(void)state;

	assert_false(store_report(na, b.node_id, &r));
	assert_int_equal(na->failure, STORE_REFUSED);
	assert_false(store_report(op, b.node_id, &r));
	assert_int_equal(op->failure, STORE_REFUSED);
	const StoreNode *n = store_formation_node(read_back(op), b.node_id);
	assert_int_equal(n->report_seq, 0);
	assert_int_equal(n->reported, NS_INIT);
	/* and acts on its own node alone */
	assert_false(store_set_maintenance(na, formation, "b", true));
	assert_int_equal(na->failure, STORE_REFUSED);
	assert_true(store_set_maintenance(na, formation, "a", true));
	assert_true(store_formation_node(read_back(op), a.node_id)->maintenance);
	store_close(na);
	store_close(op);
}

static void the_lease_has_one_holder(void **state)
{
	Store *m1 = drv->monitor_store(), *m2 = drv->monitor_store();
	int64_t again = 0, other = -1;
	(void)state;

	int64_t term = lease(m1);
	assert_true(store_acquire(m1, "contract", "", &again));
	assert_int_equal(again, term);
	assert_true(store_acquire(m2, "contract", "", &other));
	assert_int_equal(other, 0);
	store_close(m1);
	assert_true(lease(m2) > term);
	store_close(m2);
}

static void a_stale_term_writes_nothing(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0));
	Store *m1 = drv->monitor_store();
	StoreEvent ev[8];
	size_t before, after;
	(void)state;

	int64_t old = lease(m1);
	store_close(m1);
	Store *m2 = drv->monitor_store();
	int64_t term = lease(m2);
	assert_true(store_events(op, formation, 8, ev, &before));
	assert_false(apply_goal(m2, old, a.node_id, NS_SINGLE));
	assert_int_equal(m2->failure, STORE_FENCED);
	assert_int_equal(store_formation_node(read_back(op), a.node_id)->goal,
			 NS_INIT);
	assert_true(store_events(op, formation, 8, ev, &after));
	assert_int_equal(after, before);
	assert_true(apply_goal(m2, term, a.node_id, NS_SINGLE));
	assert_int_equal(m2->failure, STORE_OK);
	const StoreFormation *f = read_back(op);
	assert_int_equal(store_formation_node(f, a.node_id)->goal, NS_SINGLE);
	assert_string_equal(f->health, "healthy");
	store_close(m2);
	store_close(op);
}

static void an_unknown_formation_is_not_found(void **state)
{
	Store *op = drv->operator_store();
	StoreFormation f;
	StoreEvent ev[2];
	size_t n = 1;
	(void)state;

	assert_false(store_get_formation(op, "no_such_formation", &f));
	assert_int_equal(op->failure, STORE_NOT_FOUND);
	assert_true(store_events(op, "no_such_formation", 2, ev, &n));
	assert_int_equal(n, 0);
	assert_int_equal(op->failure, STORE_OK);
	store_close(op);
}

static void a_keeper_wakes_on_a_goal_change(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0));
	Store *na = drv->node_store(&a), *m = drv->monitor_store();
	(void)state;

	int64_t term = lease(m);
	assert_true(waited_ms(na, 300) >= 250);
	assert_true(apply_goal(m, term, a.node_id, NS_SINGLE));
	assert_true(waited_ms(na, 5000) < 2000);
	store_close(m);
	store_close(na);
	store_close(op);
}

static void the_monitor_wakes_on_a_changed_report(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0));
	Store *na = drv->node_store(&a);
	NodeReport r = a_report(NS_INIT, 0x100);
	(void)state;

	assert_true(store_report(na, a.node_id, &r));
	Store *m = drv->monitor_store();
	assert_true(store_report(na, a.node_id, &r)); /* a heartbeat */
	assert_true(waited_ms(m, 300) >= 250);
	r.lsn = 0x200;
	assert_true(store_report(na, a.node_id, &r));
	assert_true(waited_ms(m, 5000) < 2000);
	r.promote_vetoed = true; /* a veto is news too */
	assert_true(store_report(na, a.node_id, &r));
	assert_true(waited_ms(m, 5000) < 2000);
	store_close(m);
	store_close(na);
	store_close(op);
}

static void past_its_deadline_a_call_gives_up_fast(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0));
	Store *na = drv->node_store(&a);
	StoreFormation f;
	(void)state;

	read_back(na);
	store_set_deadline(na, time_monotonic_ms() - 1000);
	read_back(na); /* a store that answers still does */
	drv->stall(true);
	int64_t start = time_monotonic_ms();
	bool answered = store_get_formation(na, formation, &f);
	int64_t took = time_monotonic_ms() - start;
	drv->stall(false); /* before any assertion: later cases need it */
	assert_false(answered);
	assert_int_equal(na->failure, STORE_UNAVAILABLE);
	assert_true(took >= STORE_MIN_CALL_MS - 5 && took < 1500);
	store_set_deadline(na, 0);
	read_back(na);
	store_close(na);
	store_close(op);
}

static void settings_are_validated(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0));
	Store *na = drv->node_store(&a);
	(void)state;

	assert_false(store_set_setting(op, formation, "",
				       "formation.number_sync_standbys", "17"));
	assert_int_equal(op->failure, STORE_REFUSED);
	assert_false(store_set_setting(op, formation, "", "formation.nope",
				       "1"));
	assert_int_equal(op->failure, STORE_REFUSED);
	assert_false(store_set_setting(na, formation, "",
				       "formation.paused", "true"));
	assert_int_equal(na->failure, STORE_REFUSED);
	assert_false(read_back(op)->paused);
	assert_true(store_set_setting(op, formation, "",
				      "formation.number_sync_standbys", "2"));
	assert_true(store_set_setting(op, formation, "a",
				      "node.candidate_priority", "7"));
	const StoreFormation *f = read_back(op);
	assert_int_equal(f->number_sync_standbys, 2);
	assert_int_equal(store_formation_node(f, a.node_id)->priority, 7);
	store_close(na);
	store_close(op);
}

/* node.tags: any order in, every node reads them; an unknown tag is
 * refused with the known ones named, nothing changed */
static void node_tags_are_validated_and_read_by_nodes(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0));
	Store *na = drv->node_store(&a);
	(void)state;

	assert_int_equal(store_formation_node(read_back(na), a.node_id)->tags,
			 0);
	assert_true(store_set_setting(op, formation, "a", "node.tags",
				      "noloadbalance, nofailover"));
	assert_int_equal(store_formation_node(read_back(na), a.node_id)->tags,
			 NODE_TAG_NOFAILOVER | NODE_TAG_NOLOADBALANCE);
	assert_false(store_set_setting(op, formation, "a", "node.tags",
				       "nofailover,fast"));
	assert_int_equal(op->failure, STORE_REFUSED);
	assert_non_null(strstr(op->error, "nofailover, noloadbalance"));
	assert_int_equal(store_formation_node(read_back(op), a.node_id)->tags,
			 NODE_TAG_NOFAILOVER | NODE_TAG_NOLOADBALANCE);
	assert_true(store_set_setting(op, formation, "a", "node.tags", ""));
	assert_int_equal(store_formation_node(read_back(op), a.node_id)->tags,
			 0);
	store_close(na);
	store_close(op);
}

static void the_monitor_alone_draws_new_passwords(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0));
	Store *na = drv->node_store(&a), *m = drv->monitor_store();
	char before[128];
	(void)state;

	snprintf(before, sizeof(before), "%s", read_back(op)->repl_password);
	assert_false(store_rotate_secret(op, formation, "replication"));
	assert_int_equal(op->failure, STORE_REFUSED);
	assert_false(store_rotate_secret(m, formation, "nope"));
	assert_int_equal(m->failure, STORE_REFUSED);
	assert_false(store_rotate_secret(m, "no_such_formation", "health"));
	assert_int_equal(m->failure, STORE_NOT_FOUND);
	assert_string_equal(read_back(op)->repl_password, before);
	assert_true(waited_ms(na, 300) >= 250);
	assert_true(store_rotate_secret(m, formation, "replication"));
	assert_true(waited_ms(na, 5000) < 2000);
	assert_string_not_equal(read_back(na)->repl_password, before);
	store_close(m);
	store_close(na);
	store_close(op);
}

/* The entry of holder in a list of monitors, or NULL. */
static const StoreMonitor *listed(const StoreMonitor *list, size_t n,
				  const char *holder)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(list[i].holder, holder) == 0)
			return &list[i];
	}
	return NULL;
}

static void the_monitors_are_listed(void **state)
{
	Store *m1 = drv->monitor_store(), *m2 = drv->monitor_store();
	StoreMonitor list[8];
	size_t n;
	int64_t other = -1, before = time_wall_ms() - 1000;
	(void)state;

	int64_t term = lease_as(m1, "contract-a");
	assert_true(store_acquire(m2, "contract-b", "", &other));
	assert_int_equal(other, 0);
	assert_true(store_list_monitors(m1, list, 8, &n));
	const StoreMonitor *a = listed(list, n, "contract-a");
	assert_non_null(a);
	assert_true(a->active);
	assert_int_equal(a->term, term);
	assert_true(a->since_ms >= before && a->since_ms <= time_wall_ms());
	const StoreMonitor *b = listed(list, n, "contract-b");
	assert_true(!b || (!b->active && b->term == 0));
	if (strcmp(drv->name, "etcd") == 0) /* it lists those standing by */
		assert_non_null(b);
	store_close(m1);
	int64_t next = lease_as(m2, "contract-b");
	assert_true(store_list_monitors(m2, list, 8, &n));
	b = listed(list, n, "contract-b");
	assert_non_null(b);
	assert_true(b->active);
	assert_int_equal(b->term, next);
	assert_null(listed(list, n, "contract-a"));
	store_close(m2);
}

#define CASE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static int pick_driver(void **state)
{
	(void)state;
	drv = contract_driver();
	fprintf(stderr, "store contract on the %s driver\n", drv->name);
	return 0;
}

UNIT_MAIN(pick_driver, NULL,
	  CASE(register_then_read_back),
	  CASE(a_host_and_port_register_once),
	  CASE(reports_are_read_back_in_order),
	  CASE(a_report_and_its_read_are_one_call),
	  CASE(a_node_reports_for_itself_only),
	  CASE(the_lease_has_one_holder),
	  CASE(a_stale_term_writes_nothing),
	  CASE(an_unknown_formation_is_not_found),
	  CASE(a_keeper_wakes_on_a_goal_change),
	  CASE(the_monitor_wakes_on_a_changed_report),
	  CASE(past_its_deadline_a_call_gives_up_fast),
	  CASE(settings_are_validated),
	  CASE(node_tags_are_validated_and_read_by_nodes),
	  CASE(the_monitor_alone_draws_new_passwords),
	  CASE(the_monitors_are_listed),
	  CASE(a_deposed_holder_is_fenced),
	  CASE(a_reinit_is_asked_of_a_standby_only),
	  CASE(a_primary_node_hands_over_its_own_role),
	  CASE(scheduled_operations_are_listed_until_ended),
	  CASE(cascade_settings_are_validated_and_read_by_nodes),
	  CASE(standby_of_is_validated_and_read_by_nodes),
	  CASE(logical_slot_copies_are_published_by_their_node),
	  CASE(a_formation_is_imported_once))
