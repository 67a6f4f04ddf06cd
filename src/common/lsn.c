/*
 * lsn.c - parsing and formatting of PostgreSQL LSNs.
 */
#include "common/lsn.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static bool parse_hex32(const char *start, const char *end, uint32_t *out)
{
	uint64_t value = 0;

	if (end == start || end - start > 8)
		return false;
	for (const char *p = start; p < end; p++) {
		if (!isxdigit((unsigned char)*p))
			return false;
		int digit = isdigit((unsigned char)*p)
				    ? *p - '0'
				    : tolower((unsigned char)*p) - 'a' + 10;
		value = value * 16 + (uint64_t)digit;
	}
	*out = (uint32_t)value;
	return true;
}

bool lsn_parse(const char *text, Lsn *out)
{
	uint32_t hi, lo;
	const char *slash;
	const char *end;

	if (!text)
		return false;
	for (slash = text; *slash && *slash != '/'; slash++)
		;
	if (*slash != '/')
		return false;
	for (end = slash + 1; *end; end++)
		;
	if (!parse_hex32(text, slash, &hi) || !parse_hex32(slash + 1, end, &lo))
		return false;
	*out = ((Lsn)hi << 32) | lo;
	return true;
}

char *lsn_format(Lsn lsn, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIX32 "/%" PRIX32, (uint32_t)(lsn >> 32),
		 (uint32_t)lsn);
	return buf;
}

uint64_t lsn_ahead_by(Lsn a, Lsn b)
{
	return a > b ? a - b : 0;
}
