/*
 * test_sslconn.c - a node's [ssl] settings resolved, and added to
 * connection strings and URIs.
 */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "common/sslconn.h"

static void set(Config *cfg, SettingId id, const char *value)
{
	char err[256];
	assert_true(config_set(cfg, id, value, err, sizeof(err)));
}

static void resolves_the_mode(void **state)
{
	Config cfg;
	SslSpec ssl;
	(void)state;

	config_init(&cfg);
	sslspec_from_config(&cfg, &ssl); /* nothing: libpq's default */
	assert_string_equal(ssl.mode, "prefer");
	assert_false(sslspec_server_on(&ssl));
	set(&cfg, S_SSL_CERT_FILE, "/n/server.crt");
	set(&cfg, S_SSL_KEY_FILE, "/n/server.key");
	sslspec_from_config(&cfg, &ssl);
	assert_string_equal(ssl.mode, "require");
	assert_true(sslspec_server_on(&ssl));
	set(&cfg, S_SSL_CA_FILE, "/ca/ca.crt");
	sslspec_from_config(&cfg, &ssl); /* a CA and no mode: verify-full */
	assert_string_equal(ssl.mode, "verify-full");
	assert_string_equal(ssl.ca_file, "/ca/ca.crt");
	set(&cfg, S_SSL_MODE, "verify-ca");
	sslspec_from_config(&cfg, &ssl);
	assert_string_equal(ssl.mode, "verify-ca");
	set(&cfg, S_SSL_MODE, "disable");
	sslspec_from_config(&cfg, &ssl);
	assert_false(sslspec_server_on(&ssl));
	config_free(&cfg);
}

static void appends_to_conninfo(void **state)
{
	SslSpec ssl = {.mode = "verify-full", .ca_file = "/ca/it's.crt",
		       .crl_file = "/ca/crl.pem"};
	(void)state;

	char *ci = conninfo_append_ssl(strdup("host='h'"), &ssl);
	assert_string_equal(ci, "host='h' sslmode='verify-full' "
				"sslrootcert='/ca/it\\'s.crt' "
				"sslcrl='/ca/crl.pem'");
	free(ci);
	SslSpec off = {.mode = "disable", .ca_file = "/ca/ca.crt"};
	ci = conninfo_append_ssl(strdup("host='h'"), &off);
	assert_string_equal(ci, "host='h' sslmode='disable'");
	free(ci);
	ci = conninfo_append_ssl(strdup("host='h'"), NULL);
	assert_string_equal(ci, "host='h'");
	free(ci);
}

static void appends_to_uri(void **state)
{
	SslSpec ssl = {.mode = "verify-full", .ca_file = "/ca dir/ca.crt"};
	char buf[64];
	(void)state;

	char *uri = uri_append_ssl(strdup("postgres://u@h:5/db"), &ssl);
	assert_string_equal(uri, "postgres://u@h:5/db?sslmode=verify-full"
				 "&sslrootcert=/ca%20dir/ca.crt");
	assert_true(uri_get_param(uri, "sslrootcert", buf, sizeof(buf)));
	assert_string_equal(buf, "/ca dir/ca.crt");
	free(uri);
	/* the URI's own TLS parameters are replaced, the others kept */
	SslSpec req = {.mode = "require"};
	uri = uri_append_ssl(
		strdup("postgres://h/db?sslmode=disable&target_session_attrs="
		       "read-write"),
		&req);
	assert_string_equal(uri, "postgres://h/db?target_session_attrs="
				 "read-write&sslmode=require");
	assert_true(uri_get_param(uri, "sslmode", buf, sizeof(buf)));
	assert_string_equal(buf, "require");
	assert_false(uri_get_param(uri, "sslrootcert", buf, sizeof(buf)));
	assert_false(uri_get_param(uri, "ssl", buf, sizeof(buf)));
	free(uri);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(resolves_the_mode),
	  cmocka_unit_test(appends_to_conninfo),
	  cmocka_unit_test(appends_to_uri))
