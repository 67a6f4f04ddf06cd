/*
 * keeper_create.c - registering a data node with the monitor and writing
 * its configuration and state files (pgkeel create postgres).
 */
#include <stdio.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "keeper/keeper.h"

static bool save_config(const Config *cfg, const NodePaths *paths,
			const char *name, char *err, size_t errlen)
{
	char why[256];
	Config out;

	config_copy(&out, cfg);
	config_set(&out, S_ROLE, "keeper", why, sizeof(why));
	config_set(&out, S_NAME, name, why, sizeof(why));
	bool ok = config_save(&out, paths->config);
	if (!ok)
		snprintf(err, errlen, "cannot write %s", paths->config);
	config_free(&out);
	return ok;
}

bool keeper_register(const Config *cfg, char *err, size_t errlen)
{
	NodePaths paths;
	KeeperState st;
	NodeRegistration reg;
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
		return save_config(cfg, &paths, st.name, err, errlen);
	}
	memset(&reg, 0, sizeof(reg));
	snprintf(reg.formation, sizeof(reg.formation), "%s",
		 config_get(cfg, S_FORMATION));
	snprintf(reg.name, sizeof(reg.name), "%s",
		 config_is_set(cfg, S_NAME) ? config_get(cfg, S_NAME) : "");
	snprintf(reg.host, sizeof(reg.host), "%s", config_get(cfg, S_HOSTNAME));
	reg.port = (int)config_get_int(cfg, S_PGPORT);
	reg.priority = (int)config_get_int(cfg, S_CANDIDATE_PRIORITY);
	reg.quorum = config_get_bool(cfg, S_REPLICATION_QUORUM);

	Store *store = store_open(config_get(cfg, S_MONITOR),
				  (int)config_get_ms(cfg, S_STORE_TIMEOUT), err,
				  errlen);
	if (!store)
		return false;
	bool ok = store_register_node(store, &reg, &out);
	if (!ok)
		snprintf(err, errlen, "cannot register with the monitor: %s",
			 store->error);
	store_close(store);
	if (!ok)
		return false;
	memset(&st, 0, sizeof(st));
	st.node_id = out.node_id;
	st.current = NS_INIT;
	snprintf(st.name, sizeof(st.name), "%s", out.name);
	snprintf(st.secret, sizeof(st.secret), "%s", out.secret);
	log_info("registered as node %d (%s) in formation %s", st.node_id,
		 st.name, reg.formation);
	if (!statefile_save(paths.state, &st)) {
		snprintf(err, errlen, "cannot write %s", paths.state);
		return false;
	}
	return save_config(cfg, &paths, st.name, err, errlen);
}
