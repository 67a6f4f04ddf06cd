/*
 * conninfo.c - libpq keyword/value strings and URIs, with correct quoting.
 */
#define _GNU_SOURCE /* open_memstream is POSIX 2008; asprintf is GNU */
#include "common/conninfo.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"

char *conninfo_quote(const char *value)
{
	size_t len = strlen(value);
	char *out = malloc(len * 2 + 3);
	char *p = out;

	if (!out)
		return NULL;
	*p++ = '\'';
	for (const char *s = value; *s; s++) {
		if (*s == '\'' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	*p++ = '\'';
	*p = '\0';
	return out;
}

char *conninfo_append(char *conninfo, const char *key, const char *value)
{
	char *quoted = conninfo_quote(value);
	char *out = NULL;
	const char *base = conninfo ? conninfo : "";

	if (quoted && asprintf(&out, "%s%s%s=%s", base, *base ? " " : "", key,
			       quoted) < 0)
		out = NULL;
	free(quoted);
	free(conninfo);
	return out;
}

char *uri_encode(const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(text) * 3 + 1);
	char *p = out;

	if (!out)
		return NULL;
	for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
		if (isalnum(*s) || strchr("-._~", *s)) {
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

static void put_encoded(FILE *f, const char *text)
{
	char *enc = uri_encode(text);
	if (enc)
		fputs(enc, f);
	free(enc);
}

static void put_host(FILE *f, const HostPort *hp)
{
	if (strchr(hp->host, ':')) {
		/* IPv6 literal; libpq decodes it, so a zone's '%' (or any
		 * other odd character) is written percent-encoded */
		fputc('[', f);
		for (const char *p = hp->host; *p; p++) {
			if (isalnum((unsigned char)*p) || *p == ':' || *p == '.')
				fputc(*p, f);
			else
				fprintf(f, "%%%02X", (unsigned char)*p);
		}
		fputc(']', f);
	} else
		put_encoded(f, hp->host);
	if (hp->port > 0)
		fprintf(f, ":%d", hp->port);
}

char *uri_build(const HostPort *hosts, size_t nhosts, const char *user,
		const char *dbname, const char *const *params)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs("postgres://", f);
	if (user && *user) {
		put_encoded(f, user);
		fputc('@', f);
	}
	for (size_t i = 0; i < nhosts; i++) {
		if (i > 0)
			fputc(',', f);
		put_host(f, &hosts[i]);
	}
	fputc('/', f);
	if (dbname)
		put_encoded(f, dbname);
	for (size_t i = 0; params && params[i] && params[i + 1]; i += 2) {
		fputc(i == 0 ? '?' : '&', f);
		put_encoded(f, params[i]);
		fputc('=', f);
		put_encoded(f, params[i + 1]);
	}
	fs_memstream_close(f, &buf);
	return buf;
}
