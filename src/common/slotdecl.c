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

bool slotdecl_value_ok(const char *value, char *err, size_t errlen)
{
	if (strcmp(value, SLOTDECL_PHYSICAL) == 0)
		return true;
	if (strncmp(value, "logical", 7) == 0)
		snprintf(err, errlen,
			 "logical slots are not kept across failovers: a "
			 "standby keeps a logical slot's state only from "
			 "PostgreSQL 17 on (failover slots); with an older "
			 "PostgreSQL, create the logical slot on the primary "
			 "yourself and again after a failover "
			 "(docs/guarantees.md)");
	else
		snprintf(err, errlen,
			 "a slot's kind is \"%s\" (logical slots are not "
			 "supported)",
			 SLOTDECL_PHYSICAL);
	return false;
}
