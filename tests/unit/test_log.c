/*
 * test_log.c - log levels, the log file, and JSON lines.
 */
#include "unit.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/log.h"

static void parses_levels(void **state)
{
	LogLevel level;
	(void)state;

	assert_true(log_level_parse("DEBUG", &level));
	assert_int_equal(level, LOG_LEVEL_DEBUG);
	assert_true(log_level_parse("warn", &level));
	assert_int_equal(level, LOG_LEVEL_WARN);
	assert_false(log_level_parse("loud", &level));
}

static void writes_filtered_json_lines(void **state)
{
	char path[] = "/tmp/pgkeel-log-XXXXXX";
	int fd = mkstemp(path);
	(void)state;

	assert_true(fd >= 0);
	close(fd);
	log_set_stderr(false);
	assert_true(log_set_file(path));
	log_set_json(true);
	log_set_prefix("keeper node1");
	log_set_level(LOG_LEVEL_INFO);
	log_debug("hidden");
	log_info("shown \"quoted\" %d", 42);
	log_set_file(NULL);
	log_set_json(false);
	log_set_stderr(true);

	char *text = fs_read_file(path, NULL);
	assert_non_null(text);
	assert_null(strstr(text, "hidden"));
	json_error_t jerr;
	json_t *obj = json_loads(text, 0, &jerr);
	assert_non_null(obj);
	assert_string_equal(json_string_value(json_object_get(obj, "msg")),
			    "shown \"quoted\" 42");
	assert_string_equal(json_string_value(json_object_get(obj, "level")),
			    "info");
	json_decref(obj);
	free(text);
	unlink(path);
}

static void log_file_is_the_owners_alone(void **state)
{
	char path[64];
	struct stat st;
	(void)state;

	snprintf(path, sizeof(path), "/tmp/pgkeel-test-log-%d", (int)getpid());
	unlink(path);
	mode_t old = umask(022);
	assert_true(log_set_file(path));
	umask(old);
	log_info("one line");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	log_set_file(NULL);
	unlink(path);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(parses_levels),
	  cmocka_unit_test(writes_filtered_json_lines),
	  cmocka_unit_test(log_file_is_the_owners_alone))
