/*
 * test_dynlib.c - the libraries loaded on first use: the HTTP server's,
 * the etcd driver's and `watch`'s load under the names their headers
 * give, with every function they list; a missing library or function is
 * an error that names it.
 */
#include "unit.h"
#include <string.h>

#include "cli/curseslib.h"
#include "common/dynlib.h"
#include "http/mhdlib.h"
#include "store/curllib.h"

static void the_http_and_etcd_libraries_load(void **state)
{
	char err[512] = "";
	(void)state;

	const MhdLib *mhd = mhdlib_load(err, sizeof(err));
	assert_non_null(mhd);
	assert_ptr_equal(mhd, mhdlib());
	assert_non_null(mhd->start_daemon);
	assert_non_null(mhd->destroy_response);
	const CurlLib *curl = curllib_load(err, sizeof(err));
	assert_non_null(curl);
	assert_ptr_equal(curl, curllib());
	assert_non_null(curl->easy_setopt);
	assert_non_null(curl->multi_poll);
	assert_ptr_equal(curllib_load(err, sizeof(err)), curl); /* once */
}

static void the_terminal_library_loads(void **state)
{
	char err[512] = "";
	(void)state;

	const CursesLib *c = curseslib_load(err, sizeof(err));
	assert_non_null(c);
	assert_non_null(c->initscr);
	assert_non_null(c->getmaxy);
	assert_ptr_equal(curseslib_load(err, sizeof(err)), c); /* once */
}

static void a_missing_library_or_function_is_named(void **state)
{
	char err[512] = "";
	void *fn = NULL;
	void **const slots[] = {&fn};
	const char *const missing[] = {"curl_no_such_function"};
	(void)state;

	assert_false(dynlib_load("libpgkeel-no-such.so.1", missing, slots, 1,
				 err, sizeof(err)));
	assert_non_null(strstr(err, "libpgkeel-no-such.so.1"));
	assert_false(dynlib_load(CURLLIB_SONAME, missing, slots, 1, err,
				 sizeof(err)));
	assert_non_null(strstr(err, "curl_no_such_function"));
	assert_null(fn);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(the_http_and_etcd_libraries_load),
	  cmocka_unit_test(the_terminal_library_loads),
	  cmocka_unit_test(a_missing_library_or_function_is_named))
