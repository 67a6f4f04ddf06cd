/*
 * pgconf.c - rendering and writing postgresql.pgkeel.conf, the include
 * line, standby.signal and synchronous_standby_names.
 */
#define _GNU_SOURCE /* open_memstream */
#include "pg/pgconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fsutil.h"

#define INCLUDE_LINE "include '" PGCONF_FILE "'"

/* Settings every pgkeel node needs, whatever its role. wal_level is
 * logical so that a permanent logical slot can be declared without
 * restarting every server, and a standby can load its copy
 * (docs/configuration.md). A receiver ends a stream it heard nothing on
 * for wal_receiver_timeout (asking for an answer halfway): a frozen
 * primary's standbys let it go after 2 s, which the monitor waits for
 * (docs/guarantees.md). */
static const PgParam base_params[] = {
	{"wal_level", "logical"},
	{"hot_standby", "on"},
	{"max_wal_senders", "16"},
	{"max_replication_slots", "16"},
	{"wal_log_hints", "on"},
	{"wal_keep_size", "'512MB'"},
	{"hot_standby_feedback", "on"},
	{"wal_sender_timeout", "'5s'"},
	{"wal_receiver_timeout", "'2s'"},
	{"wal_receiver_status_interval", "'1s'"},
	{"wal_retrieve_retry_interval", "'500ms'"},
	{"recovery_target_timeline", "'latest'"},
	{"password_encryption", "'scram-sha-256'"},
};

bool pgconf_name_is_valid(const char *name)
{
	if (!isalpha((unsigned char)*name) && *name != '_')
		return false;
	for (const char *s = name; *s; s++) {
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.')
			return false;
	}
	return true;
}

char *pgconf_quote(const char *value)
{
	size_t len = strlen(value);

	for (const char *s = value; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return NULL; /* nothing may start another line */
	}
	char *out = malloc(len * 2 + 3), *p = out;
	if (!out)
		return NULL;
	*p++ = '\'';
	for (const char *s = value; *s; s++) {
		/* Postgres reads \ as an escape and '' as a quote */
		if (*s == '\'' || *s == '\\')
			*p++ = *s;
		*p++ = *s;
	}
	*p++ = '\'';
	*p = '\0';
	return out;
}

static void put_quoted(FILE *f, const char *name, const char *value)
{
	char *q = pgconf_quote(value);
	fprintf(f, "%s = %s\n", name, q ? q : "''");
	free(q);
}

/* A formation-wide parameter must not turn TLS off or point a node at
 * another node's files: these come from each node's own settings. */
static bool ssl_managed(const char *name)
{
	static const char *const managed[] = {
		"ssl", "ssl_cert_file", "ssl_key_file", "ssl_ca_file",
		"ssl_crl_file", "ssl_crl_dir"};
	for (size_t i = 0; i < sizeof(managed) / sizeof(managed[0]); i++) {
		if (strcmp(name, managed[i]) == 0)
			return true;
	}
	return false;
}

/* Postgres reads these files again on every reload: replacing them and
 * reloading renews the certificate for new connections. */
static void put_ssl(FILE *f, const PgConfSpec *spec)
{
	bool on = spec->ssl_cert_file && *spec->ssl_cert_file &&
		  spec->ssl_key_file && *spec->ssl_key_file;

	fprintf(f, "ssl = %s\n", on ? "on" : "off");
	if (!on)
		return;
	put_quoted(f, "ssl_cert_file", spec->ssl_cert_file);
	put_quoted(f, "ssl_key_file", spec->ssl_key_file);
	if (spec->ssl_ca_file && *spec->ssl_ca_file)
		put_quoted(f, "ssl_ca_file", spec->ssl_ca_file);
	if (spec->ssl_crl_file && *spec->ssl_crl_file)
		put_quoted(f, "ssl_crl_file", spec->ssl_crl_file);
}

char *pgconf_render(const PgConfSpec *spec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, "# Written by pgkeel; it is regenerated, do not edit.\n"
		   "# Formation-wide parameters: pgkeel config set "
		   "postgresql.NAME VALUE\n");
	for (size_t i = 0; i < sizeof(base_params) / sizeof(base_params[0]);
	     i++)
		fprintf(f, "%s = %s\n", base_params[i].name,
			base_params[i].value);
	fprintf(f, "port = %d\n", spec->port);
	put_quoted(f, "listen_addresses", spec->listen_addresses);
	put_quoted(f, "unix_socket_directories", spec->socket_dir);
	if (spec->cluster_name)
		put_quoted(f, "cluster_name", spec->cluster_name);
	put_ssl(f, spec);
	put_quoted(f, "synchronous_standby_names",
		   spec->synchronous_standby_names
			   ? spec->synchronous_standby_names
			   : "");
	put_quoted(f, "primary_conninfo",
		   spec->primary_conninfo ? spec->primary_conninfo : "");
	put_quoted(f, "primary_slot_name",
		   spec->primary_slot_name ? spec->primary_slot_name : "");
	if (spec->apply_delay_ms > 0)
		fprintf(f, "recovery_min_apply_delay = '%dms'\n",
			spec->apply_delay_ms);
	if (spec->archive_command) {
		fprintf(f, "archive_mode = on\n");
		put_quoted(f, "archive_command", spec->archive_command);
	}
	if (spec->restore_command)
		put_quoted(f, "restore_command", spec->restore_command);
	for (size_t i = 0; i < spec->nparams; i++) {
		if (!pgconf_name_is_valid(spec->params[i].name))
			continue; /* a name that could start another line */
		if (ssl_managed(spec->params[i].name))
			fprintf(f, "# %s: per node, from pgkeel's [ssl] "
				   "settings\n", spec->params[i].name);
		else
			fprintf(f, "%s = %s\n", spec->params[i].name,
				spec->params[i].value);
	}
	fs_memstream_close(f, &buf);
	return buf;
}

bool pgconf_ensure_include(const char *datadir, char *err, size_t errlen)
{
	char path[4096];
	fs_path_join(path, sizeof(path), datadir, "postgresql.conf");
	char *text = fs_read_file(path, NULL);

	if (!text) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		return false;
	}
	bool present = strstr(text, "\n" INCLUDE_LINE "\n") != NULL;
	free(text);
	if (present)
		return true;
	FILE *f = fopen(path, "a");
	bool ok = f && fprintf(f, "\n# Added by pgkeel: its settings come "
				  "last.\n" INCLUDE_LINE "\n") >= 0;
	ok = f && fclose(f) == 0 && ok;
	if (!ok)
		snprintf(err, errlen, "cannot append to %s: %s", path,
			 strerror(errno));
	return ok;
}

bool pgconf_write(const char *datadir, const PgConfSpec *spec, bool *changed,
		  char *err, size_t errlen)
{
	char path[4096];
	char *text = pgconf_render(spec);

	*changed = false;
	if (!text) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	fs_path_join(path, sizeof(path), datadir, PGCONF_FILE);
	char *old = fs_read_file(path, NULL);
	bool same = old && strcmp(old, text) == 0;
	bool ok = same || fs_write_file_atomic(path, text, strlen(text), 0600);
	if (!ok)
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
	*changed = ok && !same;
	free(old);
	free(text);
	return ok && pgconf_ensure_include(datadir, err, errlen);
}

bool pgconf_has_standby_signal(const char *datadir)
{
	char path[4096];
	fs_path_join(path, sizeof(path), datadir, "standby.signal");
	return fs_exists(path);
}

bool pgconf_standby_signal(const char *datadir, bool on, char *err,
			   size_t errlen)
{
	char path[4096];
	fs_path_join(path, sizeof(path), datadir, "standby.signal");

	if (on && !fs_exists(path) &&
	    !fs_write_file_atomic(path, "", 0, 0600)) {
		snprintf(err, errlen, "cannot create %s: %s", path,
			 strerror(errno));
		return false;
	}
	if (!on && unlink(path) != 0 && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove %s: %s", path,
			 strerror(errno));
		return false;
	}
	return true;
}

char *pgconf_sync_names(int n, const char *const *names, size_t count)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (n <= 0 || count == 0)
		return strdup("");
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "ANY %d (", n);
	for (size_t i = 0; i < count; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", names[i]);
	fputc(')', f);
	fs_memstream_close(f, &buf);
	return buf;
}
