/*
 * monitor_store.c - where a monitor keeps the state: its own Postgres (the
 * default), or a store it shares with other monitors (pgkeel.store, an
 * etcd:// URI: docs/etcd.md), where one of them is active and the others
 * stand by. A monitor of a shared store has no Postgres: its directory
 * holds only its configuration.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/sslconn.h"
#include "monitor/monitor.h"

const char *monitor_shared_store(const Config *cfg)
{
	const char *uri = config_get(cfg, S_STORE);

	return uri && *uri ? uri : NULL;
}

Store *monitor_open_store(const Config *cfg, bool upgrade, char *err,
			  size_t errlen)
{
	const char *uri = monitor_shared_store(cfg);
	int timeout = (int)config_get_ms(cfg, S_STORE_TIMEOUT);

	if (uri) { /* the monitor's own handle: it may take the lease */
		char *own = uri_set_param(strdup(uri), "role", "monitor");
		Store *s = own ? store_open(own, NULL, timeout, err, errlen)
			       : NULL;
		if (!own)
			snprintf(err, errlen, "out of memory");
		free(own);
		return s;
	}
	return store_open_local(config_get(cfg, S_SOCKET_DIR),
				(int)config_get_int(cfg, S_PGPORT), timeout,
				upgrade, err, errlen);
}

/* A postgres:// store is the monitor's own: two monitors cannot share
 * one (its lease would hang on the one machine that holds it). */
static bool shareable(const char *uri, char *err, size_t errlen)
{
	if (strncmp(uri, "etcd://", 7) == 0)
		return true;
	snprintf(err, errlen,
		 "--store %.40s...: monitors share only an etcd store "
		 "(--store etcd://HOST:PORT[,HOST:PORT...][/PREFIX]); leave "
		 "--store out for a monitor that keeps the state in its own "
		 "Postgres",
		 uri);
	return false;
}

/* The monitor's directory: made when missing (its configuration is
 * keyed by it); an existing Postgres data directory is refused, so that
 * a typo never turns a database into a store-only monitor. */
static bool make_dir(const char *dir, char *err, size_t errlen)
{
	char version[1200];

	snprintf(version, sizeof(version), "%s/PG_VERSION", dir);
	if (fs_exists(version)) {
		snprintf(err, errlen,
			 "%s holds a Postgres data directory: a monitor of a "
			 "shared store keeps no Postgres; name an empty or new "
			 "directory",
			 dir);
		return false;
	}
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return true;
	snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
	return false;
}

/* The store answers with the URI's credential: a typo in it shows now,
 * not at the first `pgkeel run`. */
static bool try_store(const Config *cfg, char *err, size_t errlen)
{
	char names[1][STORE_NAME_LEN];
	size_t n = 0;
	Store *s = monitor_open_store(cfg, false, err, errlen);

	if (!s)
		return false;
	bool ok = store_list_formations(s, names, 1, &n);
	if (!ok)
		snprintf(err, errlen, "the store does not answer: %s",
			 s->error);
	store_close(s);
	return ok;
}

bool monitor_create_shared(const Config *cfg, char *err, size_t errlen)
{
	NodePaths paths;
	char why[256];
	const char *dir = config_get(cfg, S_PGDATA);

	if (!shareable(monitor_shared_store(cfg), err, errlen) ||
	    !nodepaths_init(&paths, dir, err, errlen) ||
	    !make_dir(dir, err, errlen) ||
	    !nodepaths_create(&paths, err, errlen) ||
	    !try_store(cfg, err, errlen))
		return false;
	Config out;
	config_copy(&out, cfg);
	bool ok = config_set(&out, S_ROLE, "monitor", why, sizeof(why)) &&
		  config_save(&out, paths.config);
	config_free(&out);
	if (!ok)
		snprintf(err, errlen, "cannot write %s", paths.config);
	else
		log_info("monitor of the shared store created in %s", dir);
	return ok;
}
