/*
 * fuzz_conninfo.c - URIs and keyword/value strings: conninfo_quote,
 * conninfo_append, uri_encode and host_is_valid (common/conninfo.c) and
 * pg_conninfo_rewrite (pg/pgconninfo.c), which turns a monitor URI into
 * the URI a keeper keeps, without its password.
 *
 * Invariants: a quoted or appended value reads back unchanged through
 * libpq's PQconninfoParse; uri_encode leaves only unreserved characters
 * and %XX, and decoding gives the input back; a valid host has only
 * letters, digits and ".-_:"; a rewritten URI parses again, sets no
 * password, and carries exactly the user and passfile asked for.
 */
#include <ctype.h>
#include <libpq-fe.h>

#include "common/conninfo.h"
#include "common/idents.h"
#include "fuzz_util.h"
#include "pg/pgconninfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The value libpq reads for keyword in conninfo (NULL: unset); aborts
 * when conninfo does not parse. Malloc'd. */
static char *parsed(const char *conninfo, const char *keyword)
{
	char *perr = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &perr);
	char *val = NULL;

	if (!opts)
		fprintf(stderr, "does not parse: %s (%s)\n", conninfo,
			perr ? perr : "?");
	FUZZ_CHECK(opts != NULL);
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val)
			val = strdup(o->val);
	PQconninfoFree(opts);
	return val;
}

static void check_quote(const char *text)
{
	char *q = conninfo_quote(text);
	char *line = malloc(strlen(q) + 32), *back;

	sprintf(line, "application_name=%s", q);
	back = parsed(line, "application_name");
	FUZZ_CHECK(back && strcmp(back, text) == 0);
	free(back);
	free(line);
	free(q);

	char *ci = conninfo_append(strdup("dbname=postgres"), "user", text);
	back = parsed(ci, "user");
	FUZZ_CHECK(back && strcmp(back, text) == 0);
	free(back);
	free(ci);
}

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower(c) - 'a' + 10;
}

static void check_encode(const char *text)
{
	char *e = uri_encode(text);
	char *back = malloc(strlen(e) + 1), *p = back;

	for (const char *s = e; *s; s++) {
		if (*s == '%') {
			FUZZ_CHECK(isxdigit((unsigned char)s[1]) &&
				   isxdigit((unsigned char)s[2]));
			*p++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else {
			FUZZ_CHECK(isalnum((unsigned char)*s) ||
				   strchr("-._~", *s));
			*p++ = *s;
		}
	}
	*p = '\0';
	FUZZ_CHECK(strcmp(back, text) == 0);
	free(back);
	free(e);
}

static void check_rewrite(const char *uri, uint8_t how)
{
	const char *user = how & 1 ? "pgkeel_keeper" : NULL;
	const char *passfile = how & 2 ? "/var/lib/pgkeel/x y'z\\.pass" : NULL;
	char err[512];
	char *out = pg_conninfo_rewrite(uri, user, passfile, err, sizeof(err));

	if (!out) {
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		return;
	}
	char *pw = parsed(out, "password");
	FUZZ_CHECK(pw == NULL || *pw == '\0');
	free(pw);
	FUZZ_CHECK(!pg_conninfo_has(out, "password"));
	char *pf = parsed(out, "passfile");
	FUZZ_CHECK(passfile ? pf && strcmp(pf, passfile) == 0 : !pf || !*pf);
	free(pf);
	if (user) {
		char *u = parsed(out, "user");
		FUZZ_CHECK(u && strcmp(u, user) == 0);
		free(u);
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *text = fuzz_string(data + 1, size - 1);

	check_quote(text);
	check_encode(text);
	if (host_is_valid(text)) {
		FUZZ_CHECK(strlen(text) <= 253 && text[0] != '-');
		for (const char *p = text; *p; p++)
			FUZZ_CHECK(isalnum((unsigned char)*p) ||
				   strchr(".-:", *p));
	}
	check_rewrite(text, data[0]);
	free(text);
	return 0;
}
