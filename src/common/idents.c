/*
 * idents.c - host and name checks: HOST_PATTERN and NAME_PATTERN of
 * idents.h, spelled out by hand. Keepers check hosts and the fields of
 * pg_hba lines every cycle, and glibc's compiled form of the two
 * patterns (the {0,252} repetition) held about 700 kB of every keeper's
 * heap (docs/benchmarks.md); tests/unit/test_idents.c checks that these
 * functions and the patterns agree.
 */
#include "common/idents.h"

#include <stddef.h>
#include <string.h>

/* The ASCII letters and digits: the classes' A-Za-z0-9 (in the C locale,
 * whatever the process's). */
static bool is_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

/* An alphanumeric or one of extra's characters. */
static bool in_class(char c, const char *extra)
{
	return is_alnum(c) || (c != '\0' && strchr(extra, c) != NULL);
}

/* Every character of text from index from on is in the class. */
static bool all_in_class(const char *text, size_t from, const char *extra)
{
	for (size_t i = from; text[i]; i++)
		if (!in_class(text[i], extra))
			return false;
	return true;
}

bool host_is_valid(const char *host)
{
	if (!host || !in_class(host[0], ":"))
		return false;
	return strlen(host) <= 253 && all_in_class(host, 1, ".:-");
}

bool name_is_valid(const char *name)
{
	if (!name)
		return false;
	size_t n = strlen(name);
	return n >= 1 && n <= 63 && all_in_class(name, 0, "_-");
}
