/*
 * test_etcdstore_uri.c - the etcd driver's pieces that need no etcd:
 * its URI (members, prefix, TLS, role, lease TTL, no password in it),
 * its password file's privacy, and the gateway's base64 and ranges.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/etcdstore_db.h"

static EtcdHandle h;
static EtcdConfig cfg;
static char err[512];

static bool parse(const char *uri, const SslSpec *ssl)
{
	memset(&h, 0, sizeof(h));
	err[0] = '\0';
	return es_parse_uri(uri, ssl, &cfg, &h, err, sizeof(err));
}

static void reads_members_prefix_and_role(void **state)
{
	(void)state;
	assert_true(parse("etcd://h1:2379,h2:2380/ha/?role=monitor", NULL));
	assert_int_equal(cfg.nendpoints, 2);
	assert_string_equal(cfg.endpoints[0], "http://h1:2379");
	assert_string_equal(cfg.endpoints[1], "http://h2:2380");
	assert_string_equal(h.prefix, "/ha");
	assert_int_equal(h.actor.role, ACTOR_MONITOR);
	assert_int_equal(h.lease_ttl_s, ES_DEFAULT_LEASE_TTL_S);
	assert_true(parse("etcd://h1:2379?node=7&lease_ttl=5", NULL));
	assert_string_equal(h.prefix, ES_DEFAULT_PREFIX);
	assert_int_equal(h.actor.role, ACTOR_NODE);
	assert_int_equal(h.actor.node_id, 7);
	assert_int_equal(h.lease_ttl_s, 5);
	assert_true(parse("etcd://h1:2379/p?user=pgkeel-node-3", NULL));
	assert_int_equal(h.actor.role, ACTOR_NODE);
	assert_int_equal(h.actor.node_id, 3);
	assert_true(parse("etcd://h1:2379", NULL));
	assert_int_equal(h.actor.role, ACTOR_MONITOR);
	assert_true(parse("etcd://h1:2379?role=operator", NULL));
	assert_int_equal(h.actor.role, ACTOR_OPERATOR);
}

static void tls_files_turn_on_https(void **state)
{
	SslSpec ssl;
	(void)state;

	assert_true(parse("etcd://h1:2379/p?cacert=/ca.pem", NULL));
	assert_string_equal(cfg.endpoints[0], "https://h1:2379");
	assert_string_equal(cfg.cacert, "/ca.pem");
	/* a node's [ssl] files are its Postgres': not used toward etcd */
	memset(&ssl, 0, sizeof(ssl));
	snprintf(ssl.mode, sizeof(ssl.mode), "verify-full");
	snprintf(ssl.ca_file, sizeof(ssl.ca_file), "/other-ca.pem");
	snprintf(ssl.cert_file, sizeof(ssl.cert_file), "/server.crt");
	snprintf(ssl.key_file, sizeof(ssl.key_file), "/server.key");
	assert_true(parse("etcd://h1:2379/p", &ssl));
	assert_string_equal(cfg.endpoints[0], "http://h1:2379");
	assert_string_equal(cfg.cacert, "");
	assert_string_equal(cfg.cert, "");
}

static void refuses_bad_uris_and_passwords(void **state)
{
	Store *s;
	(void)state;

	assert_false(parse("etcd:///p", NULL));
	assert_false(parse("etcd://h1:2379?role=boss", NULL));
	assert_false(parse("etcd://h1:2379?lease_ttl=0", NULL));
	assert_false(parse("etcd://h1:2379?user=root&password=secret", NULL));
	assert_null(strstr(err, "secret"));
	char path[] = "/tmp/pgkeel-etcd-pass-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hunter2\n", 8), 8);
	close(fd);
	chmod(path, 0644);
	char uri[256];
	snprintf(uri, sizeof(uri), "etcd://127.0.0.1:9/p?user=root&passfile=%s",
		 path);
	s = store_open(uri, NULL, 1000, err, sizeof(err));
	assert_null(s);
	assert_non_null(strstr(err, "chmod 600"));
	assert_null(strstr(err, "hunter2"));
	chmod(path, 0600);
	s = store_open(uri, NULL, 1000, err, sizeof(err));
	assert_non_null(s);
	store_close(s);
	unlink(path);
}

static void base64_and_ranges(void **state)
{
	char end[16];
	(void)state;

	json_t *j = etcd_b64("/pgkeel/term", 12);
	json_t *o = json_pack("{s:o}", "key", j);
	char *back = etcd_field(o, "key");
	assert_string_equal(back, "/pgkeel/term");
	free(back);
	json_decref(o);
	o = json_pack("{s:s}", "key", "not base64!");
	assert_null(etcd_field(o, "key"));
	json_decref(o);
	assert_true(etcd_prefix_end("/p/", end, sizeof(end)));
	assert_string_equal(end, "/p0");
	o = json_pack("{s:s}", "revision", "42");
	assert_int_equal(etcd_int(o, "revision"), 42);
	json_decref(o);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(reads_members_prefix_and_role),
	  cmocka_unit_test(tls_files_turn_on_https),
	  cmocka_unit_test(refuses_bad_uris_and_passwords),
	  cmocka_unit_test(base64_and_ranges))
