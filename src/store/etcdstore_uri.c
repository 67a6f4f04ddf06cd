/*
 * etcdstore_uri.c - reading an etcd store URI (docs/etcd.md):
 * etcd://host:port[,host:port...][/prefix][?parameters], into the
 * client's configuration and the handle's settings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/etcdstore_db.h"

/* The members between "etcd://" and the path; false with err. */
static bool members(const char *uri, EtcdConfig *cfg, bool tls, char *err,
		    size_t len)
{
	const char *p = uri + strlen("etcd://");
	size_t n = strcspn(p, "/?");

	cfg->nendpoints = 0;
	while (n > 0) {
		size_t one = strcspn(p, ",/?");
		if (one == 0 || one > 255 ||
		    cfg->nendpoints == ETCD_MAX_ENDPOINTS) {
			snprintf(err, len, "cannot read the etcd members of "
					   "the store URI (host:port, comma "
					   "separated, %d at most)",
				 ETCD_MAX_ENDPOINTS);
			return false;
		}
		snprintf(cfg->endpoints[cfg->nendpoints++], 280, "%s://%.*s",
			 tls ? "https" : "http", (int)one, p);
		p += one;
		n -= one;
		if (n > 0 && *p == ',') {
			p++;
			n--;
		}
	}
	if (cfg->nendpoints == 0) {
		snprintf(err, len, "the store URI names no etcd member");
		return false;
	}
	return true;
}

static void prefix_of(const char *uri, char *buf, size_t len)
{
	const char *p = uri + strlen("etcd://");
	p += strcspn(p, "/?");
	size_t n = *p == '/' ? strcspn(p, "?") : 0;

	while (n > 1 && p[n - 1] == '/')
		n--;
	if (n <= 1)
		snprintf(buf, len, "%s", ES_DEFAULT_PREFIX);
	else
		snprintf(buf, len, "%.*s", (int)n, p);
}

/* The actor: node=<id> (or user=pgkeel-node-<id>) a data node,
 * role=operator the operator's rights alone, else (role=monitor, or
 * nothing said) everything, as etcd's root user may do anyway. */
static bool actor_of(const char *uri, StoreActor *a, char *err, size_t len)
{
	char role[32] = "", node[32] = "", user[64] = "";

	uri_get_param(uri, "role", role, sizeof(role));
	uri_get_param(uri, "node", node, sizeof(node));
	uri_get_param(uri, "user", user, sizeof(user));
	size_t n = strlen(ETCDSTORE_NODE_USER_PREFIX);

	if (!node[0] && strncmp(user, ETCDSTORE_NODE_USER_PREFIX, n) == 0)
		snprintf(node, sizeof(node), "%s", user + n);
	a->role = ACTOR_MONITOR;
	a->node_id = 0;
	if (strcmp(role, "operator") == 0)
		a->role = ACTOR_OPERATOR;
	else if (node[0] && atoi(node) > 0) {
		a->role = ACTOR_NODE;
		a->node_id = atoi(node);
	} else if ((role[0] && strcmp(role, "monitor") != 0) || node[0]) {
		snprintf(err, len, "the store URI's role= is monitor or "
				   "operator, node= a node id");
		return false;
	}
	return true;
}

bool es_parse_uri(const char *uri, const SslSpec *ssl, EtcdConfig *cfg,
		  EtcdHandle *h, char *err, size_t len)
{
	char ttl[16] = "";

	memset(cfg, 0, sizeof(*cfg));
	uri_get_param(uri, "cacert", cfg->cacert, sizeof(cfg->cacert));
	uri_get_param(uri, "cert", cfg->cert, sizeof(cfg->cert));
	uri_get_param(uri, "key", cfg->key, sizeof(cfg->key));
	/* a node's [ssl] files are its Postgres' (the server certificate,
	 * the CA of its peers), not a client's toward etcd: the URI alone
	 * says how to reach etcd */
	(void)ssl;
	uri_get_param(uri, "user", cfg->user, sizeof(cfg->user));
	uri_get_param(uri, "passfile", cfg->passfile, sizeof(cfg->passfile));
	if (uri_get_param(uri, "password", ttl, sizeof(ttl))) {
		snprintf(err, len, "the store URI must not hold a password: "
				   "name a file with passfile=");
		return false;
	}
	bool tls = cfg->cacert[0] || cfg->cert[0] || cfg->key[0];
	if (!members(uri, cfg, tls, err, len) || !actor_of(uri, &h->actor, err,
							   len))
		return false;
	prefix_of(uri, h->prefix, sizeof(h->prefix));
	h->lease_ttl_s = ES_DEFAULT_LEASE_TTL_S;
	if (uri_get_param(uri, "lease_ttl", ttl, sizeof(ttl)))
		h->lease_ttl_s = atoi(ttl);
	if (h->lease_ttl_s < 1 || h->lease_ttl_s > 60) {
		snprintf(err, len, "lease_ttl= is a number of seconds, 1 to 60");
		return false;
	}
	return true;
}
