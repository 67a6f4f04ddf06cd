/*
 * test_statefile.c - the keeper's state file: saved and read back,
 * refused when it holds what the keeper could not save again, and a save
 * that fails says so and leaves the file as it was.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "keeper/statefile.h"

static void put(char *path, size_t len, const char *text)
{
	snprintf(path, len, "/tmp/pgkeel-test-state-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_true(fs_write_file_atomic(path, text, strlen(text), 0600));
}

static void saves_and_reads_back(void **state)
{
	char path[64], err[256];
	KeeperState st = {3, "node_3", NS_SECONDARY, true, 2}, back;
	(void)state;

	put(path, sizeof(path), "");
	assert_true(statefile_save(path, &st));
	assert_true(statefile_load(path, &back, err, sizeof(err)));
	assert_int_equal(back.node_id, 3);
	assert_string_equal(back.name, "node_3");
	assert_int_equal(back.current, NS_SECONDARY);
	assert_true(back.created_pgdata);
	assert_int_equal(back.restarted, 2);
	unlink(path);
}

/* Found by tests/fuzz/fuzz_statefile: a name longer than 63 bytes was cut,
 * here inside a UTF-8 character, and the keeper then failed to save its
 * state after every transition. */
static void refuses_a_name_too_long_to_keep(void **state)
{
	char path[64], err[256], text[256];
	KeeperState st;
	(void)state;

	snprintf(text, sizeof(text),
		 "{\"node_id\": 1, \"name\": \"%.62s\xc3\xa9\xc3\xa9\", "
		 "\"current_state\": \"single\"}",
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	put(path, sizeof(path), text);
	assert_false(statefile_load(path, &st, err, sizeof(err)));
	assert_non_null(strstr(err, "malformed"));
	unlink(path);
}

/* keeper.state is replaced by a rename: what stops the write is the
 * temporary file that cannot be created (here a directory in its place,
 * which stops root too). */
static void a_failed_save_is_logged_and_changes_nothing(void **state)
{
	char dir[64], path[128], tmp[160], logpath[160], err[256];
	KeeperState st = {3, "node_3", NS_SECONDARY, false, 0}, back;
	(void)state;

	snprintf(dir, sizeof(dir), "/tmp/pgkeel-test-state-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/keeper.state", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(logpath, sizeof(logpath), "%s/log", dir);
	assert_true(statefile_save(path, &st));
	assert_int_equal(mkdir(tmp, 0700), 0);
	log_set_stderr(false);
	assert_true(log_set_file(logpath));

	st.current = NS_MAINTENANCE;
	assert_false(statefile_save(path, &st));
	log_set_file(NULL);
	log_set_stderr(true);
	char *log = fs_read_file(logpath, NULL);
	assert_non_null(log);
	assert_non_null(strstr(log, tmp));
	assert_non_null(strstr(log, "Is a directory"));
	assert_true(statefile_load(path, &back, err, sizeof(err)));
	assert_int_equal(back.current, NS_SECONDARY);

	assert_int_equal(rmdir(tmp), 0);
	assert_true(statefile_save(path, &st));
	assert_true(statefile_load(path, &back, err, sizeof(err)));
	assert_int_equal(back.current, NS_MAINTENANCE);
	free(log);
	unlink(logpath);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(saves_and_reads_back),
	  cmocka_unit_test(refuses_a_name_too_long_to_keep),
	  cmocka_unit_test(a_failed_save_is_logged_and_changes_nothing))
