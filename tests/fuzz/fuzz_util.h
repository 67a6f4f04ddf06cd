/*
 * fuzz_util.h - small helpers shared by the libFuzzer harnesses in
 * tests/fuzz: the input as a C string, the input in a temporary file
 * (for readers that only take a path), and a check that aborts loudly.
 */
#ifndef PGK_FUZZ_UTIL_H
#define PGK_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An invariant the code under test broke: libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "invariant failed: %s (%s:%d)\n",  \
				#cond, __FILE__, __LINE__);                \
			abort();                                           \
		}                                                          \
	} while (0)

/* data as a NUL-terminated malloc'd string (stops at an embedded NUL). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Writes data to a new file under /tmp; its path goes into path. */
static inline void fuzz_tempfile(const uint8_t *data, size_t size,
				 char *path, size_t len)
{
	snprintf(path, len, "/tmp/pgkeel-fuzz-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

#endif
