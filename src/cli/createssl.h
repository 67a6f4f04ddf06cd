/*
 * createssl.h - the TLS flags of `pgkeel create monitor` and `pgkeel
 * create postgres`: --ssl-self-signed (the default), --server-cert and
 * --server-key with --ssl-ca-file / --ssl-crl-file / --ssl-mode, or
 * --no-ssl.
 */
#ifndef PGK_CREATESSL_H
#define PGK_CREATESSL_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/flags.h"
#include "common/config.h"

/* The flags' definitions, for both create commands' tables. */
#define CREATESSL_FLAGS                                                    \
	FLAG_SWITCH("ssl-self-signed",                                     \
		    "make a key and a self-signed certificate for "       \
		    "--hostname (the default)"),                           \
		FLAG_OF(S_SSL_CERT_FILE), FLAG_OF(S_SSL_KEY_FILE),         \
		FLAG_OF(S_SSL_CA_FILE), FLAG_OF(S_SSL_CRL_FILE),           \
		FLAG_OF(S_SSL_MODE),                                       \
		FLAG_SWITCH("no-ssl", "no TLS at all (unencrypted; only "  \
				      "on a trusted network)")

/*
 * Checks the TLS flags, makes the self-signed certificate when the node
 * has none, and sets ssl.* in cfg (ssl.mode always, so the node's file
 * says what it uses). For a data node, also checks that its TLS fits the
 * monitor's (the sslmode of --monitor). True when cfg is set; false with
 * err saying what is wrong and what to do.
 */
bool createssl_apply(const Flags *flags, Config *cfg, char *err,
		     size_t errlen);

#endif
