/*
 * httpauth.c - reading the HTTP API's credentials file and comparing
 * what a request presents without leaking where they differ.
 */
#include "http/httpauth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/passfile.h"

static bool fits(size_t n, size_t max)
{
	return n > 0 && n < max;
}

bool http_auth_parse(const char *line, HttpAuth *out, char *err,
		     size_t errlen)
{
	size_t n = strcspn(line, "\r\n");

	memset(out, 0, sizeof(*out));
	if (n > 6 && strncmp(line, "token ", 6) == 0 &&
	    fits(n - 6, sizeof(out->secret))) {
		out->kind = HTTP_AUTH_TOKEN;
		memcpy(out->secret, line + 6, n - 6);
		return true;
	}
	const char *colon = memchr(line, ':', n);
	if (n > 6 && strncmp(line, "basic ", 6) == 0 && colon &&
	    fits((size_t)(colon - line - 6), sizeof(out->user)) &&
	    fits((size_t)(line + n - colon - 1), sizeof(out->secret))) {
		out->kind = HTTP_AUTH_BASIC;
		memcpy(out->user, line + 6, (size_t)(colon - line - 6));
		memcpy(out->secret, colon + 1, (size_t)(line + n - colon - 1));
		return true;
	}
	snprintf(err, errlen, "expected one line \"basic USER:PASSWORD\" or "
			      "\"token TOKEN\"");
	return false;
}

bool http_auth_load(const char *path, HttpAuth *out, char *err,
		    size_t errlen)
{
	char why[256];

	if (!passfile_is_private(path, err, errlen))
		return false;
	char *text = fs_read_file(path, NULL);
	if (!text) {
		snprintf(err, errlen, "cannot read %s", path);
		return false;
	}
	bool ok = http_auth_parse(text, out, why, sizeof(why));
	if (!ok)
		snprintf(err, errlen, "%s: %s", path, why);
	memset(text, 0, strlen(text));
	free(text);
	return ok;
}

bool http_auth_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = (unsigned char)(la != lb);

	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
	return diff == 0 && lb > 0;
}
