/*
 * sslconn.h - the TLS side of the connections pgkeel makes and admits.
 *
 * An SslSpec is a node's [ssl] settings resolved once: the sslmode its
 * connections use (verify-full when a CA is configured and no mode is
 * given), the CA and CRL they verify against, and the certificate and key
 * its own Postgres serves. Every libpq connection string or URI pgkeel
 * builds for another host goes through conninfo_append_ssl or
 * uri_append_ssl, so the settings apply the same way everywhere.
 */
#ifndef PGK_SSLCONN_H
#define PGK_SSLCONN_H

#include <stdbool.h>
#include <stddef.h>

#include "common/config.h"

typedef struct {
	char mode[16];        /* libpq sslmode of outgoing connections */
	char ca_file[1024];   /* "" none: sslrootcert, ssl_ca_file */
	char crl_file[1024];  /* "" none: sslcrl, ssl_crl_file */
	char cert_file[1024]; /* "" none: this server's certificate */
	char key_file[1024];  /* "" none: its private key */
} SslSpec;

/*
 * Resolves cfg's [ssl] settings. The mode is ssl.mode when set; else
 * verify-full with a CA, require with a server certificate, and libpq's
 * "prefer" for a node that has no TLS settings at all (one not made by
 * `pgkeel create`, which always writes ssl.mode).
 */
void sslspec_from_config(const Config *cfg, SslSpec *ssl);

/* True when this node's Postgres serves TLS (certificate and key given,
 * mode not "disable"); false otherwise or for a NULL ssl. */
bool sslspec_server_on(const SslSpec *ssl);

/*
 * Appends sslmode, and sslrootcert / sslcrl when set, to a keyword/value
 * string (conninfo_append: the string is freed, a new one returned, NULL
 * when out of memory). A NULL ssl leaves conninfo unchanged.
 */
char *conninfo_append_ssl(char *conninfo, const SslSpec *ssl);

/*
 * Sets sslmode, and sslrootcert / sslcrl when set, as query parameters of
 * a postgres:// URI, replacing those the URI already has. Frees uri and
 * returns a new malloc'd string (NULL when out of memory).
 */
char *uri_append_ssl(char *uri, const SslSpec *ssl);

/* Sets one query parameter of a URI (replacing it; value NULL removes
 * it); frees uri. Returns the new malloc'd URI; NULL when uri is NULL
 * or memory ran out. */
char *uri_set_param(char *uri, const char *key, const char *value);
/* The decoded value of a URI's query parameter into buf (cut to fit);
 * true when the URI has it, false if absent (buf untouched). */
bool uri_get_param(const char *uri, const char *key, char *buf, size_t len);


#endif
