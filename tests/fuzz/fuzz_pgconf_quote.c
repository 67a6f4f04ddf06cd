/*
 * fuzz_pgconf_quote.c - pgconf_quote, which quotes parameter values for
 * postgresql.pgkeel.conf.
 *
 * Invariant: NULL for any input with a control character; otherwise the
 * output has no control character, starts and ends with a quote, and
 * unquoting it the way Postgres does ('' -> ', \x -> x) gives back the
 * input exactly, with no unescaped quote inside.
 */
#include "fuzz_util.h"
#include "pg/pgconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Postgres' reading of a quoted value; NULL when it ends early. */
static char *unquote(const char *q)
{
	size_t n = strlen(q);
	char *out = malloc(n + 1), *p = out;

	FUZZ_CHECK(out && n >= 2 && q[0] == '\'' && q[n - 1] == '\'');
	for (size_t i = 1; i < n - 1; i++) {
		if (q[i] == '\\') {
			FUZZ_CHECK(i + 1 < n - 1); /* would escape the close */
			*p++ = q[++i];
		} else if (q[i] == '\'') {
			FUZZ_CHECK(i + 1 < n - 1 && q[i + 1] == '\'');
			*p++ = q[++i];
		} else {
			*p++ = q[i];
		}
	}
	*p = '\0';
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_string(data, size);
	char *q = pgconf_quote(in);

	if (has_control(in)) {
		FUZZ_CHECK(q == NULL);
	} else {
		FUZZ_CHECK(q != NULL);
		FUZZ_CHECK(!has_control(q));
		char *back = unquote(q);
		FUZZ_CHECK(strcmp(back, in) == 0);
		free(back);
	}
	free(q);
	free(in);
	return 0;
}
