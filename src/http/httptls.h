/*
 * httptls.h - the certificate and key the HTTP API serves HTTPS with:
 * the node's own (ssl.cert_file, ssl.key_file, as Postgres serves), read
 * into memory for libmicrohttpd when http.tls is on.
 */
#ifndef PGK_HTTPTLS_H
#define PGK_HTTPTLS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/config.h"

typedef struct {
	char *cert_pem; /* NULL: plain HTTP */
	char *key_pem;
} HttpTls;

/*
 * Reads the pair when http.tls is on and the node has a certificate;
 * leaves both NULL for plain HTTP. False with err naming the file and
 * what is wrong with it (unreadable, not a pair, key readable by others).
 */
bool http_tls_load(const Config *cfg, HttpTls *out, char *err,
		   size_t errlen);
/* Wipes the key from memory and frees both. */
void http_tls_free(HttpTls *t);

#endif
