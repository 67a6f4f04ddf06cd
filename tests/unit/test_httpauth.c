/*
 * test_httpauth.c - the HTTP API's credentials line and the comparison
 * of what a request presents.
 */
#include "unit.h"
#include <string.h>

#include "http/httpauth.h"

static void parses_both_forms(void **state)
{
	HttpAuth a;
	char err[256];
	(void)state;

	assert_true(http_auth_parse("basic ops:pa:ss\n", &a, err, sizeof(err)));
	assert_int_equal(a.kind, HTTP_AUTH_BASIC);
	assert_string_equal(a.user, "ops");
	assert_string_equal(a.secret, "pa:ss");
	assert_true(http_auth_parse("token abc123", &a, err, sizeof(err)));
	assert_int_equal(a.kind, HTTP_AUTH_TOKEN);
	assert_string_equal(a.secret, "abc123");
}

static void refuses_other_lines_without_echoing_them(void **state)
{
	HttpAuth a;
	char err[256];
	const char *bad[] = {"", "token ", "basic nopassword",
			     "basic :secret-1", "basic user:", "bearer x",
			     "secret-2"};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(http_auth_parse(bad[i], &a, err, sizeof(err)));
		assert_null(strstr(err, "secret"));
	}
}

static void compares_whole_strings(void **state)
{
	(void)state;
	assert_true(http_auth_equal("abc", "abc"));
	assert_false(http_auth_equal("abc", "abd"));
	assert_false(http_auth_equal("ab", "abc"));
	assert_false(http_auth_equal("abcd", "abc"));
	assert_false(http_auth_equal("", ""));
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(parses_both_forms),
	  cmocka_unit_test(refuses_other_lines_without_echoing_them),
	  cmocka_unit_test(compares_whole_strings))
