/*
 * unit.h - what every unit test program starts with: cmocka and the
 * headers it needs before it, and UNIT_MAIN, the program's main(): it
 * runs the tests listed, between the group's setup and teardown (NULL
 * for none), and exits non-zero when one fails.
 */
#ifndef PGK_TEST_UNIT_H
#define PGK_TEST_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#define UNIT_MAIN(setup, teardown, ...)                                     \
	int main(void)                                                       \
	{                                                                    \
		const struct CMUnitTest tests[] = {__VA_ARGS__};             \
		return cmocka_run_group_tests(tests, setup, teardown);       \
	}

#endif
