/*
 * statefile.h - what a keeper must remember across restarts: its node id
 * from registration, the state it last reached, whether it
 * created the data directory, and the last restart it carried out. Kept as
 * JSON in the node directory (never in PGDATA), written atomically.
 */
#ifndef PGK_STATEFILE_H
#define PGK_STATEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "fsm/fsm.h"

typedef struct {
	int node_id;
	char name[64];
	NodeState current;
	bool created_pgdata;    /* pgkeel made PGDATA (initdb or clone) */
	long long restarted;    /* the last restart request carried out */
} KeeperState;

/* Reads keeper.state. False with err set when it cannot be read ("cannot
 * read" and the reason) or is malformed; st is then zeroed or partly
 * filled. */
bool statefile_load(const char *path, KeeperState *st, char *err,
		    size_t errlen);
/* False, with an error logged (the file and why), when st could not be
 * written and made durable: the file then still holds what it held. */
bool statefile_save(const char *path, const KeeperState *st);

#endif
