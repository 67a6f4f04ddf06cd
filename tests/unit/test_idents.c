/*
 * test_idents.c - host_is_valid and name_is_valid, spelled out by hand
 * in idents.c, agree with HOST_PATTERN and NAME_PATTERN (which the
 * store's CHECK constraints use) on every byte at every position, on
 * the lengths at the limits and on many random strings.
 */
#include "unit.h"
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "common/idents.h"

static regex_t host_re, name_re;

static int setup(void **state)
{
	(void)state;
	return regcomp(&host_re, HOST_PATTERN, REG_EXTENDED | REG_NOSUB) ||
	       regcomp(&name_re, NAME_PATTERN, REG_EXTENDED | REG_NOSUB);
}

static int teardown(void **state)
{
	(void)state;
	regfree(&host_re);
	regfree(&name_re);
	return 0;
}

static void agree(const char *text)
{
	bool host = regexec(&host_re, text, 0, NULL, 0) == 0;
	bool name = regexec(&name_re, text, 0, NULL, 0) == 0;
	if (host != host_is_valid(text) || name != name_is_valid(text))
		fail_msg("disagree on \"%s\": host %d/%d name %d/%d", text,
			 host, host_is_valid(text), name, name_is_valid(text));
}

/* Each byte value first, in the middle and last of a valid text. */
static void every_byte_at_every_position(void **state)
{
	char text[8];
	(void)state;

	for (int c = 1; c < 256; c++) {
		for (int pos = 0; pos < 3; pos++) {
			strcpy(text, "abc");
			text[pos] = (char)c;
			agree(text);
		}
		text[0] = (char)c;
		text[1] = '\0';
		agree(text);
	}
	agree("");
	assert_true(host_is_valid("::1") && host_is_valid("db-1.example"));
	assert_false(host_is_valid("-h") || host_is_valid(NULL));
	assert_true(name_is_valid("node_a") && name_is_valid("-"));
	assert_false(name_is_valid("node a") || name_is_valid(NULL));
}

/* 1 to 300 characters: the limits of 63 and 253 included. */
static void lengths_at_the_limits(void **state)
{
	char text[301];
	(void)state;

	for (size_t n = 1; n < sizeof(text); n++) {
		memset(text, 'a', n);
		text[n] = '\0';
		agree(text);
	}
	memset(text, 'a', 253);
	text[253] = '\0';
	assert_true(host_is_valid(text));
	text[252] = '\0';
	text[63] = '\0';
	assert_true(name_is_valid(text));
	text[63] = 'a';
	text[64] = '\0';
	assert_false(name_is_valid(text));
}

static void random_strings(void **state)
{
	static const char alphabet[] = "aZ09_-.:/ @'\"\\\n\t$;,=";
	char text[80];
	unsigned seed = 12345;
	(void)state;

	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)(rand_r(&seed) % (int)(sizeof(text) - 1));
		for (size_t j = 0; j < n; j++)
			text[j] = alphabet[rand_r(&seed) %
					   (int)(sizeof(alphabet) - 1)];
		text[n] = '\0';
		agree(text);
	}
}

UNIT_MAIN(setup, teardown, cmocka_unit_test(every_byte_at_every_position),
	  cmocka_unit_test(lengths_at_the_limits),
	  cmocka_unit_test(random_strings))
