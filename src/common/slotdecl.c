/*
 * slotdecl.c - checks of declared permanent slots (slotdecl.h).
 */
#include "common/slotdecl.h"

#include <stdio.h>
#include <string.h>

bool slotdecl_is_setting(const char *setting)
{
	return strncmp(setting, SLOTDECL_SETTING_PREFIX,
		       strlen(SLOTDECL_SETTING_PREFIX)) == 0;
}

bool slotdecl_name_ok(const char *name, char *err, size_t errlen)
{
	size_t len = strlen(name);

	if (len == 0 || len > 63) {
		snprintf(err, errlen, "a slot name has 1 to 63 characters");
		return false;
	}
	for (const char *p = name; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_')) {
			snprintf(err, errlen,
				 "slot name \"%s\": only lower-case letters, "
				 "digits and underscores",
				 name);
			return false;
		}
	}
	if (strncmp(name, SLOTDECL_RESERVED_PREFIX,
		    strlen(SLOTDECL_RESERVED_PREFIX)) == 0) {
		snprintf(err, errlen,
			 "slot name \"%s\": names starting with %s are "
			 "pgkeel's own slots, one per node",
			 name, SLOTDECL_RESERVED_PREFIX);
		return false;
	}
	return true;
}

/* Copies the identifier that starts at *p up to stop (a ':' or the
 * end) into out; true when it has 1 to 63 of [A-Za-z0-9_]. */
static bool take_ident(const char **p, char stop, char *out, size_t outlen)
{
	size_t n = 0;

	while (**p && **p != stop) {
		char c = **p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_') ||
		    n + 1 >= outlen)
			return false;
		out[n++] = c;
		(*p)++;
	}
	out[n] = '\0';
	return n > 0;
}

static bool parse_logical(const char *value, SlotKind *out)
{
	const char *p = value + strlen(SLOTDECL_LOGICAL_PREFIX);

	if (!take_ident(&p, ':', out->plugin, sizeof(out->plugin)) ||
	    *p != ':')
		return false;
	p++;
	return take_ident(&p, '\0', out->database, sizeof(out->database));
}

bool slotdecl_parse(const char *value, SlotKind *out, char *err,
		    size_t errlen)
{
	SlotKind k;

	memset(&k, 0, sizeof(k));
	if (strcmp(value, SLOTDECL_PHYSICAL) == 0) {
		if (out)
			*out = k;
		return true;
	}
	k.logical = true;
	if (strncmp(value, SLOTDECL_LOGICAL_PREFIX,
		    strlen(SLOTDECL_LOGICAL_PREFIX)) == 0 &&
	    parse_logical(value, &k)) {
		if (out)
			*out = k;
		return true;
	}
	snprintf(err, errlen,
		 "a slot's kind is \"%s\" or \"%sPLUGIN:DATABASE\" (the output "
		 "plugin and the database: 1 to 63 letters, digits or "
		 "underscores each)",
		 SLOTDECL_PHYSICAL, SLOTDECL_LOGICAL_PREFIX);
	return false;
}

bool slotdecl_value_ok(const char *value, char *err, size_t errlen)
{
	return slotdecl_parse(value, NULL, err, errlen);
}
