/*
 * store_identity.c - a data node's own credential, by the store's kind:
 * the user its passfile holds the password of, and the URI it reaches
 * the store with (docs/security.md, docs/etcd.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sslconn.h"
#include "pg/pgconninfo.h"
#include "store/etcdstore.h"
#include "store/pgstore_schema.h"
#include "store/store.h"
#include "store/store_identity.h"

static bool is_etcd(const char *uri)
{
	return strncmp(uri, "etcd://", 7) == 0;
}

void store_node_user(const char *uri, int node_id, char *buf, size_t len)
{
	snprintf(buf, len, "%s%d",
		 is_etcd(uri) ? ETCDSTORE_NODE_USER_PREFIX
			      : PGSTORE_NODE_ROLE_PREFIX,
		 node_id);
}

/* etcd: the node's handle (node=ID); with etcd's authentication on (the
 * registering URI names a user), its own user instead of the
 * operator's, whose password file it does not keep. */
static char *etcd_node_uri(const char *uri, int node_id)
{
	char id[16], user[64], had[128];
	bool auth = uri_get_param(uri, "user", had, sizeof(had));

	snprintf(id, sizeof(id), "%d", node_id);
	store_node_user(uri, node_id, user, sizeof(user));
	char *out = uri_set_param(strdup(uri), "node", id);
	out = uri_set_param(out, "user", auth ? user : NULL);
	return uri_set_param(out, "passfile", NULL);
}

char *store_node_uri(const char *uri, int node_id, char *err, size_t errlen)
{
	char user[64];
	char *out;

	if (!is_etcd(uri)) {
		store_node_user(uri, node_id, user, sizeof(user));
		return pg_conninfo_rewrite(uri, user, NULL, err, errlen);
	}
	out = etcd_node_uri(uri, node_id);
	if (!out)
		snprintf(err, errlen, "out of memory");
	return out;
}

char *store_uri_with_passfile(const char *uri, const char *passfile,
			      char *err, size_t errlen)
{
	char user[128];
	char *out;

	if (!is_etcd(uri))
		return pg_conninfo_rewrite(uri, NULL, passfile, err, errlen);
	if (!uri_get_param(uri, "user", user, sizeof(user)) || !user[0])
		out = strdup(uri); /* no authentication: no password */
	else
		out = uri_set_param(strdup(uri), "passfile", passfile);
	if (!out)
		snprintf(err, errlen, "out of memory");
	return out;
}

bool store_uri_has_credential(const char *uri)
{
	char v[8];

	if (!is_etcd(uri))
		return pg_conninfo_has(uri, "password") ||
		       pg_conninfo_has(uri, "passfile");
	return uri_get_param(uri, "passfile", v, sizeof(v)) && v[0];
}
