/*
 * nodeflags.h - turning a command's flags (and the node's configuration
 * file) into the keeper's description of its node.
 */
#ifndef PGK_NODEFLAGS_H
#define PGK_NODEFLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/flags.h"
#include "common/config.h"
#include "pg/pgnode.h"

/* Loads --pgdata's configuration file if any, applies flags, fills node.
 * False with err set by nodeconf_load or pgnode_from_config. */
bool nodeflags_to_pgnode(const Flags *flags, PgNode *node, char *err,
			 size_t errlen);

#endif
