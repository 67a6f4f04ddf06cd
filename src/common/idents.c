/*
 * idents.c - host and name checks against the patterns of idents.h.
 */
#include "common/idents.h"

#include <regex.h>
#include <stddef.h>

static bool matches(const char *pattern, const char *text)
{
	regex_t re;

	if (!text || regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	bool ok = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

bool host_is_valid(const char *host)
{
	return matches(HOST_PATTERN, host);
}

bool name_is_valid(const char *name)
{
	return matches(NAME_PATTERN, name);
}
