/*
 * settings.h - the catalog of every pgkeel setting.
 *
 * One table names each setting (its INI section and key, its command-line
 * flag, its type, default and help). The INI reader, the flag parser, the
 * configuration reference and `pgkeel show settings` all use this table,
 * so a setting is declared once and validated the same way everywhere.
 */
#ifndef PGK_SETTINGS_H
#define PGK_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest value a setting may have (one line of pgkeel.ini). */
#define SETTING_MAX_VALUE 160

typedef enum {
	VAL_STRING,   /* free text, must not be empty */
	VAL_ABSPATH,  /* an absolute path */
	VAL_PORT,     /* 1..65535 */
	VAL_INT,      /* integer within [min, max] */
	VAL_BOOL,     /* true/false, on/off, yes/no, 1/0 */
	VAL_ENUM,     /* one of choices, "a|b|c" */
	VAL_DURATION, /* "250ms", "5s", "1min"; milliseconds within [min, max] */
	VAL_HOST,     /* a host name or IP address */
	VAL_NAME,     /* identifier: letters, digits, '_' and '-' */
	VAL_TEXT,     /* free text, may be empty */
	VAL_URI,      /* a connection URI: one line, longer than a setting
			 may be in pgkeel.ini (what is saved is checked
			 when saved); choices, when set, the scheme it
			 must start with */
	VAL_TAGS,     /* node tags, "a,b" (common/nodetags.h); may be empty */
	VAL_NODE      /* a node's name (as VAL_NAME), or "" for none */
} ValueType;

typedef struct {
	ValueType type;
	int64_t min, max;    /* VAL_INT, VAL_DURATION */
	const char *choices; /* VAL_ENUM */
} ValueSpec;

/*
 * Checks text against spec: true when it conforms. On failure (false)
 * writes a sentence into err saying what was expected, e.g. "expected a
 * port number between 1 and 65535".
 */
bool value_validate(const ValueSpec *spec, const char *text, char *err,
		    size_t errlen);
/* true/on/yes/1 or false/off/no/0, any case, into *out: true when text
 * is one of them; false (and *out unchanged) otherwise. */
bool value_parse_bool(const char *text, bool *out);

typedef enum {
	/* [pgkeel] */
	S_ROLE,
	S_NAME,
	S_HOSTNAME,
	S_FORMATION,
	S_MONITOR,
	S_STORE,
	/* [postgresql] */
	S_PGDATA,
	S_PGPORT,
	S_BINDIR,
	S_LISTEN_ADDRESSES,
	S_AUTH,
	S_DBNAME,
	S_HBA_NETWORK,
	S_SOCKET_DIR,
	/* [replication] */
	S_CANDIDATE_PRIORITY,
	S_REPLICATION_QUORUM,
	S_REPLICATE_FROM,
	S_STANDBY_OF,
	S_REPL_USER,
	S_REPL_PASSWORD,
	/* [backup] */
	S_PGBACKREST_CONFIG,
	S_CLONE_METHOD,
	S_RESTORE_FROM,
	S_RESTORE_STANZA,
	S_RESTORE_TARGET_TIME,
	/* [ssl] */
	S_SSL_MODE,
	S_SSL_CA_FILE,
	S_SSL_CRL_FILE,
	S_SSL_CERT_FILE,
	S_SSL_KEY_FILE,
	/* [timeouts] */
	S_KEEPER_INTERVAL,
	S_MONITOR_INTERVAL,
	S_STORE_TIMEOUT,
	S_FENCE_TIMEOUT,
	S_NODE_DOWN_TIMEOUT,
	S_SYNC_TIMEOUT,
	S_RESTART_RETRIES,
	S_RESTART_ALLOWANCE,
	/* [http] */
	S_HTTP_LISTEN,
	S_HTTP_PORT,
	S_HTTP_TLS,
	S_HTTP_AUTH_FILE,
	S_HTTP_MAX_PER_CLIENT,
	S_HTTP_TIMEOUT,
	/* [hooks] */
	S_HOOK_STATE_CHANGE,
	S_HOOK_TIMEOUT,
	S_HOOK_PRE_PROMOTE,
	S_HOOK_PRE_PROMOTE_TIMEOUT,
	S_HOOK_ON_ROLE_CHANGE,
	S_HOOK_ON_FAILOVER,
	S_HOOK_ON_SWITCHOVER,
	/* [pgbouncer] */
	S_PGB_ADMIN_URI,
	S_PGB_DATABASES_FILE,
	S_PGB_DATABASE,
	S_PGB_PAUSE_TIMEOUT,
	/* [log] */
	S_LOG_LEVEL,
	S_LOG_JSON,
	S_LOG_FILE,
	SETTING_COUNT
} SettingId;

typedef struct {
	SettingId id;
	const char *section;
	const char *key;
	const char *flag;    /* long option, without the leading dashes */
	ValueSpec spec;
	const char *defval;  /* NULL: no default (must be given, or unset) */
	const char *metavar;
	const char *help;
} SettingDef;

/* The row of id; NULL for an id out of range. */
const SettingDef *setting_def(SettingId id);
/* What a message may quote of a value given for metavar: a secret's
 * value is never quoted. value itself (NULL only if value is), or
 * "(not shown)". */
const char *setting_quotable(const char *metavar, const char *value);
/* Looks up "section.key"; NULL when unknown. */
const SettingDef *setting_find(const char *section, const char *key);
/* Looks up a long option (without "--"); NULL when no setting has it. */
const SettingDef *setting_find_flag(const char *flag);

#endif
