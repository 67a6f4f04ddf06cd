/*
 * tlscert.c - self-signed certificates with libcrypto (OpenSSL 3).
 */
#include "common/tlscert.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fsutil.h"

static void ssl_error(char *err, size_t errlen, const char *what)
{
	char detail[256];
	unsigned long e = ERR_get_error();

	ERR_error_string_n(e, detail, sizeof(detail));
	snprintf(err, errlen, "%s: %s", what, e ? detail : "unknown error");
	ERR_clear_error();
}

static bool is_ip(const char *host)
{
	unsigned char tmp[16];
	return inet_pton(AF_INET, host, tmp) == 1 ||
	       inet_pton(AF_INET6, host, tmp) == 1;
}

static bool add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	bool ok = ext && X509_add_ext(x, ext, -1) == 1;
	X509_EXTENSION_free(ext);
	return ok;
}

static bool set_serial(X509 *x)
{
	BIGNUM *bn = BN_new();
	bool ok = bn && BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) &&
		  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
	BN_free(bn);
	return ok;
}

static bool set_names(X509 *x, const char *host)
{
	X509_NAME *name = X509_get_subject_name(x);
	char cn[65];

	snprintf(cn, sizeof(cn), "%s", host); /* a CN holds 64 at most */
	return X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
					  (const unsigned char *)"pgkeel", -1,
					  -1, 0) == 1 &&
	       X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					  (const unsigned char *)cn, -1, -1,
					  0) == 1 &&
	       X509_set_issuer_name(x, name) == 1;
}

static X509 *make_cert(EVP_PKEY *key, const char *host, int days)
{
	X509 *x = X509_new();
	char san[300];

	snprintf(san, sizeof(san), "%s:%s", is_ip(host) ? "IP" : "DNS", host);
	bool ok = x && X509_set_version(x, 2) == 1 && set_serial(x) &&
		  X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
		  X509_time_adj_ex(X509_getm_notAfter(x), days, 0, NULL) &&
		  X509_set_pubkey(x, key) == 1 && set_names(x, host) &&
		  add_ext(x, NID_basic_constraints, "critical,CA:FALSE") &&
		  add_ext(x, NID_key_usage,
			  "critical,digitalSignature,keyEncipherment") &&
		  add_ext(x, NID_ext_key_usage, "serverAuth") &&
		  add_ext(x, NID_subject_key_identifier, "hash") &&
		  add_ext(x, NID_subject_alt_name, san) &&
		  X509_sign(x, key, EVP_sha256()) > 0;
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* Writes what a PEM writer puts in a memory BIO to path, atomically. */
static bool write_bio(BIO *bio, const char *path, mode_t mode, char *err,
		      size_t errlen)
{
	char *data = NULL;
	long len = BIO_get_mem_data(bio, &data);

	if (len > 0 && fs_write_file_atomic(path, data, (size_t)len, mode))
		return true;
	snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	return false;
}

bool tlscert_self_signed(const char *host, int days, const char *cert_path,
			 const char *key_path, char *err, size_t errlen)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *cert = key ? make_cert(key, host, days) : NULL;
	BIO *kbio = BIO_new(BIO_s_mem()), *cbio = BIO_new(BIO_s_mem());
	bool ok = false;

	if (!key || !cert || !kbio || !cbio)
		ssl_error(err, errlen, "cannot make a self-signed certificate");
	else if (PEM_write_bio_PrivateKey(kbio, key, NULL, NULL, 0, NULL,
					  NULL) != 1 ||
		 PEM_write_bio_X509(cbio, cert) != 1)
		ssl_error(err, errlen, "cannot encode the certificate");
	else
		ok = write_bio(kbio, key_path, 0600, err, errlen) &&
		     write_bio(cbio, cert_path, 0644, err, errlen);
	BIO_free(kbio);
	BIO_free(cbio);
	X509_free(cert);
	EVP_PKEY_free(key);
	return ok;
}

static bool key_private(const char *key_path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(key_path, &st) != 0) {
		snprintf(err, errlen, "cannot read the server key %s: %s",
			 key_path, strerror(errno));
		return false;
	}
	if ((st.st_mode & 077) == 0)
		return true;
	snprintf(err, errlen,
		 "the server key %s can be read by other users (mode %04o): "
		 "Postgres refuses it; run `chmod 600 %s`",
		 key_path, (unsigned)(st.st_mode & 07777), key_path);
	return false;
}

static X509 *read_cert(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

	if (f)
		fclose(f);
	if (!f)
		snprintf(err, errlen, "cannot read the server certificate "
				      "%s: %s", path, strerror(errno));
	else if (!x)
		ssl_error(err, errlen, "the server certificate is not a PEM "
				       "certificate");
	return x;
}

static EVP_PKEY *read_key(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;

	if (f)
		fclose(f);
	if (!f)
		snprintf(err, errlen, "cannot read the server key %s: %s",
			 path, strerror(errno));
	else if (!k)
		ssl_error(err, errlen, "the server key is not an unencrypted "
				       "PEM private key");
	return k;
}

bool tlscert_check_pair(const char *cert_path, const char *key_path,
			char *err, size_t errlen)
{
	if (!key_private(key_path, err, errlen))
		return false;
	X509 *cert = read_cert(cert_path, err, errlen);
	EVP_PKEY *key = cert ? read_key(key_path, err, errlen) : NULL;
	bool ok = cert && key && X509_check_private_key(cert, key) == 1;

	if (cert && key && !ok) {
		snprintf(err, errlen, "the server key %s does not belong to "
				      "the certificate %s",
			 key_path, cert_path);
		ERR_clear_error();
	}
	EVP_PKEY_free(key);
	X509_free(cert);
	return ok;
}
