/*
 * idents.c - host and name checks against the patterns of idents.h. The
 * patterns are compiled once per process (keepers check hosts and the
 * fields of pg_hba lines every cycle); regexec on them is thread-safe.
 */
#include "common/idents.h"

#include <pthread.h>
#include <regex.h>
#include <stddef.h>

static regex_t host_re, name_re;
static bool compiled;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void compile(void)
{
	compiled = regcomp(&host_re, HOST_PATTERN, REG_EXTENDED | REG_NOSUB) ==
			   0 &&
		   regcomp(&name_re, NAME_PATTERN, REG_EXTENDED | REG_NOSUB) ==
			   0;
}

static bool matches(regex_t *re, const char *text)
{
	pthread_once(&once, compile);
	return compiled && text && regexec(re, text, 0, NULL, 0) == 0;
}

bool host_is_valid(const char *host)
{
	return matches(&host_re, host);
}

bool name_is_valid(const char *name)
{
	return matches(&name_re, name);
}
