/*
 * test_termtext.c - store text printed to a terminal cannot forge a line
 * or send an escape sequence.
 */
#include "unit.h"

#include "common/termtext.h"

static void escapes_control_characters(void **state)
{
	char buf[64];
	(void)state;

	assert_string_equal(termtext("plain: é", buf, sizeof(buf)),
			    "plain: é");
	assert_string_equal(termtext("a\nb\rc\td", buf, sizeof(buf)),
			    "a\\nb\\rc\\td");
	assert_string_equal(termtext("\x1b[2J\x7f", buf, sizeof(buf)),
			    "\\x1b[2J\\x7f");
	assert_string_equal(termtext("abcdef", buf, 4), "abc");
	assert_string_equal(termtext("\x01", buf, 3), "\\x");
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(escapes_control_characters))
