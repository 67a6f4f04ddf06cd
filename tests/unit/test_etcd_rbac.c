/*
 * test_etcd_rbac.c - etcd's access control over a data node's own
 * credential (docs/etcd.md, "Access control"): it may write its own
 * nodes/<id>/r/ keys, and no other node's goal, spec or report, nor its
 * own goal or spec; a dropped node's credential no longer opens. Needs
 * etcd with authentication on: tests/integration/test_etcd_store.py runs
 * it with PGKEEL_ETCD_RBAC_URI (the root user's etcd:// URI, its
 * passfile) and PGKEEL_ETCD_RBAC_DIR (a private directory); skipped
 * without them.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/timeutil.h"
#include "store/etcdclient.h"
#include "store/etcdstore.h"
#include "store/store.h"

static const char *uri, *dir;
static char prefix[] = "/pgkeel"; /* the URI's: none given */

static RegisteredNode add(Store *op, const char *name, int port)
{
	NodeRegistration reg = {.port = port, .priority = 50, .quorum = true};
	RegisteredNode out;

	snprintf(reg.formation, sizeof(reg.formation), "rbac");
	snprintf(reg.name, sizeof(reg.name), "%s", name);
	snprintf(reg.host, sizeof(reg.host), "127.0.0.1");
	assert_true(store_register_node(op, &reg, &out));
	return out;
}

/* A client of the URI's members as node n's etcd user. */
static EtcdClient *as_node(const RegisteredNode *n)
{
	EtcdConfig cfg;
	char err[512];
	const char *members = uri + strlen("etcd://");

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.endpoints[0], sizeof(cfg.endpoints[0]), "http://%.*s",
		 (int)strcspn(members, ",/?"), members);
	cfg.nendpoints = 1;
	snprintf(cfg.user, sizeof(cfg.user), ETCDSTORE_NODE_USER_PREFIX "%d",
		 n->node_id);
	snprintf(cfg.passfile, sizeof(cfg.passfile), "%s/node-%d.pass", dir,
		 n->node_id);
	assert_true(fs_write_file_atomic(cfg.passfile, n->secret,
					 strlen(n->secret), 0600));
	EtcdClient *c = etcd_client_new(&cfg, err, sizeof(err));
	assert_non_null(c);
	return c;
}

/* Puts value at <prefix>/f/rbac/nodes/<id>/<part>: the failure. */
static StoreFailure put(EtcdClient *c, int id, const char *part)
{
	char key[256], err[512];
	StoreFailure f;

	snprintf(key, sizeof(key), "%s/f/rbac/nodes/%d/%s", prefix, id, part);
	json_t *op = etcd_op_put(key, "{\"goal\":\"primary\"}", 0);
	json_t *body = json_incref(json_object_get(op, "request_put"));
	json_decref(op);
	json_decref(etcd_call(c, "/v3/kv/put", body,
			      time_monotonic_ms() + 5000, &f, err,
			      sizeof(err)));
	return f;
}

static void a_node_writes_its_own_report_alone(void **state)
{
	char err[512];
	StoreFormation f;
	(void)state;

	if (!uri || !dir)
		skip();
	Store *op = store_open(uri, NULL, 5000, err, sizeof(err));
	assert_non_null(op);
	RegisteredNode a = add(op, "a", 21001), b = add(op, "b", 21002);
	EtcdClient *ca = as_node(&a);
	assert_int_equal(put(ca, b.node_id, "goal"), STORE_REFUSED);
	assert_int_equal(put(ca, b.node_id, "spec"), STORE_REFUSED);
	assert_int_equal(put(ca, b.node_id, "r/report"), STORE_REFUSED);
	assert_int_equal(put(ca, a.node_id, "goal"), STORE_REFUSED);
	assert_int_equal(put(ca, a.node_id, "spec"), STORE_REFUSED);
	assert_true(store_get_formation(op, "rbac", &f));
	const StoreNode *nb = store_formation_node(&f, b.node_id);
	assert_int_equal(nb->goal, NS_INIT);
	assert_int_equal(nb->report_seq, 0);
	assert_string_equal(nb->host, "127.0.0.1");
	assert_int_equal(put(ca, a.node_id, "r/alive"), STORE_OK);
	/* dropped, its credential is gone */
	EtcdClient *cb = as_node(&b);
	assert_int_equal(put(cb, b.node_id, "r/alive"), STORE_OK);
	assert_true(store_drop_node(op, "rbac", "b"));
	etcd_client_free(cb);
	cb = as_node(&b);
	assert_int_equal(put(cb, b.node_id, "r/alive"), STORE_REFUSED);
	etcd_client_free(cb);
	etcd_client_free(ca);
	store_close(op);
}

static int from_env(void **state)
{
	(void)state;
	uri = getenv("PGKEEL_ETCD_RBAC_URI");
	dir = getenv("PGKEEL_ETCD_RBAC_DIR");
	return 0;
}

UNIT_MAIN(from_env, NULL, cmocka_unit_test(a_node_writes_its_own_report_alone))
