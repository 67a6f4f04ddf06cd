/*
 * cfgslot.h - `pgkeel config get|set|unset slots.NAME [physical]`: the
 * formation's permanent replication slots (common/slotdecl.h), kept on
 * every node so that their consumers find them after a failover.
 */
#ifndef PGK_CFGSLOT_H
#define PGK_CFGSLOT_H

#include "store/store.h"

/*
 * Runs verb ("get", "set" or "unset") on setting ("slots.NAME") of the
 * formation; value is set's. Returns the exit code: EXIT_OK; EXIT_FAILED
 * for get or unset of a slot not declared; EXIT_REFUSED for a name or
 * kind refused (here or by the store); EXIT_STORE when the store cannot
 * be read.
 */
int cfgslot_run(Store *s, const char *formation, const char *verb,
		const char *setting, const char *value);

#endif
