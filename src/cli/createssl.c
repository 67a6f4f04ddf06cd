/*
 * createssl.c - resolving the TLS flags of the create commands.
 */
#include "cli/createssl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/nodepaths.h"
#include "common/sslconn.h"
#include "common/tlscert.h"

static const char *const tls_flags[] = {
	"ssl-self-signed", "server-cert", "server-key",
	"ssl-ca-file",     "ssl-crl-file", "ssl-mode"};

static void unset(Config *cfg, SettingId id)
{
	free(cfg->values[id]);
	cfg->values[id] = NULL;
}

static bool set(Config *cfg, SettingId id, const char *value, char *err,
		size_t errlen)
{
	return config_set(cfg, id, value, err, errlen);
}

static bool is_verify(const char *mode)
{
	return mode && strncmp(mode, "verify-", 7) == 0;
}

static bool check_combination(const Flags *flags, char *err, size_t errlen)
{
	const char *mode = flags_get(flags, "ssl-mode");
	bool no_ssl = flags_has(flags, "no-ssl");

	for (size_t i = 0; no_ssl && i < sizeof(tls_flags) / sizeof(*tls_flags);
	     i++) {
		bool mode_off = strcmp(tls_flags[i], "ssl-mode") == 0 &&
				strcmp(mode ? mode : "", "disable") == 0;
		if (flags_has(flags, tls_flags[i]) && !mode_off) {
			snprintf(err, errlen, "--no-ssl turns TLS off: it "
					      "cannot go with --%s",
				 tls_flags[i]);
			return false;
		}
	}
	if (flags_has(flags, "ssl-self-signed") &&
	    (flags_has(flags, "server-cert") || flags_has(flags, "server-key"))) {
		snprintf(err, errlen, "--ssl-self-signed makes this node's "
				      "certificate: give it, or --server-cert "
				      "and --server-key, not both");
		return false;
	}
	if (flags_has(flags, "server-cert") != flags_has(flags, "server-key")) {
		snprintf(err, errlen, "--server-cert and --server-key go "
				      "together: give the certificate and its "
				      "private key");
		return false;
	}
	if (mode && strcmp(mode, "disable") == 0 && !no_ssl) {
		snprintf(err, errlen, "--ssl-mode disable turns TLS off: say "
				      "so with --no-ssl");
		return false;
	}
	return true;
}

static bool no_ssl(Config *cfg, char *err, size_t errlen)
{
	unset(cfg, S_SSL_CERT_FILE);
	unset(cfg, S_SSL_KEY_FILE);
	unset(cfg, S_SSL_CA_FILE);
	unset(cfg, S_SSL_CRL_FILE);
	log_warn("--no-ssl: connections to this node's Postgres and from it "
		 "to other nodes are not encrypted, and data and passwords "
		 "cross the network in clear; use it only on a trusted "
		 "network");
	return set(cfg, S_SSL_MODE, "disable", err, errlen);
}

/* --ssl-self-signed: server.crt and server.key in the node directory,
 * made once (a create run again keeps them). */
static bool self_signed(Config *cfg, char *err, size_t errlen)
{
	NodePaths paths;
	const char *host = config_get(cfg, S_HOSTNAME);

	if (config_get(cfg, S_SSL_CA_FILE)) {
		snprintf(err, errlen,
			 "--ssl-ca-file: the nodes verify each other's "
			 "certificates with this CA, so this node needs one it "
			 "signed: give --server-cert and --server-key");
		return false;
	}
	if (!nodepaths_init(&paths, config_get(cfg, S_PGDATA), err, errlen) ||
	    !nodepaths_create(&paths, err, errlen))
		return false;
	if (!fs_exists(paths.cert) || !fs_exists(paths.key)) {
		if (!tlscert_self_signed(host, TLSCERT_DAYS, paths.cert,
					 paths.key, err, errlen))
			return false;
		log_info("made a self-signed certificate for %s: %s", host,
			 paths.cert);
	}
	return set(cfg, S_SSL_CERT_FILE, paths.cert, err, errlen) &&
	       set(cfg, S_SSL_KEY_FILE, paths.key, err, errlen);
}

static bool file_exists(const char *flag, const char *path, char *err,
			size_t errlen)
{
	if (!path || fs_exists(path))
		return true;
	snprintf(err, errlen, "--%s %s: no such file", flag, path);
	return false;
}

static bool resolve_mode(Config *cfg, char *err, size_t errlen)
{
	const char *ca = config_get(cfg, S_SSL_CA_FILE);

	if (!config_is_set(cfg, S_SSL_MODE) &&
	    !set(cfg, S_SSL_MODE, ca ? "verify-full" : "require", err, errlen))
		return false;
	const char *mode = config_get(cfg, S_SSL_MODE);
	if (is_verify(mode) && !ca) {
		snprintf(err, errlen, "--ssl-mode %s checks certificates "
				      "against a CA: give --ssl-ca-file", mode);
		return false;
	}
	return true;
}

/* A data node's TLS must fit the monitor's, named by --monitor's URI. */
static bool fits_monitor(const Config *cfg, char *err, size_t errlen)
{
	const char *uri = config_get(cfg, S_MONITOR);
	const char *mode = config_get(cfg, S_SSL_MODE);
	char theirs[32];

	if (!uri || !uri_get_param(uri, "sslmode", theirs, sizeof(theirs)))
		return true;
	if (strcmp(theirs, "disable") == 0 && strcmp(mode, "disable") != 0) {
		snprintf(err, errlen, "the monitor runs without TLS (sslmode="
				      "disable in --monitor): create this node "
				      "with --no-ssl too, or the monitor with "
				      "TLS");
		return false;
	}
	if (strcmp(theirs, "disable") != 0 && strcmp(mode, "disable") == 0) {
		snprintf(err, errlen, "the monitor requires TLS (sslmode=%s in "
				      "--monitor): drop --no-ssl",
			 theirs);
		return false;
	}
	if (is_verify(theirs) && !config_get(cfg, S_SSL_CA_FILE)) {
		snprintf(err, errlen,
			 "the monitor verifies certificates (sslmode=%s in "
			 "--monitor): give this node --ssl-ca-file, and "
			 "--server-cert and --server-key signed by that CA",
			 theirs);
		return false;
	}
	return true;
}

static bool wants_no_ssl(const Flags *flags, const Config *cfg)
{
	if (flags_has(flags, "no-ssl"))
		return true;
	/* create run again on a node made with --no-ssl, without TLS flags */
	for (size_t i = 0; i < sizeof(tls_flags) / sizeof(*tls_flags); i++) {
		if (flags_has(flags, tls_flags[i]))
			return false;
	}
	return config_is_set(cfg, S_SSL_MODE) &&
	       strcmp(config_get(cfg, S_SSL_MODE), "disable") == 0;
}

bool createssl_apply(const Flags *flags, Config *cfg, char *err,
		     size_t errlen)
{
	if (!check_combination(flags, err, errlen))
		return false;
	if (wants_no_ssl(flags, cfg))
		return no_ssl(cfg, err, errlen) && fits_monitor(cfg, err, errlen);
	if (!config_is_set(cfg, S_SSL_CERT_FILE) &&
	    !self_signed(cfg, err, errlen))
		return false;
	return tlscert_check_pair(config_get(cfg, S_SSL_CERT_FILE),
				  config_get(cfg, S_SSL_KEY_FILE), err,
				  errlen) &&
	       file_exists("ssl-ca-file", config_get(cfg, S_SSL_CA_FILE), err,
			   errlen) &&
	       file_exists("ssl-crl-file", config_get(cfg, S_SSL_CRL_FILE),
			   err, errlen) &&
	       resolve_mode(cfg, err, errlen) && fits_monitor(cfg, err, errlen);
}
