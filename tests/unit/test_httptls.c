/*
 * test_httptls.c - which certificate the HTTP API serves: the node's
 * pair when http.tls is on, nothing (plain HTTP) when it is off or the
 * node has no certificate, and a clear refusal of half a pair or of a
 * key that does not belong to the certificate.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/fsutil.h"
#include "common/tlscert.h"
#include "http/httptls.h"

static char dir[64], cert1[128], key1[128], cert2[128], key2[128];

static int make_pairs(void **state)
{
	char err[256];
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pgkeel-httptls-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(cert1, sizeof(cert1), "%s/1.crt", dir);
	snprintf(key1, sizeof(key1), "%s/1.key", dir);
	snprintf(cert2, sizeof(cert2), "%s/2.crt", dir);
	snprintf(key2, sizeof(key2), "%s/2.key", dir);
	return tlscert_self_signed("127.0.0.1", 1, cert1, key1, err,
				   sizeof(err)) &&
			       tlscert_self_signed("127.0.0.1", 1, cert2, key2,
						   err, sizeof(err))
		       ? 0
		       : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	return fs_remove_tree(dir) ? 0 : -1;
}

static bool load(const char *tls, const char *cert, const char *key,
		 HttpTls *out, char *err, size_t errlen)
{
	Config cfg;
	config_init(&cfg);
	if (tls)
		assert_true(config_set(&cfg, S_HTTP_TLS, tls, err, errlen));
	if (cert)
		assert_true(config_set(&cfg, S_SSL_CERT_FILE, cert, err,
				       errlen));
	if (key)
		assert_true(config_set(&cfg, S_SSL_KEY_FILE, key, err, errlen));
	bool ok = http_tls_load(&cfg, out, err, errlen);
	config_free(&cfg);
	return ok;
}

static void serves_the_node_pair(void **state)
{
	HttpTls t;
	char err[512];
	(void)state;

	assert_true(load(NULL, cert1, key1, &t, err, sizeof(err)));
	assert_non_null(t.cert_pem);
	assert_non_null(strstr(t.cert_pem, "BEGIN CERTIFICATE"));
	assert_non_null(strstr(t.key_pem, "PRIVATE KEY"));
	http_tls_free(&t);
	assert_null(t.cert_pem);
	assert_null(t.key_pem);
}

static void plain_when_off_or_without_a_certificate(void **state)
{
	HttpTls t;
	char err[512];
	(void)state;

	assert_true(load("false", cert1, key1, &t, err, sizeof(err)));
	assert_null(t.cert_pem);
	assert_true(load(NULL, NULL, NULL, &t, err, sizeof(err)));
	assert_null(t.cert_pem);
}

static void refuses_half_a_pair_and_a_foreign_key(void **state)
{
	HttpTls t;
	char err[512];
	(void)state;

	assert_false(load(NULL, cert1, NULL, &t, err, sizeof(err)));
	assert_non_null(strstr(err, "only ssl.cert_file is set"));
	assert_false(load(NULL, cert1, key2, &t, err, sizeof(err)));
	assert_non_null(strstr(err, key2));
	assert_null(t.cert_pem);
	assert_false(load(NULL, "/nonexistent/x.crt", key1, &t, err,
			  sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/x.crt"));
}

UNIT_MAIN(make_pairs, remove_dir,
	  cmocka_unit_test(serves_the_node_pair),
	  cmocka_unit_test(plain_when_off_or_without_a_certificate),
	  cmocka_unit_test(refuses_half_a_pair_and_a_foreign_key))
