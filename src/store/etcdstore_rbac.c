/*
 * etcdstore_rbac.c - a data node's own etcd credential (docs/etcd.md,
 * "Access control"): when the store uses etcd's authentication, the
 * operator's registration makes the user pgkeel-node-<id> with a random
 * password (the node's secret) and a role of the same name that may read
 * the whole prefix and write its own nodes/<id>/r/ keys alone (and add
 * the events of what it asks for to its formation's log); dropping the
 * node removes both.
 */
#include <stdio.h>
#include <string.h>

#include "store/etcdstore_db.h"

/* One auth call; true when it succeeded, or failed in a way allowed. */
static bool auth_call(Store *s, const char *path, json_t *body,
		      int64_t deadline, bool tolerate)
{
	json_t *a = es_call(s, path, body, deadline);

	json_decref(a);
	if (!a && tolerate && s->failure == STORE_REFUSED) {
		s->failure = STORE_OK; /* already there, or already gone */
		s->error[0] = '\0';
		return true;
	}
	return a != NULL;
}

static json_t *perm(const char *type, const char *prefix)
{
	char end[600];

	etcd_prefix_end(prefix, end, sizeof(end));
	return json_pack("{s:s, s:o, s:o}", "permType", type, "key",
			 etcd_b64(prefix, strlen(prefix)), "range_end",
			 etcd_b64(end, strlen(end)));
}

static bool grant(Store *s, const char *role, json_t *p, int64_t deadline)
{
	return auth_call(s, "/v3/auth/role/grant",
			 json_pack("{s:s, s:o}", "name", role, "perm", p),
			 deadline, false);
}

bool es_rbac_drop_node(Store *s, int id, int64_t deadline)
{
	char name[64];

	if (!etcd_client_config(es_handle(s)->client)->user[0])
		return true;
	snprintf(name, sizeof(name), ETCDSTORE_NODE_USER_PREFIX "%d", id);
	return auth_call(s, "/v3/auth/user/delete",
			 json_pack("{s:s}", "name", name), deadline, true) &&
	       auth_call(s, "/v3/auth/role/delete",
			 json_pack("{s:s}", "role", name), deadline, true);
}

bool es_rbac_add_node(Store *s, const char *formation, int id,
		      const char *password, int64_t deadline)
{
	EtcdHandle *h = es_handle(s);
	char name[64], all[512], mine[512], events[512];

	if (!etcd_client_config(h->client)->user[0])
		return true;
	if (!es_rbac_drop_node(s, id, deadline)) /* a leftover of a retry */
		return false;
	snprintf(name, sizeof(name), ETCDSTORE_NODE_USER_PREFIX "%d", id);
	es_key(h, all, sizeof(all), "/");
	es_key(h, mine, sizeof(mine), "/f/%s/nodes/%d/r/", formation, id);
	es_key(h, events, sizeof(events), "/f/%s/events/", formation);
	/* an add may be sent again to another member after the first one
	 * answered too late (a user's password hash is slow to make): one
	 * that exists already is this call's own, as leftovers went above */
	return auth_call(s, "/v3/auth/role/add",
			 json_pack("{s:s}", "name", name), deadline, true) &&
	       grant(s, name, perm("READ", all), deadline) &&
	       grant(s, name, perm("READWRITE", mine), deadline) &&
	       grant(s, name, perm("WRITE", events), deadline) &&
	       auth_call(s, "/v3/auth/user/add",
			 json_pack("{s:s, s:s}", "name", name, "password",
				   password),
			 deadline, true) &&
	       auth_call(s, "/v3/auth/user/grant",
			 json_pack("{s:s, s:s}", "user", name, "role", name),
			 deadline, false);
}
