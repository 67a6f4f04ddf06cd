/*
 * test_tlscert.c - a self-signed pair made with libcrypto, checked with
 * OpenSSL: the key matches the certificate, the subjectAltName names the
 * host, the key is private, and mismatched or exposed keys are refused.
 */
#include "unit.h"
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/tlscert.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pgkeel-tlscert-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	return fs_remove_tree(dir) ? 0 : -1;
}

static X509 *load_cert(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(x);
	return x;
}

static EVP_PKEY *load_key(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(k);
	return k;
}

static void paths(const char *name, char *cert, char *key, size_t len)
{
	snprintf(cert, len, "%s/%s.crt", dir, name);
	snprintf(key, len, "%s/%s.key", dir, name);
}

static void makes_a_pair_for_an_ip(void **state)
{
	char cert[128], key[128], err[512];
	struct stat st;
	(void)state;

	paths("ip", cert, key, sizeof(cert));
	assert_true(tlscert_self_signed("127.0.0.1", TLSCERT_DAYS, cert, key,
					err, sizeof(err)));
	X509 *x = load_cert(cert);
	EVP_PKEY *k = load_key(key);
	assert_int_equal(X509_check_private_key(x, k), 1);
	assert_int_equal(X509_verify(x, k), 1); /* self-signed */
	assert_int_equal(X509_check_ip_asc(x, "127.0.0.1", 0), 1);
	assert_int_not_equal(X509_check_ip_asc(x, "127.0.0.2", 0), 1);
	/* valid now and for about ten years */
	time_t in9y = time(NULL) + 9L * 365 * 86400;
	assert_true(X509_cmp_current_time(X509_get0_notBefore(x)) < 0);
	assert_true(X509_cmp_time(X509_get0_notAfter(x), &in9y) > 0);
	assert_int_equal(stat(key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(tlscert_check_pair(cert, key, err, sizeof(err)));
	EVP_PKEY_free(k);
	X509_free(x);
}

static void makes_a_pair_for_a_name(void **state)
{
	char cert[128], key[128], err[512];
	(void)state;

	paths("dns", cert, key, sizeof(cert));
	assert_true(tlscert_self_signed("db-1.example", 30, cert, key, err,
					sizeof(err)));
	X509 *x = load_cert(cert);
	GENERAL_NAMES *san = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
					      NULL);
	assert_non_null(san);
	assert_int_equal(sk_GENERAL_NAME_num(san), 1);
	assert_int_equal(sk_GENERAL_NAME_value(san, 0)->type, GEN_DNS);
	GENERAL_NAMES_free(san);
	assert_int_equal(X509_check_host(x, "db-1.example", 0, 0, NULL), 1);
	assert_int_not_equal(X509_check_host(x, "db-2.example", 0, 0, NULL),
			     1);
	X509_free(x);
}

static void refuses_bad_pairs(void **state)
{
	char c1[128], k1[128], c2[128], k2[128], err[512];
	(void)state;

	paths("one", c1, k1, sizeof(c1));
	paths("two", c2, k2, sizeof(c2));
	assert_true(tlscert_self_signed("localhost", 1, c1, k1, err,
					sizeof(err)));
	assert_true(tlscert_self_signed("localhost", 1, c2, k2, err,
					sizeof(err)));
	assert_false(tlscert_check_pair(c1, k2, err, sizeof(err)));
	assert_non_null(strstr(err, "does not belong"));
	assert_int_equal(chmod(k1, 0644), 0);
	assert_false(tlscert_check_pair(c1, k1, err, sizeof(err)));
	assert_non_null(strstr(err, "chmod 600"));
	assert_false(tlscert_check_pair(k2, k2, err, sizeof(err)));
	assert_non_null(strstr(err, "not a PEM certificate"));
}

UNIT_MAIN(make_dir, remove_dir,
	  cmocka_unit_test(makes_a_pair_for_an_ip),
	  cmocka_unit_test(makes_a_pair_for_a_name),
	  cmocka_unit_test(refuses_bad_pairs))
