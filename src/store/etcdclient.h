/*
 * etcdclient.h - a client of etcd v3's HTTP/JSON gateway (libcurl,
 * jansson): unary calls (/v3/kv/range, put, txn, deleterange, lease
 * grant/keepalive/revoke, auth) to a list of members, moving on to the
 * next one when a member fails, within the call's deadline; TLS and
 * password authentication (docs/etcd.md); helpers for the JSON the
 * gateway speaks (keys and values base64, numbers as strings). The
 * streaming watch is etcdwatch.h.
 */
#ifndef PGK_ETCDCLIENT_H
#define PGK_ETCDCLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define ETCD_MAX_ENDPOINTS 8

typedef struct {
	char endpoints[ETCD_MAX_ENDPOINTS][280]; /* http(s)://host:port */
	size_t nendpoints;
	char cacert[1024], cert[1024], key[1024]; /* "" none */
	char user[64];      /* "" no authentication */
	char passfile[1024]; /* the user's password alone, mode 0600 */
} EtcdConfig;

typedef struct EtcdClient EtcdClient;

/* A client of cfg's members (nothing is sent yet); NULL with err set
 * when out of memory or the password file cannot be read (never the
 * password itself in err). */
EtcdClient *etcd_client_new(const EtcdConfig *cfg, char *err, size_t len);
/* Frees c (NULL: nothing). */
void etcd_client_free(EtcdClient *c);
/* The configuration c was made with (never NULL). */
const EtcdConfig *etcd_client_config(const EtcdClient *c);
/* The index of the member that answered last (0 before any). */
size_t etcd_client_member(const EtcdClient *c);
/* The token of the last authentication ("" none: never NULL). */
const char *etcd_client_token(const EtcdClient *c);
/* True when c may send calls as they are: it has a token, or no user,
 * or etcd's authentication is off; false before it authenticated. */
bool etcd_client_ready(const EtcdClient *c);
/* Sets a curl handle's TLS options for c's members (a CURL *). */
void etcd_client_tls(const EtcdClient *c, void *curl);

/*
 * POSTs body (a reference taken) to path ("/v3/kv/range"...) of the
 * first member that answers, by deadline_ms (monotonic), authenticating
 * first when a user is set and again when the token expired. The
 * answer's object (the caller's reference), or NULL with *f and err set:
 * STORE_UNAVAILABLE (no member answered in time, or etcd's own
 * unavailability), STORE_REFUSED (permission denied, an invalid
 * request).
 */
json_t *etcd_call(EtcdClient *c, const char *path, json_t *body,
		  int64_t deadline_ms, StoreFailure *f, char *err,
		  size_t len);
/* The header's revision of an answer (0 when absent). */
int64_t etcd_revision(const json_t *answer);

/* The gateway's spelling of a key or value: base64 as a JSON string
 * (a new reference; NULL when out of memory). */
json_t *etcd_b64(const char *data, size_t n);
/* A base64 field of obj ("key", "value") decoded into a malloc'd,
 * NUL-terminated string; "" when absent; NULL when out of memory or not
 * base64. */
char *etcd_field(const json_t *obj, const char *name);
/* An int64 field of obj, which the gateway writes as a string ("12");
 * 0 when absent. */
int64_t etcd_int(const json_t *obj, const char *name);
/* The end of the range of every key that starts with prefix, into buf
 * (prefix with its last byte plus one); false when it does not fit. */
bool etcd_prefix_end(const char *prefix, char *buf, size_t len);

/* Request parts, each a new reference (NULL when out of memory):
 * etcd_range (one key, or every key under it with prefix),
 * etcd_op_put (lease 0: none), etcd_op_delete (one key or a prefix),
 * etcd_op_range, and compares: etcd_cmp_int on "MOD", "CREATE" or
 * "VERSION" equal to v, etcd_cmp_value equal to value. */
json_t *etcd_range(const char *key, bool prefix);
json_t *etcd_op_put(const char *key, const char *value, int64_t lease);
json_t *etcd_op_delete(const char *key, bool prefix);
json_t *etcd_op_range(const char *key, bool prefix);
json_t *etcd_cmp_int(const char *key, const char *target, int64_t v);
json_t *etcd_cmp_value(const char *key, const char *value);

#endif
