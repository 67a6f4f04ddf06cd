/*
 * storemove.h - moving a running formation from the postgres store to
 * an etcd store without restarting Postgres (docs/etcd.md, "Moving from
 * the postgres store"): `pgkeel store migrate` (storemigrate.c) on the
 * monitor, then `pgkeel store switch` (storeswitch.c) on every node.
 * Each prints what it did, or why it refused on stderr, and returns an
 * exit code (common/exitcode.h).
 */
#ifndef PGK_STOREMOVE_H
#define PGK_STOREMOVE_H

#include "common/config.h"

/* cfg: the monitor's (its own Postgres holds the store). Pauses every
 * formation, waits until the monitor's decisions stopped, and imports
 * them into the etcd store to (the operator's URI), which must hold no
 * formation yet (refused, nothing changed, otherwise). */
int storemove_migrate(const Config *cfg, const char *to);

/* cfg: a data node's. Writes pgkeel.monitor as the node's own URI of
 * the store to (the operator's URI), once that store holds this node
 * (and, with etcd's authentication, made the node's own user, its
 * password in the node's store.pgpass), signals its running
 * keeper (SIGHUP: it reopens its store, Postgres runs on) and waits
 * up to timeout_ms for its first report there. */
int storemove_switch(const Config *cfg, const char *to, int timeout_ms);

#endif
