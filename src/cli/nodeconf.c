/*
 * nodeconf.c - loading a node's configuration, reaching its store, and the
 * formation's URI for clients.
 */
#include "cli/nodeconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/command.h"
#include "common/conninfo.h"
#include "common/exitcode.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "common/passfile.h"
#include "common/sslconn.h"
#include "keeper/keeper.h"
#include "monitor/monitor.h"

bool nodeconf_load(const Flags *flags, Config *cfg, bool must_exist,
		   char *err, size_t errlen)
{
	NodePaths paths;
	LogLevel level;

	config_init(cfg);
	if (!flags_apply_to_config(flags, cfg)) {
		snprintf(err, errlen, "invalid flags");
		return false;
	}
	if (!config_is_set(cfg, S_PGDATA)) {
		if (must_exist) {
			snprintf(err, errlen, "--pgdata is required");
			return false;
		}
		return true;
	}
	if (!nodepaths_init(&paths, config_get(cfg, S_PGDATA), err, errlen))
		return false;
	if (fs_exists(paths.config)) {
		if (!config_load(cfg, paths.config, err, errlen))
			return false;
	} else if (must_exist) {
		snprintf(err, errlen,
			 "no pgkeel node in %s (no %s): create it first with "
			 "`pgkeel create monitor` or `pgkeel create postgres`",
			 config_get(cfg, S_PGDATA), paths.config);
		return false;
	}
	if (log_level_parse(config_get(cfg, S_LOG_LEVEL), &level))
		log_set_level(level);
	return true;
}

bool nodeconf_load_saved(const Flags *flags, Config *cfg, char *err,
			 size_t errlen)
{
	NodePaths paths;

	config_init(cfg);
	return nodepaths_init(&paths, flags_get(flags, "pgdata"), err,
			      errlen) &&
	       config_load(cfg, paths.config, err, errlen);
}

static Store *open_store(const Config *cfg, char *err, size_t errlen)
{
	const char *role = config_get(cfg, S_ROLE);

	if (role && strcmp(role, "monitor") == 0)
		return monitor_open_store(cfg, false, err, errlen);
	if (config_get(cfg, S_MONITOR))
		return keeper_store_open(cfg, err, errlen);
	snprintf(err, errlen, "name the monitor: --monitor URI, or --pgdata "
			      "of a pgkeel node");
	return NULL;
}

Store *nodeconf_open_store(const Config *cfg, char *err, size_t errlen)
{
	Config wait;
	char ms[32];

	if (config_get_ms(cfg, S_STORE_TIMEOUT) >= NODECONF_STORE_TIMEOUT_MS)
		return open_store(cfg, err, errlen);
	config_copy(&wait, cfg);
	snprintf(ms, sizeof(ms), "%dms", NODECONF_STORE_TIMEOUT_MS);
	Store *s = config_set(&wait, S_STORE_TIMEOUT, ms, err, errlen)
			   ? open_store(&wait, err, errlen)
			   : NULL;
	config_free(&wait);
	return s;
}

int nodeconf_store_exit(const Store *s)
{
	switch (s->failure) {
	case STORE_UNAVAILABLE:
		return EXIT_STORE;
	case STORE_NOT_FOUND:
		return EXIT_FAILED;
	case STORE_OK:
	case STORE_REFUSED:
	case STORE_FENCED:
		break;
	}
	return EXIT_REFUSED;
}

int nodeconf_store_failed(const Store *s)
{
	fprintf(stderr, "%s: %s\n", cli_command_path(), s->error);
	return nodeconf_store_exit(s);
}

bool nodeconf_refuse_root(const char *command)
{
	if (geteuid() != 0)
		return true;
	fprintf(stderr,
		"%s: refusing to run as root: Postgres cannot run as root. Run "
		"pgkeel as the user that owns the data directory (e.g. "
		"`sudo -u postgres pgkeel ...`).\n",
		command);
	return false;
}

const char *nodeconf_formation(const Config *cfg)
{
	return config_get(cfg, S_FORMATION);
}

/* The TLS of the node whose configuration this is; with none (only
 * --monitor), the sslmode of the monitor's URI. */
static const SslSpec *client_ssl(const Config *cfg, SslSpec *ssl)
{
	const char *monitor = config_get(cfg, S_MONITOR);

	sslspec_from_config(cfg, ssl);
	if (strcmp(ssl->mode, "prefer") == 0 && monitor &&
	    !uri_get_param(monitor, "sslmode", ssl->mode, sizeof(ssl->mode)))
		return NULL;
	return strcmp(ssl->mode, "prefer") == 0 ? NULL : ssl;
}

char *nodeconf_formation_uri(const StoreFormation *f, const Config *cfg)
{
	SslSpec ssl;
	HostPort hosts[STORE_MAX_NODES];
	size_t n = 0;
	const char *params[] = {"target_session_attrs", "read-write", NULL};

	for (size_t i = 0; i < f->nnodes; i++) {
		if (f->nodes[i].goal == NS_DROPPED)
			continue;
		hosts[n].host = f->nodes[i].host;
		hosts[n++].port = f->nodes[i].port;
	}
	char *uri = uri_build(hosts, n, NULL, config_get(cfg, S_DBNAME),
			      params);
	return uri_append_ssl(uri, client_ssl(cfg, &ssl));
}

char *nodeconf_node_uri(const StoreNode *n, const Config *cfg)
{
	SslSpec ssl;
	HostPort host = {.host = n->host, .port = n->port};
	char *uri = uri_build(&host, 1, NULL, config_get(cfg, S_DBNAME), NULL);

	return uri_append_ssl(uri, client_ssl(cfg, &ssl));
}

bool nodeconf_secrets_private(const Config *cfg, const NodePaths *paths,
			      char *err, size_t errlen)
{
	const char *auth = config_get(cfg, S_HTTP_AUTH_FILE);
	const char *const files[] = {paths->config, paths->state,
				     paths->operator_pass, paths->store_pass,
				     auth ? auth : "",
				     config_get(cfg, S_LOG_FILE)};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (files[i][0] && fs_exists(files[i]) &&
		    !passfile_is_private(files[i], err, errlen))
			return false;
	}
	return true;
}

Store *nodeconf_open_for_show(const Flags *flags, Config *cfg)
{
	char err[1024];

	if (!nodeconf_load(flags, cfg, false, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return NULL;
	}
	Store *s = nodeconf_open_store(cfg, err, sizeof(err));
	if (!s)
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
	return s;
}

StoreFormation *nodeconf_read_formation(Store *s, const Config *cfg)
{
	StoreFormation *f = calloc(1, sizeof(StoreFormation));
	if (f && store_get_formation(s, nodeconf_formation(cfg), f))
		return f;
	if (f && s->failure == STORE_NOT_FOUND) {
		snprintf(f->name, sizeof(f->name), "%s",
			 nodeconf_formation(cfg));
		snprintf(f->health, sizeof(f->health), "initializing");
		return f;
	}
	fprintf(stderr, "%s: %s\n", cli_command_path(),
		f ? s->error : "out of memory");
	free(f);
	return NULL;
}
