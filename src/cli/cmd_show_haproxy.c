/*
 * cmd_show_haproxy.c - `pgkeel show haproxy-config`: the options of the
 * HAProxy configuration haproxy.c writes, from the flags and the node's
 * configuration (docs/http-api.md#haproxy).
 */
#include "cli/haproxy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/nodeconf.h"
#include "common/exitcode.h"

/*
 * Whether the checks go over HTTPS: --http-tls when given, else what the
 * configuration read says (keepers serve HTTPS unless made with --no-ssl
 * or http.tls false). With ssl.ca_file (--ssl-ca-file) HAProxy verifies
 * the keepers' certificates; self-signed ones it cannot.
 */
static bool haproxy_tls(const Flags *flags, const Config *cfg,
			HaproxyOptions *o)
{
	const char *given = flags_get(flags, "http-tls");
	const char *ca = config_get(cfg, S_SSL_CA_FILE);
	const char *mode = config_get(cfg, S_SSL_MODE);
	bool tls = config_get_bool(cfg, S_HTTP_TLS) &&
		   !(mode && strcmp(mode, "disable") == 0);

	if (given)
		value_parse_bool(given, &tls);
	o->check_ssl = tls;
	o->ca_file = tls && ca && *ca ? ca : NULL;
	if (o->ca_file && strchr(o->ca_file, '\'')) {
		fprintf(stderr, "%s: ssl.ca_file %s: a path with a quote (') "
				"cannot go in an HAProxy configuration\n",
			cli_command_path(), o->ca_file);
		return false;
	}
	return true;
}

static int show_haproxy_run(const Command *cmd, Flags *flags)
{
	Config cfg;
	HaproxyOptions o = {
		.bind = flags_get(flags, "bind") ? flags_get(flags, "bind")
						 : "*",
		.rw_port = flags_get_int(flags, "rw-port", 5000),
		.ro_port = flags_get_int(flags, "ro-port", 5001),
		.stats_port = flags_get_int(flags, "stats-port", 0),
		.read_pool = flags_has(flags, "read-only")};
	Store *s = nodeconf_open_for_show(flags, &cfg);
	StoreFormation *f = s ? nodeconf_read_formation(s, &cfg) : NULL;

	(void)cmd;
	if (f && (o.rw_port == o.ro_port || !haproxy_tls(flags, &cfg, &o))) {
		if (o.rw_port == o.ro_port)
			fprintf(stderr, "%s: --rw-port and --ro-port must "
					"differ\n",
				cli_command_path());
		free(f);
		store_close(s);
		return EXIT_USAGE;
	}
	if (f)
		haproxy_write(stdout, f, &o);
	free(f);
	store_close(s);
	return f ? EXIT_OK : s ? EXIT_FAILED : EXIT_STORE;
}

static const FlagDef haproxy_flags[] = {
	FLAG_OF(S_PGDATA),
	FLAG_OF(S_MONITOR),
	FLAG_OF(S_FORMATION),
	FLAG_VALUE("bind", "ADDR", "address HAProxy listens on (default *)",
		   VAL_HOST, 0, 0, NULL),
	FLAG_VALUE("rw-port", "PORT", "read-write port (default 5000)",
		   VAL_INT, 1, 65535, NULL),
	FLAG_VALUE("ro-port", "PORT", "read-only port (default 5001)",
		   VAL_INT, 1, 65535, NULL),
	FLAG_VALUE("stats-port", "PORT", "HAProxy's stats page (default none)",
		   VAL_INT, 1, 65535, NULL),
	FLAG_SWITCH("read-only", "a read pool: the primary takes the read-only "
				 "port's connections while no standby passes"),
	FLAG_OF(S_HTTP_TLS),
	FLAG_OF(S_SSL_CA_FILE),
};

const Command show_haproxy = {
	.name = "haproxy-config",
	.summary = "an HAProxy configuration routing to the primary/replicas",
	.description =
		"Prints an HAProxy configuration for the formation: the "
		"read-write port goes to the node whose keeper answers 200 on "
		"/primary, the read-only port to those answering 200 on "
		"/replica, each checked every second through the keeper's "
		"HTTP API (http.port on every node), over HTTPS unless "
		"--http-tls false or the configuration read has no TLS. With "
		"--read-only the read-only port is a read pool: round robin "
		"over the standbys, the primary as a backup server taking the "
		"connections only while no standby passes.",
	.flags = FLAGS(haproxy_flags),
	.run = show_haproxy_run,
};

