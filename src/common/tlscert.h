/*
 * tlscert.h - a private key and a self-signed server certificate made
 * with OpenSSL's libcrypto (no openssl program needed), and a check that
 * a certificate and a key belong together.
 *
 * The key is an EC P-256 key written as PEM with mode 0600 (Postgres
 * refuses a key others can read); the certificate names the host in its
 * subjectAltName (an IP address or a DNS name) and in its common name.
 */
#ifndef PGK_TLSCERT_H
#define PGK_TLSCERT_H

#include <stdbool.h>
#include <stddef.h>

#define TLSCERT_DAYS 3650 /* about 10 years */

/* Writes key_path (0600) and cert_path (0644), each atomically. True
 * when both are written; false with err set (what could not be made,
 * encoded or written, with OpenSSL's reason); the key may be written
 * when only the certificate failed. */
bool tlscert_self_signed(const char *host, int days, const char *cert_path,
			 const char *key_path, char *err, size_t errlen);

/*
 * Checks that cert_path holds a PEM certificate, key_path its private
 * key, and that the key is not readable by group or others. True when
 * all hold; false with err saying which of these is wrong and what to
 * do.
 */
bool tlscert_check_pair(const char *cert_path, const char *key_path,
			char *err, size_t errlen);

#endif
