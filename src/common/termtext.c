/*
 * termtext.c - escaping control characters for terminals and logs.
 */
#include "common/termtext.h"

#include <stdio.h>

const char *termtext(const char *text, char *buf, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return buf;
	for (const unsigned char *p = (const unsigned char *)text;
	     *p && o + 1 < len; p++) {
		char esc[8] = "";
		if (*p == '\n')
			snprintf(esc, sizeof(esc), "\\n");
		else if (*p == '\r')
			snprintf(esc, sizeof(esc), "\\r");
		else if (*p == '\t')
			snprintf(esc, sizeof(esc), "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", *p);
		if (!esc[0]) {
			buf[o++] = (char)*p;
			continue;
		}
		for (const char *e = esc; *e && o + 1 < len; e++)
			buf[o++] = *e;
	}
	buf[o] = '\0';
	return buf;
}
