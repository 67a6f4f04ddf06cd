/*
 * store_identity.h - a data node's own credential to the store
 * (store_identity.c): the user, URI and password file a node reaches
 * the store with, made from the URI it registered with.
 */
#ifndef PGK_STORE_IDENTITY_H
#define PGK_STORE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

/*
 * store_node_user: the
 * store user node_id's passfile holds the password of, into buf.
 * store_node_uri: the URI node_id reaches the store with, made from the
 * one it registered with (its own user, no passfile). A malloc'd string,
 * NULL with err set (a URI that does not parse, out of memory).
 * store_uri_with_passfile: uri naming passfile as where its user's
 * password is (unchanged for an etcd URI without a user: etcd's
 * authentication off); malloc'd, NULL with err set.
 */
void store_node_user(const char *uri, int node_id, char *buf, size_t len);
char *store_node_uri(const char *uri, int node_id, char *err, size_t errlen);
char *store_uri_with_passfile(const char *uri, const char *passfile,
			      char *err, size_t errlen);
/* True when uri names a password or passfile itself (an operator's),
 * which a node's own then does not replace; false otherwise. */
bool store_uri_has_credential(const char *uri);

#endif
