/*
 * httptls.c - reading the HTTP API's certificate and key (httptls.h).
 * The pair is checked with the same function `create` uses, so a wrong
 * file is reported at start with its name rather than as a server that
 * does not listen.
 */
#include "http/httptls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/tlscert.h"

static bool is_set(const char *v)
{
	return v && *v;
}

static char *read_pem(const char *setting, const char *path, char *err,
		      size_t errlen)
{
	char *pem = fs_read_file(path, NULL);

	if (!pem)
		snprintf(err, errlen,
			 "%s %s: cannot read it (http.tls is on: fix the "
			 "file, or set http.tls to false for plain HTTP)",
			 setting, path);
	return pem;
}

bool http_tls_load(const Config *cfg, HttpTls *out, char *err,
		   size_t errlen)
{
	const char *cert = config_get(cfg, S_SSL_CERT_FILE);
	const char *key = config_get(cfg, S_SSL_KEY_FILE);

	memset(out, 0, sizeof(*out));
	if (!config_get_bool(cfg, S_HTTP_TLS) ||
	    (!is_set(cert) && !is_set(key)))
		return true;
	if (!is_set(cert) || !is_set(key)) {
		snprintf(err, errlen,
			 "http.tls needs both ssl.cert_file and ssl.key_file "
			 "(only %s is set)",
			 is_set(cert) ? "ssl.cert_file" : "ssl.key_file");
		return false;
	}
	if (!tlscert_check_pair(cert, key, err, errlen))
		return false;
	out->cert_pem = read_pem("ssl.cert_file", cert, err, errlen);
	out->key_pem = out->cert_pem ? read_pem("ssl.key_file", key, err,
						errlen)
				     : NULL;
	if (!out->key_pem) {
		http_tls_free(out);
		return false;
	}
	return true;
}

void http_tls_free(HttpTls *t)
{
	if (t->key_pem)
		explicit_bzero(t->key_pem, strlen(t->key_pem));
	free(t->key_pem);
	free(t->cert_pem);
	t->key_pem = t->cert_pem = NULL;
}
