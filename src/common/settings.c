/*
 * settings.c - the settings table and value validation.
 */
#include "common/settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/compat.h"
#include "common/conninfo.h"
#include "common/idents.h"
#include "common/nodetags.h"
#include "common/timeutil.h"

#define STR {VAL_STRING, 0, 0, NULL}
#define TEXT {VAL_TEXT, 0, 0, NULL}
#define URI {VAL_URI, 0, 0, NULL}
#define PATH {VAL_ABSPATH, 0, 0, NULL}
#define PORT {VAL_PORT, 1, 65535, NULL}
#define HOST {VAL_HOST, 0, 0, NULL}
#define NAME {VAL_NAME, 0, 0, NULL}
#define BOOL {VAL_BOOL, 0, 0, NULL}
#define INT(lo, hi) {VAL_INT, lo, hi, NULL}
#define DUR(lo, hi) {VAL_DURATION, lo, hi, NULL}
#define ENUM(c) {VAL_ENUM, 0, 0, c}

static const SettingDef settings[SETTING_COUNT] = {
	{S_ROLE, "pgkeel", "role", "role", ENUM("monitor|keeper"), NULL,
	 "ROLE", "what this directory is: the monitor or a data node's keeper"},
	{S_NAME, "pgkeel", "name", "name", NAME, NULL, "NAME",
	 "node name, unique in its formation (default: node_<id>)"},
	{S_HOSTNAME, "pgkeel", "hostname", "hostname", HOST, "localhost",
	 "HOST", "address other nodes and clients use to reach this node"},
	{S_FORMATION, "pgkeel", "formation", "formation", NAME, "default",
	 "NAME", "formation (primary and its standbys) this node belongs to"},
	{S_MONITOR, "pgkeel", "monitor", "monitor", URI, NULL, "URI",
	 "the monitor's connection URI (see `pgkeel show uri --monitor`)"},
	{S_STORE, "pgkeel", "store", "store", {VAL_URI, 0, 0, "etcd://"}, NULL,
	 "URI",
	 "a monitor's state store shared with other monitors, "
	 "etcd://HOST:PORT[,HOST:PORT...][/PREFIX] (docs/etcd.md); unset: "
	 "the monitor keeps the state in its own Postgres"},

	{S_PGDATA, "postgresql", "pgdata", "pgdata", PATH, NULL, "DIR",
	 "the Postgres data directory (absolute path)"},
	{S_PGPORT, "postgresql", "port", "pgport", PORT, "5432", "PORT",
	 "the Postgres port"},
	{S_BINDIR, "postgresql", "bindir", "pg-bindir", PATH, NULL, "DIR",
	 "directory of initdb/pg_ctl/postgres (found when one version is "
	 "installed)"},
	{S_LISTEN_ADDRESSES, "postgresql", "listen_addresses",
	 "listen-addresses", STR, "*", "ADDRS",
	 "Postgres listen_addresses"},
	{S_AUTH, "postgresql", "auth", "auth", ENUM("scram-sha-256|trust"),
	 "scram-sha-256", "METHOD",
	 "authentication between nodes (trust only for local experiments)"},
	{S_DBNAME, "postgresql", "dbname", "dbname", NAME, "postgres", "NAME",
	 "database the keeper and monitor connect to"},
	{S_HBA_NETWORK, "postgresql", "hba_network", "hba-network", STR,
	 "samehost", "CIDR",
	 "pg_hba address admitted for replication and the monitor "
	 "(samehost, samenet or a CIDR)"},

	{S_SOCKET_DIR, "postgresql", "socket_directory", "socket-directory",
	 PATH, "/tmp", "DIR", "directory of Postgres' Unix-domain socket"},

	{S_CANDIDATE_PRIORITY, "replication", "candidate_priority",
	 "candidate-priority", INT(0, 100), "50", "0..100",
	 "failover preference; 0 means never promoted"},
	{S_REPLICATION_QUORUM, "replication", "replication_quorum",
	 "replication-quorum", BOOL, "true", "BOOL",
	 "whether this standby may count as a synchronous standby"},
	{S_REPLICATE_FROM, "replication", "replicate_from", "replicate-from",
	 NAME, NULL, "NAME",
	 "the standby to stream from (cascading): the node's first "
	 "node.replicate_from, set when it registers"},
	{S_STANDBY_OF, "replication", "standby_of", "standby-of",
	 {VAL_URI, 0, 0, "postgres"}, NULL, "URI",
	 "the first node of a new standby formation: the source formation's "
	 "multi-host URI (no password), its formation.standby_of, set when "
	 "it registers"},
	{S_REPL_USER, "replication", "user", "replication-user", NAME,
	 "pgkeel_replication", "ROLE", "the replication role"},
	{S_REPL_PASSWORD, "replication", "password", "replication-password",
	 TEXT, "", "SECRET",
	 "the replication role's password (set by the monitor if empty)"},

	{S_PGBACKREST_CONFIG, "backup", "pgbackrest_config",
	 "pgbackrest-config", PATH, "/etc/pgbackrest/pgbackrest.conf", "FILE",
	 "pgBackRest's configuration file on this machine "
	 "(docs/pgbackrest.md)"},
	{S_CLONE_METHOD, "backup", "clone_method", "clone-method",
	 ENUM("basebackup|pgbackrest"), "basebackup", "METHOD",
	 "how this node is cloned as a standby: pg_basebackup from the "
	 "primary, or the formation's latest pgBackRest backup"},
	{S_RESTORE_FROM, "backup", "restore_from", "restore-from",
	 ENUM("none|pgbackrest"), "none", "SOURCE",
	 "a formation's first node restored from a pgBackRest backup "
	 "instead of initdb"},
	{S_RESTORE_STANZA, "backup", "restore_stanza", "restore-stanza", NAME,
	 NULL, "STANZA", "the stanza --restore-from restores"},
	{S_RESTORE_TARGET_TIME, "backup", "restore_target_time",
	 "target-time", TEXT, "", "TIMESTAMP",
	 "--restore-from recovers to this time, then promotes (empty: the "
	 "whole archive)"},

	{S_SSL_MODE, "ssl", "mode", "ssl-mode",
	 ENUM("disable|require|verify-ca|verify-full"), "require", "MODE",
	 "sslmode of every connection pgkeel makes (verify-full when a CA "
	 "is given; disable only with --no-ssl)"},
	{S_SSL_CA_FILE, "ssl", "ca_file", "ssl-ca-file", PATH, NULL, "FILE",
	 "certificate authority that signed the nodes' certificates"},
	{S_SSL_CRL_FILE, "ssl", "crl_file", "ssl-crl-file", PATH, NULL, "FILE",
	 "certificate revocation list"},
	{S_SSL_CERT_FILE, "ssl", "cert_file", "server-cert", PATH, NULL, "FILE",
	 "this server's certificate (made by --ssl-self-signed)"},
	{S_SSL_KEY_FILE, "ssl", "key_file", "server-key", PATH, NULL, "FILE",
	 "this server's private key (0600)"},

	{S_KEEPER_INTERVAL, "timeouts", "keeper_interval", "keeper-interval",
	 DUR(50, 60000), "500ms", "DURATION",
	 "how often a keeper observes its node and reports"},
	{S_MONITOR_INTERVAL, "timeouts", "monitor_interval",
	 "monitor-interval", DUR(50, 60000), "250ms", "DURATION",
	 "how often the monitor health-checks nodes and decides"},
	{S_STORE_TIMEOUT, "timeouts", "store_timeout", "store-timeout",
	 DUR(100, 60000), "1s", "DURATION",
	 "time limit for one call to the state store"},
	{S_FENCE_TIMEOUT, "timeouts", "fence_timeout", "fence-timeout",
	 DUR(100, 600000), "1s", "DURATION",
	 "a primary that cannot reach the store and has no standby "
	 "stops accepting writes after this long"},
	{S_NODE_DOWN_TIMEOUT, "timeouts", "node_down_timeout",
	 "node-down-timeout", DUR(500, 600000), "3s", "DURATION",
	 "a node unseen by every signal for this long is down"},
	{S_SYNC_TIMEOUT, "timeouts", "sync_timeout", "sync-timeout",
	 DUR(0, 600000), "5s", "DURATION",
	 "a standby that does not report or stream this long leaves the "
	 "synchronous set (unless strict)"},
	{S_RESTART_RETRIES, "timeouts", "postgres_restart_retries",
	 "postgres-restart-retries", INT(0, 100), "3", "N",
	 "restarts of a crashed Postgres before reporting it failed"},
	{S_RESTART_ALLOWANCE, "timeouts", "restart_allowance",
	 "restart-allowance", DUR(0, 3600000), "5s", "DURATION",
	 "a primary whose keeper reports it is restarting Postgres gets this "
	 "long beyond node_down_timeout before a failover"},

	{S_HTTP_LISTEN, "http", "listen", "http-listen", HOST, "127.0.0.1",
	 "ADDR", "HTTP API listen address"},
	{S_HTTP_PORT, "http", "port", "http-port", INT(0, 65535), "0", "PORT",
	 "HTTP API port (0: off)"},
	{S_HTTP_TLS, "http", "tls", "http-tls", BOOL, "true", "BOOL",
	 "serve HTTPS with the node's certificate (when it has one)"},
	{S_HTTP_AUTH_FILE, "http", "auth_file", "http-auth-file", PATH, NULL,
	 "FILE", "credentials required for everything but the routing checks"},
	{S_HTTP_MAX_PER_CLIENT, "http", "max_per_client",
	 "http-max-per-client", INT(1, 1000), "8", "N",
	 "open HTTP connections allowed from one client address"},
	{S_HTTP_TIMEOUT, "http", "timeout", "http-timeout", DUR(100, 600000),
	 "5s", "DURATION", "an idle or slow HTTP connection is closed after this"},

	{S_HOOK_STATE_CHANGE, "hooks", "state_change", "hook-state-change",
	 TEXT, "", "COMMAND", "program run on every state change"},
	{S_HOOK_TIMEOUT, "hooks", "timeout", "hook-timeout", DUR(100, 3600000),
	 "10s", "DURATION", "time limit for one hook run"},
	{S_HOOK_PRE_PROMOTE, "hooks", "pre_promote", "hook-pre-promote", TEXT,
	 "", "COMMAND",
	 "program run just before this node is promoted; a non-zero exit "
	 "vetoes the promotion"},
	{S_HOOK_PRE_PROMOTE_TIMEOUT, "hooks", "pre_promote_timeout",
	 "hook-pre-promote-timeout", DUR(100, 600000), "5s", "DURATION",
	 "a pre_promote hook still running after this is killed: a veto "
	 "(it delays the failover by as much)"},
	{S_HOOK_ON_ROLE_CHANGE, "hooks", "on_role_change",
	 "hook-on-role-change", TEXT, "", "COMMAND",
	 "program run when this node changes from primary to standby or back"},
	{S_HOOK_ON_FAILOVER, "hooks", "on_failover", "hook-on-failover", TEXT,
	 "", "COMMAND",
	 "program run on this node once a failover promoted it"},
	{S_HOOK_ON_SWITCHOVER, "hooks", "on_switchover", "hook-on-switchover",
	 TEXT, "", "COMMAND",
	 "program run on this node once a switchover promoted it"},

	{S_PGB_ADMIN_URI, "pgbouncer", "admin_uri", "pgbouncer-admin-uri", URI,
	 NULL, "URI",
	 "pgBouncer's admin console this keeper points at the primary "
	 "(password in a passfile the URI names; unset: no pgBouncer)"},
	{S_PGB_DATABASES_FILE, "pgbouncer", "databases_file",
	 "pgbouncer-databases-file", PATH, NULL, "FILE",
	 "the [databases] file pgBouncer includes, rewritten for the primary"},
	{S_PGB_DATABASE, "pgbouncer", "database", "pgbouncer-database", NAME,
	 "postgres", "NAME", "the pool's database (and the database it opens)"},
	{S_PGB_PAUSE_TIMEOUT, "pgbouncer", "pause_timeout",
	 "pgbouncer-pause-timeout", DUR(0, 600000), "3s", "DURATION",
	 "a switchover waits this long for pgBouncer's PAUSE, then goes on "
	 "without it"},

	{S_LOG_LEVEL, "log", "level", "log-level",
	 ENUM("debug|info|warn|error"), "info", "LEVEL", "log verbosity"},
	{S_LOG_JSON, "log", "json", "log-json", BOOL, "false", "BOOL",
	 "write log lines as JSON objects"},
	{S_LOG_FILE, "log", "file", "log-file", TEXT, "", "FILE",
	 "also append log lines to this file"},
};

const SettingDef *setting_def(SettingId id)
{
	return (id >= 0 && id < SETTING_COUNT) ? &settings[id] : NULL;
}

const char *setting_quotable(const char *metavar, const char *value)
{
	return metavar && strcmp(metavar, "SECRET") == 0 ? "(not shown)"
							 : value;
}

const SettingDef *setting_find(const char *section, const char *key)
{
	for (size_t i = 0; i < SETTING_COUNT; i++) {
		if (strcmp(settings[i].section, section) == 0 &&
		    strcmp(settings[i].key, key) == 0)
			return &settings[i];
	}
	return NULL;
}

const SettingDef *setting_find_flag(const char *flag)
{
	for (size_t i = 0; i < SETTING_COUNT; i++) {
		if (settings[i].flag && strcmp(settings[i].flag, flag) == 0)
			return &settings[i];
	}
	return NULL;
}

bool value_parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = {"true", "on", "yes", "1"};
	static const char *const no[] = {"false", "off", "no", "0"};

	for (size_t i = 0; i < PGK_ARRAY_LEN(yes); i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool parse_int(const char *text, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || end == text || *end)
		return false;
	*out = v;
	return true;
}

static bool enum_contains(const char *choices, const char *text)
{
	size_t n = strlen(text);
	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, text, n) == 0)
			return true;
		p += len + (bar ? 1 : 0);
	}
	return false;
}

static bool check_range(const ValueSpec *spec, int64_t v, const char *what,
			char *err, size_t errlen)
{
	if (v >= spec->min && v <= spec->max)
		return true;
	snprintf(err, errlen, "expected %s between %lld and %lld", what,
		 (long long)spec->min, (long long)spec->max);
	return false;
}

/* pgkeel.ini is read with inih: a ";" first or after any white space
 * starts a comment, and white space around a value is dropped. Values
 * that would not read back as they are are refused (found by the flags
 * fuzz target: --monitor ";" was saved and read back empty). */
static bool reads_back(const char *text, char *err, size_t errlen)
{
	size_t n = strlen(text);
	bool comment = text[0] == ';';

	for (size_t i = 1; i < n && !comment; i++)
		comment = text[i] == ';' && isspace((unsigned char)text[i - 1]);
	if (strchr(text, '\n') || comment) {
		snprintf(err, errlen, "a value cannot contain a line break or "
				      "\" ;\" (a comment in pgkeel.ini)");
		return false;
	}
	if (n && (isspace((unsigned char)text[0]) ||
		  isspace((unsigned char)text[n - 1]))) {
		snprintf(err, errlen, "a value cannot start or end with white "
				      "space (pgkeel.ini drops it)");
		return false;
	}
	return true;
}

/* pgkeel.ini is read with inih: lines of at most 200 bytes. */
static bool fits_one_line(const char *text, char *err, size_t errlen)
{
	if (strlen(text) > SETTING_MAX_VALUE) {
		snprintf(err, errlen, "too long (at most %d characters); for a "
				      "long command, write a script and give "
				      "its path",
			 SETTING_MAX_VALUE);
		return false;
	}
	return reads_back(text, err, errlen);
}

bool value_validate(const ValueSpec *spec, const char *text, char *err,
		    size_t errlen)
{
	int64_t v;
	bool b;

	if (spec->type == VAL_URI) {
		if (spec->choices &&
		    strncmp(text, spec->choices, strlen(spec->choices)) != 0) {
			snprintf(err, errlen, "expected a URI starting with %s",
				 spec->choices);
			return false;
		}
		if (*text && strlen(text) < 4096 && !strchr(text, '\n'))
			return reads_back(text, err, errlen);
		snprintf(err, errlen, "expected a connection URI on one line");
		return false;
	}
	if (!fits_one_line(text, err, errlen))
		return false;
	switch (spec->type) {
	case VAL_TEXT:
	case VAL_URI:
		return true;
	case VAL_STRING:
		if (*text)
			return true;
		snprintf(err, errlen, "expected a non-empty value");
		return false;
	case VAL_ABSPATH:
		if (text[0] == '/')
			return true;
		snprintf(err, errlen, "expected an absolute path (starting "
				      "with /)");
		return false;
	case VAL_PORT:
		if (parse_int(text, &v) && v >= 1 && v <= 65535)
			return true;
		snprintf(err, errlen,
			 "expected a port number between 1 and 65535");
		return false;
	case VAL_INT:
		if (!parse_int(text, &v)) {
			snprintf(err, errlen, "expected an integer");
			return false;
		}
		return check_range(spec, v, "an integer", err, errlen);
	case VAL_BOOL:
		if (value_parse_bool(text, &b))
			return true;
		snprintf(err, errlen, "expected true or false");
		return false;
	case VAL_ENUM:
		if (enum_contains(spec->choices, text))
			return true;
		snprintf(err, errlen, "expected one of: %s", spec->choices);
		return false;
	case VAL_DURATION:
		if (!duration_parse_ms(text, &v)) {
			snprintf(err, errlen, "expected a duration such as "
					      "500ms, 3s or 1min");
			return false;
		}
		return check_range(spec, v, "a duration in milliseconds", err,
				   errlen);
	case VAL_HOST:
		if (host_is_valid(text))
			return true;
		snprintf(err, errlen, "expected a host name or IP address");
		return false;
	case VAL_TAGS:
		return node_tags_parse(text, &(int){0}, err, errlen);
	case VAL_NODE:
		if (!*text)
			return true;
		/* fall through */
	case VAL_NAME:
		if (name_is_valid(text))
			return true;
		snprintf(err, errlen, "expected a name of letters, digits, _ "
				      "and - (at most 63)");
		return false;
	}
	snprintf(err, errlen, "unknown value type");
	return false;
}
