/*
 * etcdstore.h - the etcd store driver: store_driver.h's contract over etcd
 * v3's HTTP/JSON gateway (docs/etcd.md: the URI, the key layout, the
 * lease). etcd holds the consensus; pgkeel only reads and writes keys,
 * each change one transaction with compares.
 */
#ifndef PGK_ETCDSTORE_H
#define PGK_ETCDSTORE_H

#include <stddef.h>

#include "store/store.h"

/* A data node's own etcd user (and role): this, then its id
 * (docs/etcd.md, "Access control"). */
#define ETCDSTORE_NODE_USER_PREFIX "pgkeel-node-"

/*
 * Opens a handle on the etcd store uri names
 * ("etcd://h1:2379,h2:2379/prefix?..."); ssl is not used (a node's
 * [ssl] files are its Postgres'; the URI's cacert=, cert=, key= say how
 * to reach etcd). Nothing is
 * sent yet (the first call connects, and authenticates when the URI
 * names a user). NULL with
 * err set: a URI that does not parse, a password file that cannot be
 * read or that others can read, or out of memory.
 */
Store *etcdstore_open(const char *uri, const SslSpec *ssl, int timeout_ms,
		      char *err, size_t errlen);

#endif
