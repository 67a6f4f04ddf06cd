/*
 * sslconn.c - resolving a node's [ssl] settings and adding them to
 * connection strings and URIs.
 */
#define _GNU_SOURCE /* asprintf */
#include "common/sslconn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conninfo.h"
#include "common/fsutil.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")


void sslspec_from_config(const Config *cfg, SslSpec *ssl)
{
	memset(ssl, 0, sizeof(*ssl));
	COPY(ssl->ca_file, config_get(cfg, S_SSL_CA_FILE));
	COPY(ssl->crl_file, config_get(cfg, S_SSL_CRL_FILE));
	COPY(ssl->cert_file, config_get(cfg, S_SSL_CERT_FILE));
	COPY(ssl->key_file, config_get(cfg, S_SSL_KEY_FILE));
	if (config_is_set(cfg, S_SSL_MODE))
		COPY(ssl->mode, config_get(cfg, S_SSL_MODE));
	else if (ssl->ca_file[0])
		COPY(ssl->mode, "verify-full");
	else if (ssl->cert_file[0])
		COPY(ssl->mode, config_get(cfg, S_SSL_MODE)); /* require */
	else
		COPY(ssl->mode, "prefer");
}

bool sslspec_server_on(const SslSpec *ssl)
{
	return ssl && ssl->cert_file[0] && ssl->key_file[0] &&
	       strcmp(ssl->mode, "disable") != 0;
}

char *conninfo_append_ssl(char *conninfo, const SslSpec *ssl)
{
	if (!conninfo || !ssl || !ssl->mode[0])
		return conninfo;
	conninfo = conninfo_append(conninfo, "sslmode", ssl->mode);
	if (conninfo && ssl->ca_file[0] && strcmp(ssl->mode, "disable") != 0)
		conninfo = conninfo_append(conninfo, "sslrootcert",
					   ssl->ca_file);
	if (conninfo && ssl->crl_file[0] && strcmp(ssl->mode, "disable") != 0)
		conninfo = conninfo_append(conninfo, "sslcrl", ssl->crl_file);
	return conninfo;
}

/* Query values keep '/' and ':' readable (RFC 3986 allows them there);
 * everything else outside the unreserved set is percent-encoded. */
static char *encode_value(const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(text) * 3 + 1), *p = out;

	if (!out)
		return NULL;
	for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
		if (isalnum(*s) || strchr("-._~/:", *s)) {
			*p++ = (char)*s;
		} else {
			*p++ = '%';
			*p++ = hex[*s >> 4];
			*p++ = hex[*s & 15];
		}
	}
	*p = '\0';
	return out;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void decode_into(const char *s, size_t n, char *buf, size_t len)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < len; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			buf[k++] = (char)(hexval(s[i + 1]) * 16 +
					  hexval(s[i + 2]));
			i += 2;
		} else {
			buf[k++] = s[i];
		}
	}
	if (len)
		buf[k] = '\0';
}

/* Whether the query item [item, item+n) is "key=..." (or "key"). */
static bool item_is(const char *item, size_t n, const char *key)
{
	size_t klen = strlen(key);
	return n >= klen && strncmp(item, key, klen) == 0 &&
	       (n == klen || item[klen] == '=');
}

bool uri_get_param(const char *uri, const char *key, char *buf, size_t len)
{
	const char *q = strchr(uri, '?');

	for (const char *item = q ? q + 1 : NULL; item && *item;) {
		const char *amp = strchr(item, '&');
		size_t n = amp ? (size_t)(amp - item) : strlen(item);
		if (item_is(item, n, key)) {
			size_t klen = strlen(key);
			size_t vlen = n > klen ? n - klen - 1 : 0;
			decode_into(item + n - vlen, vlen, buf, len);
			return true;
		}
		item = amp ? amp + 1 : NULL;
	}
	return false;
}

char *uri_set_param(char *uri, const char *key, const char *value)
{
	char *enc = !uri ? NULL : value ? encode_value(value) : strdup("");
	char *out = NULL, *rest = NULL;
	size_t len = 0;
	FILE *f = enc ? open_memstream(&out, &len) : NULL;

	if (!f) {
		free(enc);
		free(uri);
		return NULL;
	}
	char *q = strchr(uri, '?');
	if (q)
		*q = '\0';
	fputs(uri, f);
	char sep = '?';
	for (char *item = q ? strtok_r(q + 1, "&", &rest) : NULL; item;
	     item = strtok_r(NULL, "&", &rest)) {
		if (item_is(item, strlen(item), key))
			continue;
		fprintf(f, "%c%s", sep, item);
		sep = '&';
	}
	if (value)
		fprintf(f, "%c%s=%s", sep, key, enc);
	fs_memstream_close(f, &out);
	free(enc);
	free(uri);
	return out;
}

char *uri_append_ssl(char *uri, const SslSpec *ssl)
{
	if (!uri || !ssl || !ssl->mode[0])
		return uri;
	uri = uri_set_param(uri, "sslmode", ssl->mode);
	if (uri && ssl->ca_file[0] && strcmp(ssl->mode, "disable") != 0)
		uri = uri_set_param(uri, "sslrootcert", ssl->ca_file);
	if (uri && ssl->crl_file[0] && strcmp(ssl->mode, "disable") != 0)
		uri = uri_set_param(uri, "sslcrl", ssl->crl_file);
	return uri;
}
