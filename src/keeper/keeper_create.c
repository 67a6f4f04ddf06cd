/*
 * keeper_create.c - registering a data node with the monitor and writing
 * its configuration and state files (pgkeel create postgres).
 *
 * Registration takes the operator's URI (its password in a passfile, or
 * in the URI itself); the store answers with the node's own role and
 * password. The password goes into the node's store.pgpass (0600), and
 * pgkeel.ini keeps the monitor URI rewritten for that role, without any
 * password: the operator's credential is not left on the node
 * (keeper_credentials.c opens the store with it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/passfile.h"
#include "keeper/keeper.h"
#include "pg/pgconninfo.h"
#include "store/store_identity.h"

/* pgkeel.ini for the node: its role, name and (when given) its own
 * monitor URI. */
static bool save_config(const Config *cfg, const NodePaths *paths,
			const char *name, const char *monitor, char *err,
			size_t errlen)
{
	char why[256];
	Config out;
	bool ok = true;

	config_copy(&out, cfg);
	/* the store keeps it (formation.standby_of); it may be longer than
	 * a line of pgkeel.ini */
	free(out.values[S_STANDBY_OF]);
	out.values[S_STANDBY_OF] = NULL;
	config_set(&out, S_ROLE, "keeper", why, sizeof(why));
	config_set(&out, S_NAME, name, why, sizeof(why));
	if (monitor && (strlen(monitor) > SETTING_MAX_VALUE ||
			!config_set(&out, S_MONITOR, monitor, why,
				    sizeof(why)))) {
		snprintf(err, errlen, "the node's monitor URI (%s) is longer "
				      "than pgkeel.ini holds (%d characters): "
				      "use fewer URI parameters",
			 monitor, SETTING_MAX_VALUE);
		ok = false;
	} else if (!config_save(&out, paths->config)) {
		snprintf(err, errlen, "cannot write %s", paths->config);
		ok = false;
	}
	config_free(&out);
	return ok;
}

static void fill_registration(const Config *cfg, NodeRegistration *reg)
{
	memset(reg, 0, sizeof(*reg));
	snprintf(reg->formation, sizeof(reg->formation), "%s",
		 config_get(cfg, S_FORMATION));
	snprintf(reg->name, sizeof(reg->name), "%s",
		 config_is_set(cfg, S_NAME) ? config_get(cfg, S_NAME) : "");
	snprintf(reg->host, sizeof(reg->host), "%s",
		 config_get(cfg, S_HOSTNAME));
	reg->port = (int)config_get_int(cfg, S_PGPORT);
	reg->priority = (int)config_get_int(cfg, S_CANDIDATE_PRIORITY);
	reg->quorum = config_get_bool(cfg, S_REPLICATION_QUORUM);
}

/* --replicate-from: the node's first node.replicate_from. The node is
 * registered already: a refusal is only warned of, with the fix. */
static void first_upstream(const Config *cfg, Store *store, const char *name)
{
	const char *from = config_get(cfg, S_REPLICATE_FROM);

	if (store_set_setting(store, config_get(cfg, S_FORMATION), name,
			      "node.replicate_from", from))
		return;
	log_warn("node %s streams from the primary: --replicate-from %s was "
		 "refused (%s); set it with `pgkeel config set "
		 "node.replicate_from NAME --name %s`",
		 name, from, store->error, name);
}

/* --standby-of: the new formation's formation.standby_of, before its
 * keeper first runs (the first node clones the source instead of
 * running initdb). The node is registered already: a refusal is an
 * error with the fix. */
static bool first_source(const Config *cfg, Store *store, char *err,
			 size_t errlen)
{
	const char *uri = config_get(cfg, S_STANDBY_OF);

	if (store_set_setting(store, config_get(cfg, S_FORMATION), "",
			      "formation.standby_of", uri))
		return true;
	snprintf(err, errlen, "--standby-of was refused (%s): set it with "
			      "`pgkeel config set formation.standby_of URI` "
			      "before this node's keeper runs",
		 store->error);
	return false;
}

/* Registers through the operator's URI; out holds the node's identity. */
static bool register_with_store(const Config *cfg, RegisteredNode *out,
				char *err, size_t errlen)
{
	NodeRegistration reg;
	const char *uri = config_get(cfg, S_MONITOR);

	if (pg_conninfo_has(uri, "password"))
		log_warn("the --monitor URI holds a password, which any local "
			 "user can read in the process list; give it in a "
			 "passfile instead (`pgkeel show uri --monitor`)");
	fill_registration(cfg, &reg);
	SslSpec ssl;
	sslspec_from_config(cfg, &ssl);
	Store *store = store_open(uri, &ssl,
				  (int)config_get_ms(cfg, S_STORE_TIMEOUT), err,
				  errlen);
	if (!store)
		return false;
	bool ok = store_register_node(store, &reg, out);
	if (!ok)
		snprintf(err, errlen, "cannot register with the monitor: %s",
			 store->error);
	if (ok && config_is_set(cfg, S_REPLICATE_FROM))
		first_upstream(cfg, store, out->name);
	if (ok && config_is_set(cfg, S_STANDBY_OF))
		ok = first_source(cfg, store, err, errlen);
	store_close(store);
	return ok;
}

/* The node's own password into its passfile, and its own URI. */
static char *keep_identity(const Config *cfg, const NodePaths *paths,
			   RegisteredNode *out, char *err, size_t errlen)
{
	char role[STORE_NAME_LEN + 16];
	const char *uri = config_get(cfg, S_MONITOR);

	store_node_user(uri, out->node_id, role, sizeof(role));
	bool ok = passfile_write(paths->store_pass, role, out->secret, err,
				 errlen);
	memset(out->secret, 0, sizeof(out->secret));
	return ok ? store_node_uri(uri, out->node_id, err, errlen) : NULL;
}

bool keeper_register(const Config *cfg, char *err, size_t errlen)
{
	NodePaths paths;
	KeeperState st;
	RegisteredNode out;
	char why[512];

	if (!config_timeouts_ordered(cfg, err, errlen) ||
	    !nodepaths_init(&paths, config_get(cfg, S_PGDATA), err, errlen) ||
	    !nodepaths_create(&paths, err, errlen))
		return false;
	if (fs_exists(paths.state) &&
	    statefile_load(paths.state, &st, why, sizeof(why))) {
		log_info("node %d (%s) is already registered", st.node_id,
			 st.name);
		return save_config(cfg, &paths, st.name, NULL, err, errlen);
	}
	if (!register_with_store(cfg, &out, err, errlen))
		return false;
	char *own_uri = keep_identity(cfg, &paths, &out, err, errlen);
	if (!own_uri)
		return false;
	memset(&st, 0, sizeof(st));
	st.node_id = out.node_id;
	st.current = NS_INIT;
	snprintf(st.name, sizeof(st.name), "%s", out.name);
	log_info("registered as node %d (%s) in formation %s", st.node_id,
		 st.name, config_get(cfg, S_FORMATION));
	bool ok = statefile_save(paths.state, &st);
	if (!ok)
		snprintf(err, errlen, "cannot write %s", paths.state);
	ok = ok && save_config(cfg, &paths, st.name, own_uri, err, errlen);
	free(own_uri);
	return ok;
}
