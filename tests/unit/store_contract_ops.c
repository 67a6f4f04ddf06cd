/*
 * store_contract_ops.c - the store contract (store.h) of the operator's
 * reinit requests and scheduled operations, of the call a driver may
 * lack, formations moved in (store_import), and of the settings of
 * cascading replication and delayed replicas; and of a keeper's report
 * and read in one call (store_report_read).
 * Part of test_store_contract, which runs them on every driver.
 */
#include "unit.h"
#include <stdio.h>
#include <string.h>

#include "store_contract.h"

/* A reinit: of a standby only, with a settled primary, one at a time,
 * the operator's; carried out once the node reports it restarted. */
void a_reinit_is_asked_of_a_standby_only(void **state)
{
	Store *op = drv->operator_store(), *m = drv->monitor_store();
	RegisteredNode a = add(op, "a", port_of(0)), b = add(op, "b", port_of(1));
	Store *na = drv->node_store(&a), *nb = drv->node_store(&b);
	int64_t term = lease(m);
	long long seq = 0;
	(void)state;

	assert_true(apply_goal(m, term, a.node_id, NS_PRIMARY));
	assert_true(apply_goal(m, term, b.node_id, NS_SECONDARY));
	assert_false(store_request_reinit(op, formation, "b", &seq));
	assert_int_equal(op->failure, STORE_REFUSED); /* a did not report */
	NodeReport ra = a_report(NS_PRIMARY, 100), rb = a_report(NS_SECONDARY, 90);
	assert_true(store_report(na, a.node_id, &ra));
	assert_true(store_report(nb, b.node_id, &rb));
	const char *refused[] = {"a", "zz"};
	for (size_t i = 0; i < 2; i++) {
		assert_false(store_request_reinit(op, formation, refused[i],
						  &seq));
		assert_int_equal(op->failure, STORE_REFUSED);
	}
	assert_false(store_request_reinit(nb, formation, "b", &seq));
	assert_int_equal(nb->failure, STORE_REFUSED);
	assert_true(store_request_reinit(op, formation, "b", &seq));
	const StoreNode *n = store_formation_node(read_back(op), b.node_id);
	assert_true(seq >= 1 && n->reinit_requested == seq &&
		    n->restart_requested == seq);
	assert_true(store_node_reinit_pending(n));
	assert_false(store_request_reinit(op, formation, "b", &seq));
	assert_int_equal(op->failure, STORE_REFUSED); /* under way */
	rb.restarted = seq;
	assert_true(store_report(nb, b.node_id, &rb));
	assert_false(store_node_reinit_pending(
		store_formation_node(read_back(op), b.node_id)));
	store_close(nb);
	store_close(na);
	store_close(m);
	store_close(op);
}

/* A primary's own credential hands over its role (a switchover to the
 * best standby), nothing more; one request at a time, whoever asked;
 * the monitor's apply consumes it. */
void a_primary_node_hands_over_its_own_role(void **state)
{
	Store *op = drv->operator_store(), *m = drv->monitor_store();
	RegisteredNode a = add(op, "a", port_of(0)), b = add(op, "b", port_of(1));
	Store *na = drv->node_store(&a), *nb = drv->node_store(&b);
	int64_t term = lease(m);
	(void)state;

	assert_true(apply_goal(m, term, a.node_id, NS_PRIMARY));
	assert_true(apply_goal(m, term, b.node_id, NS_SECONDARY));
	assert_false(store_request(nb, formation, "switchover", ""));
	assert_int_equal(nb->failure, STORE_REFUSED); /* not the primary */
	assert_false(store_request(na, formation, "switchover", "b"));
	assert_int_equal(na->failure, STORE_REFUSED); /* no choosing */
	assert_false(store_request(na, formation, "failover", ""));
	assert_int_equal(na->failure, STORE_REFUSED);
	assert_non_null(strstr(na->error, "own primary role"));
	assert_int_equal(read_back(op)->switchover_to, -1);
	assert_true(store_request(na, formation, "switchover", ""));
	assert_int_equal(read_back(nb)->switchover_to, 0);
	assert_false(store_request(op, formation, "switchover", "b"));
	assert_int_equal(op->failure, STORE_REFUSED); /* one under way */
	assert_false(store_request(na, formation, "switchover", ""));
	/* a setting changed meanwhile leaves the request pending */
	assert_true(store_set_setting(op, formation, "",
				      "formation.strict_sync", "true"));
	assert_int_equal(read_back(op)->switchover_to, 0);
	assert_true(store_apply(m, term, formation, NULL, 0, NULL, 0,
				"healthy", true));
	assert_int_equal(read_back(op)->switchover_to, -1);
	/* consumed: it is not asked again, and the operator may ask */
	assert_true(store_apply(m, term, formation, NULL, 0, NULL, 0,
				"healthy", false));
	assert_int_equal(read_back(op)->switchover_to, -1);
	assert_true(store_request(op, formation, "switchover", "b"));
	assert_int_equal(read_back(op)->switchover_to, b.node_id);
	assert_false(store_request(na, formation, "switchover", ""));
	assert_int_equal(na->failure, STORE_REFUSED);
	store_close(nb);
	store_close(na);
	store_close(m);
	store_close(op);
}

/* The events of the case's scheduled operations, as every driver words
 * them (pgstore_migrate_ops.c, storepolicy_sched.c). */
static bool logged(Store *s, long long sw, long long rs)
{
	StoreEvent ev[16];
	char want[4][96];
	size_t n = 0, seen = 0;

	snprintf(want[0], 96, "switchover scheduled for ");
	snprintf(want[1], 96, "(id %lld)", rs);
	snprintf(want[2], 96, "scheduled switchover (id %lld) cancelled", sw);
	snprintf(want[3], 96, "scheduled restart (id %lld) failed: contract",
		 rs);
	assert_true(store_events(s, formation, 16, ev, &n));
	for (size_t w = 0; w < 4; w++) {
		for (size_t i = 0; i < n; i++) {
			if (strstr(ev[i].description, want[w])) {
				seen++;
				break;
			}
		}
	}
	return seen == 4;
}

static bool end_op(Store *s, long long id, const char *outcome)
{
	return store_end_scheduled(s, formation, id, outcome, "contract");
}

void scheduled_operations_are_listed_until_ended(void **state)
{
	Store *op = drv->operator_store(), *m = drv->monitor_store();
	RegisteredNode b = add(op, "b", port_of(0));
	Store *nb = drv->node_store(&b);
	StoreScheduled sw = {.what = "switchover", .at_ms = 2000000000000},
		       rs = {.what = "restart", .node = "b",
			     .at_ms = 1900000000000},
		       bad[] = {{.what = "restart", .at_ms = 1},
				{.what = "failover", .at_ms = 1},
				{.what = "restart", .node = "zz", .at_ms = 1}},
		       got[8];
	long long id1, id2, id;
	size_t n;
	(void)state;

	assert_true(store_list_scheduled(op, formation, got, 8, &n));
	assert_int_equal(n, 0);
	assert_true(store_schedule(op, formation, &sw, &id1));
	assert_true(store_schedule(op, formation, &rs, &id2));
	assert_true(id1 > 0 && id2 > id1);
	for (size_t i = 0; i < 3; i++) {
		assert_false(store_schedule(op, formation, &bad[i], &id));
		assert_int_equal(op->failure, STORE_REFUSED);
	}
	assert_false(store_schedule(nb, formation, &sw, &id));
	assert_int_equal(nb->failure, STORE_REFUSED);
	assert_true(store_list_scheduled(nb, formation, got, 8, &n));
	assert_int_equal(n, 2); /* earliest first */
	assert_true(got[0].id == id2 && got[0].at_ms == rs.at_ms);
	assert_string_equal(got[0].node, "b");
	assert_true(got[1].id == id1 && got[1].at_ms == sw.at_ms);
	assert_string_equal(got[1].what, "switchover");
	int counted = read_back(nb)->scheduled; /* -1: not counted */
	assert_true(counted == 2 || counted == -1);
	assert_false(end_op(nb, id1, "cancelled"));
	assert_false(end_op(op, id1, "forgotten"));
	assert_true(end_op(op, id1, "cancelled"));
	assert_false(end_op(op, id1, "done"));
	assert_int_equal(op->failure, STORE_REFUSED);
	assert_true(end_op(m, id2, "failed"));
	assert_true(store_list_scheduled(op, formation, got, 8, &n));
	assert_int_equal(n, 0);
	assert_true(logged(op, id1, id2));
	assert_int_equal(read_back(m)->scheduled, counted < 0 ? -1 : 0);
	store_close(nb);
	store_close(m);
	store_close(op);
}


/* node.replicate_from names another node of the formation ("" unsets
 * it); node.apply_delay is a duration; every node reads both; a refused
 * value changes nothing. */
void cascade_settings_are_validated_and_read_by_nodes(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0)), b = add(op, "b", port_of(1));
	Store *na = drv->node_store(&a);
	const StoreNode *n;
	char text[64];
	(void)state;

	assert_true(store_set_setting(op, formation, "b", "node.replicate_from",
				      "a"));
	assert_true(store_set_setting(op, formation, "b", "node.apply_delay",
				      "2min"));
	n = store_formation_node(read_back(na), b.node_id);
	assert_string_equal(n->replicate_from, "a");
	assert_int_equal(n->apply_delay, 120000);
	const char *bad_from[] = {"b", "zz", "a b"};
	for (size_t i = 0; i < 3; i++) {
		assert_false(store_set_setting(op, formation, "b",
					       "node.replicate_from",
					       bad_from[i]));
		assert_int_equal(op->failure, STORE_REFUSED);
	}
	const char *bad_delay[] = {"-1s", "2d", "25h", "soon"};
	for (size_t i = 0; i < 4; i++) {
		assert_false(store_set_setting(op, formation, "b",
					       "node.apply_delay",
					       bad_delay[i]));
		assert_int_equal(op->failure, STORE_REFUSED);
	}
	StoreFormation *f = read_back(op);
	assert_true(store_runtime_text(f, "b", RS_APPLY_DELAY, text,
				       sizeof(text)));
	assert_string_equal(text, "2min");
	assert_true(store_runtime_text(f, "b", RS_REPLICATE_FROM, text,
				       sizeof(text)));
	assert_string_equal(text, "a");
	assert_true(store_set_setting(op, formation, "b", "node.replicate_from",
				      ""));
	assert_true(store_set_setting(op, formation, "b", "node.apply_delay",
				      "0"));
	n = store_formation_node(read_back(na), b.node_id);
	assert_string_equal(n->replicate_from, "");
	assert_int_equal(n->apply_delay, 0);
	store_close(na);
	store_close(op);
}

/* formation.standby_of is a postgres URI without a password ("" unsets
 * it); every node reads it; a refused value changes nothing. */
void standby_of_is_validated_and_read_by_nodes(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0));
	Store *na = drv->node_store(&a);
	const char *uri = "postgres://u@h1:5432,h2:5432/postgres?"
			  "target_session_attrs=read-write&passfile=%2Fp";
	char text[STORE_URI_LEN];
	(void)state;

	assert_true(store_set_setting(op, formation, "",
				      "formation.standby_of", uri));
	assert_string_equal(read_back(na)->standby_of, uri);
	const char *bad[] = {"host=h1", "postgres://u:secret@h1/postgres",
			     "postgres://u@h1/postgres?password=secret"};
	for (size_t i = 0; i < 3; i++) {
		assert_false(store_set_setting(op, formation, "",
					       "formation.standby_of",
					       bad[i]));
		assert_int_equal(op->failure, STORE_REFUSED);
	}
	assert_false(store_set_setting(na, formation, "",
				       "formation.standby_of", ""));
	StoreFormation *f = read_back(op);
	assert_true(store_runtime_text(f, "", RS_STANDBY_OF, text,
				       sizeof(text)));
	assert_string_equal(text, uri);
	assert_true(store_set_setting(op, formation, "",
				      "formation.standby_of", ""));
	assert_string_equal(read_back(na)->standby_of, "");
	store_close(na);
	store_close(op);
}

/* The imported copy of the case's formation, read back through m. */
static void check_imported(Store *m, const StoreFormation *f)
{
	static StoreFormation g;

	assert_true(store_get_formation(m, f->name, &g));
	assert_true(g.paused);
	assert_string_equal(g.repl_password, f->repl_password);
	assert_int_equal(g.nnodes, 1);
	assert_int_equal(g.nodes[0].id, f->nodes[0].id);
	assert_string_equal(g.nodes[0].name, "moved");
	assert_int_equal(g.nodes[0].goal, NS_SINGLE);
}

/* A formation moved in: as given, once, with the node id counter past
 * its ids, and a credential for each of its nodes alone; a driver that
 * keeps no import says so. */
void a_formation_is_imported_once(void **state)
{
	Store *op = drv->operator_store(), *m = drv->monitor_store();
	RegisteredNode a = add(op, "a", port_of(0));
	static StoreFormation f;
	int64_t last = 0, now = 0;
	(void)state;

	assert_true(apply_goal(m, lease(m), a.node_id, NS_SINGLE));
	f = *read_back(m);
	if (store_last_node_id(m, &last))
		assert_true(last >= a.node_id);
	else
		assert_int_equal(m->failure, STORE_REFUSED);
	snprintf(f.name, sizeof(f.name), "%.40s-moved", formation);
	snprintf(f.nodes[0].name, sizeof(f.nodes[0].name), "moved");
	f.nodes[0].id = (int)last + 100;
	f.nodes[0].port = port_of(1);
	f.paused = true;
	if (!store_import(op, &f, last + 200)) {
		assert_int_equal(op->failure, STORE_REFUSED);
		assert_non_null(strstr(op->error, "keeps no"));
	} else {
		check_imported(m, &f);
		assert_false(store_import(op, &f, 0)); /* it is there */
		assert_int_equal(op->failure, STORE_REFUSED);
		assert_true(store_last_node_id(m, &now) && now >= last + 200);
		assert_true(add(op, "c", port_of(2)).node_id > now);
		char secret[80];
		assert_true(store_node_credential(op, f.name, f.nodes[0].id,
						  secret, sizeof(secret)));
		assert_false(store_node_credential(op, f.name, a.node_id,
						   secret, sizeof(secret)));
		assert_int_equal(op->failure, STORE_REFUSED); /* not its */
	}
	store_close(m);
	store_close(op);
}

/* A keeper's cycle in one call: its report made, its formation read. */
void a_report_and_its_read_are_one_call(void **state)
{
	Store *op = drv->operator_store();
	RegisteredNode a = add(op, "a", port_of(0));
	RegisteredNode b = add(op, "b", port_of(1));
	Store *na = drv->node_store(&a);
	NodeReport r = a_report(NS_SINGLE, 0x3000060);
	static StoreFormation f;
	(void)state;

	assert_true(store_report_read(na, a.node_id, &r, formation, &f));
	assert_int_equal(na->failure, STORE_OK);
	assert_string_equal(f.name, formation);
	assert_int_equal(f.nnodes, 2);
	assert_non_null(store_formation_node(&f, b.node_id));
	const StoreNode *n = store_formation_node(read_back(op), a.node_id);
	assert_int_equal(n->reported, NS_SINGLE);
	assert_true(n->report.lsn == 0x3000060);
	int64_t seq = n->report_seq;
	assert_true(seq > 0);
	/* another node's report: refused, and the last read left as it was */
	assert_false(store_report_read(na, b.node_id, &r, formation, &f));
	assert_int_equal(na->failure, STORE_REFUSED);
	assert_int_equal(f.nnodes, 2);
	assert_string_equal(f.name, formation);
	/* a formation that does not exist: not found */
	assert_false(store_report_read(na, a.node_id, &r, "contract_none", &f));
	assert_int_equal(na->failure, STORE_NOT_FOUND);
	assert_true(store_report_read(na, a.node_id, &r, formation, &f));
	assert_true(store_formation_node(read_back(op), a.node_id)->report_seq >
		    seq);
	store_close(na);
	store_close(op);
}
