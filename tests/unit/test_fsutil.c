/*
 * test_fsutil.c - a write that stores nothing without an error (write(2)
 * returning 0) fails fs_write_file_atomic with a message naming an error,
 * not a stale errno ("Success").
 */
#include "unit.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/log.h"

static bool write_stores_nothing;

/* Stands in for write(2) in this program: while write_stores_nothing is
 * set, every write returns 0, as a full device may. */
ssize_t write(int fd, const void *buf, size_t count)
{
	if (write_stores_nothing && count > 0)
		return 0;
	return syscall(SYS_write, fd, buf, count);
}

static void a_write_of_nothing_names_an_error(void **state)
{
	char logpath[] = "/tmp/pgkeel-fsutil-log-XXXXXX";
	char target[64];
	int fd = mkstemp(logpath);
	(void)state;

	assert_true(fd >= 0);
	close(fd);
	snprintf(target, sizeof(target), "/tmp/pgkeel-fsutil-%d",
		 (int)getpid());
	log_set_stderr(false);
	assert_true(log_set_file(logpath));
	errno = 0;
	write_stores_nothing = true;
	bool ok = fs_write_file_atomic(target, "text\n", 5, 0600);
	write_stores_nothing = false;
	log_set_file(NULL);
	log_set_stderr(true);

	assert_false(ok);
	assert_false(fs_exists(target));
	char *text = fs_read_file(logpath, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "cannot write"));
	assert_non_null(strstr(text, strerror(EIO)));
	assert_null(strstr(text, strerror(0)));
	free(text);
	unlink(logpath);
}

static void a_whole_write_succeeds(void **state)
{
	char target[64];
	size_t len = 0;
	(void)state;

	snprintf(target, sizeof(target), "/tmp/pgkeel-fsutil-ok-%d",
		 (int)getpid());
	assert_true(fs_write_file_atomic(target, "text\n", 5, 0600));
	char *text = fs_read_file(target, &len);
	assert_non_null(text);
	assert_int_equal(len, 5);
	assert_string_equal(text, "text\n");
	free(text);
	unlink(target);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(a_write_of_nothing_names_an_error),
	  cmocka_unit_test(a_whole_write_succeeds))
