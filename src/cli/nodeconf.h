/*
 * nodeconf.h - what most commands start with: the node's configuration
 * (flags over the file in the node directory over defaults), the store it
 * talks to, and the check that Postgres will not be started as root.
 */
#ifndef PGK_NODECONF_H
#define PGK_NODECONF_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/flags.h"
#include "common/config.h"
#include "common/nodepaths.h"
#include "store/store.h"

/*
 * Applies flags, then the configuration file of --pgdata when it exists
 * (must_exist: it is an error when it does not). Sets the log level.
 * False with err set (invalid flags, whose message went to stderr; no
 * --pgdata; no node there; the file's error). cfg is to be freed either
 * way.
 */
bool nodeconf_load(const Flags *flags, Config *cfg, bool must_exist,
		   char *err, size_t errlen);
/* Loads --pgdata's configuration file alone, without the flags. False
 * with err set (no or a relative --pgdata, or config_load's error). */
bool nodeconf_load_saved(const Flags *flags, Config *cfg, char *err,
			 size_t errlen);

/* Files that hold (or may hold) a secret must be the owner's alone: a
 * service does not start with one others can read. True when every one
 * that exists is private; false with err naming the first that is not
 * and how to fix it. */
bool nodeconf_secrets_private(const Config *cfg, const NodePaths *paths,
			      char *err, size_t errlen);
/* A command's calls to the store get this long at least, whatever
 * store_timeout says (a fencing deadline for services, not for a person
 * waiting at a prompt): an etcd majority electing a new leader answers
 * again within about two seconds (docs/configuration.md). */
#define NODECONF_STORE_TIMEOUT_MS 5000
/* Opens the store: --monitor URI, or the one of --pgdata's node, with
 * store_timeout NODECONF_STORE_TIMEOUT_MS at least. NULL with err set
 * (no monitor named, or the store's open failed). */
Store *nodeconf_open_store(const Config *cfg, char *err, size_t errlen);
/*
 * The exit code for a store call that failed (common/exitcode.h): a
 * refusal (or a fenced write) EXIT_REFUSED, a store out of reach
 * EXIT_STORE, a formation that does not exist EXIT_FAILED.
 */
int nodeconf_store_exit(const Store *s);
/* A store call of the command failed: prints s->error after the
 * command's name on stderr and returns nodeconf_store_exit(s). */
int nodeconf_store_failed(const Store *s);
/* For the show commands: loads the configuration the flags name into cfg
 * and opens its store. NULL after printing why to stderr. */
Store *nodeconf_open_for_show(const Flags *flags, Config *cfg);
/* The formation cfg names, freshly allocated (free it); one that has no
 * node yet reads as empty ("initializing"). NULL after printing why to
 * stderr. */
StoreFormation *nodeconf_read_formation(Store *s, const Config *cfg);
/* Postgres refuses to run as root, and so do we; false with a message. */
bool nodeconf_refuse_root(const char *command);
/* The formation to show: --formation, or the node's, or "default";
 * never NULL. */
const char *nodeconf_formation(const Config *cfg);
/* The formation's multi-host URI for clients (target_session_attrs
 * read-write, the TLS of cfg's node or of its monitor URI); malloc'd,
 * NULL when out of memory. */
char *nodeconf_formation_uri(const StoreFormation *f, const Config *cfg);
/* One node's own URI for clients (its host and port only: no failover),
 * with the TLS settings of cfg. NULL when out of memory. */
char *nodeconf_node_uri(const StoreNode *n, const Config *cfg);

#endif
