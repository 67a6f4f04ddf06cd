/*
 * test_pgconf.c - rendering pgkeel's Postgres configuration, pg_hba lines,
 * synchronous_standby_names and version strings.
 */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "pg/pgbin.h"
#include "pg/pgconf.h"
#include "pg/pghba.h"
#include "pg/pgslots.h"

static void renders_a_standby(void **state)
{
	PgParam extra[] = {{"work_mem", "'8MB'"}};
	PgConfSpec spec = {.port = 6010,
			   .listen_addresses = "*",
			   .socket_dir = "/tmp",
			   .cluster_name = "node_b",
			   .primary_conninfo = "host='h' password='it''s'",
			   .primary_slot_name = "pgkeel_node_b",
			   .params = extra,
			   .nparams = 1};
	(void)state;

	char *text = pgconf_render(&spec);
	assert_non_null(strstr(text, "\nport = 6010\n"));
	assert_non_null(strstr(text, "\nwal_level = logical\n"));
	assert_non_null(strstr(text, "\nprimary_slot_name = 'pgkeel_node_b'\n"));
	assert_non_null(strstr(text,
			       "primary_conninfo = 'host=''h'' password=''it''''s'''"));
	assert_non_null(strstr(text, "\nsynchronous_standby_names = ''\n"));
	/* formation parameters come last, so they win */
	assert_true(strstr(text, "work_mem") > strstr(text, "primary_slot"));
	free(text);
}

static void formats_sync_names(void **state)
{
	const char *names[] = {"node_b", "node-c"};
	(void)state;

	char *s = pgconf_sync_names(1, names, 2);
	assert_string_equal(s, "ANY 1 (\"node_b\", \"node-c\")");
	free(s);
	s = pgconf_sync_names(0, names, 2);
	assert_string_equal(s, "");
	free(s);
	s = pgconf_sync_names(1, names, 0);
	assert_string_equal(s, "");
	free(s);
}

static void formats_hba_lines(void **state)
{
	char buf[200];
	HbaEntry ip = {"replication", "repl", "10.0.0.5", "scram-sha-256"};
	HbaEntry cidr = {"postgres", "repl", "10.0.0.0/24", "trust"};
	HbaEntry v6 = {"replication", "repl", "::1", "trust"};
	HbaEntry name = {"replication", "repl", "node-a.example", "trust"};
	(void)state;

	assert_true(pghba_format_entry(&ip, true, buf, sizeof(buf)));
	assert_string_equal(
		buf, "hostssl replication repl 10.0.0.5/32 scram-sha-256");
	assert_true(pghba_format_entry(&cidr, true, buf, sizeof(buf)));
	assert_string_equal(buf, "hostssl postgres repl 10.0.0.0/24 trust");
	assert_true(pghba_format_entry(&v6, true, buf, sizeof(buf)));
	assert_string_equal(buf, "hostssl replication repl ::1/128 trust");
	assert_true(pghba_format_entry(&name, true, buf, sizeof(buf)));
	assert_string_equal(buf,
			    "hostssl replication repl node-a.example trust");
	/* without TLS (--no-ssl) the lines admit plain connections */
	assert_true(pghba_format_entry(&ip, false, buf, sizeof(buf)));
	assert_string_equal(buf,
			    "host replication repl 10.0.0.5/32 scram-sha-256");
}

/* Whatever a field holds, it cannot add a line or a field. */
static void refuses_hba_fields_that_break_out(void **state)
{
	char buf[200];
	HbaEntry bad[] = {
		{"replication", "repl", "127.0.0.1/32 trust\nhost all all "
					"0.0.0.0/0 trust\n#", "trust"},
		{"replication", "repl", "10.0.0.1 trust", "trust"},
		{"replication", "repl", "10.0.0.0/24x", "trust"},
		{"replication", "repl", "-x", "trust"},
		{"all,replication", "repl", "10.0.0.1", "trust"},
		{"replication", "repl all", "10.0.0.1", "trust"},
		{"replication", "repl", "10.0.0.1", "trust\nlocal all all trust"},
	};
	HbaEntry group = {"pgkeel", "+pgkeel_nodes", "samenet", "trust"};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(pghba_format_entry(&bad[i], true, buf,
						 sizeof(buf)));
	assert_true(pghba_format_entry(&group, true, buf, sizeof(buf)));
	assert_string_equal(buf, "hostssl pgkeel +pgkeel_nodes samenet trust");
}

static void writes_a_tls_only_hba_block(void **state)
{
	char dir[] = "/tmp/pgkeel-hba-XXXXXX", path[64], err[256];
	const char *user_part = "local all all peer\n"
				"host all all 127.0.0.1/32 scram-sha-256\n";
	HbaEntry e[] = {{"replication", "repl", "10.0.0.5", "scram-sha-256"},
			{"postgres", "repl", "10.0.0.5", "scram-sha-256"}};
	bool changed;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pg_hba.conf", dir);
	assert_true(fs_write_file_atomic(path, user_part, strlen(user_part),
					 0600));
	assert_true(pghba_write(dir, e, 2, true, &changed, err, sizeof(err)));
	assert_true(changed);
	char *text = fs_read_file(path, NULL);
	assert_non_null(strstr(
		text, PGHBA_BEGIN "\n"
		      "hostssl replication repl 10.0.0.5/32 scram-sha-256\n"
		      "hostssl postgres repl 10.0.0.5/32 scram-sha-256\n"
		      "hostnossl all repl all reject\n"
		      "hostnossl replication repl all reject\n" PGHBA_END "\n"
		      "local all all peer\n"));
	free(text);
	/* without TLS: plain host lines and no reject */
	assert_true(pghba_write(dir, e, 2, false, &changed, err, sizeof(err)));
	text = fs_read_file(path, NULL);
	assert_null(strstr(text, "hostnossl"));
	assert_non_null(strstr(text, "\nhost postgres repl 10.0.0.5/32"));
	free(text);
	assert_true(fs_remove_tree(dir));
}

static void renders_ssl(void **state)
{
	PgParam extra[] = {{"ssl", "off"}, {"ssl_ciphers", "'HIGH'"}};
	PgConfSpec spec = {.port = 6010,
			   .listen_addresses = "*",
			   .socket_dir = "/tmp",
			   .ssl_cert_file = "/n/server.crt",
			   .ssl_key_file = "/n/server.key",
			   .ssl_ca_file = "/ca/it's.crt",
			   .params = extra,
			   .nparams = 2};
	(void)state;

	char *text = pgconf_render(&spec);
	assert_non_null(strstr(text, "\nssl = on\n"));
	assert_non_null(strstr(text, "\nssl_cert_file = '/n/server.crt'\n"));
	assert_non_null(strstr(text, "\nssl_key_file = '/n/server.key'\n"));
	assert_non_null(strstr(text, "\nssl_ca_file = '/ca/it''s.crt'\n"));
	assert_null(strstr(text, "ssl_crl_file"));
	/* a formation parameter cannot turn TLS off; others still apply */
	assert_null(strstr(text, "\nssl = off"));
	assert_non_null(strstr(text, "\nssl_ciphers = 'HIGH'\n"));
	free(text);

	spec.ssl_cert_file = NULL; /* no certificate: no TLS */
	spec.nparams = 0;
	text = pgconf_render(&spec);
	assert_non_null(strstr(text, "\nssl = off\n"));
	assert_null(strstr(text, "ssl_key_file"));
	free(text);
}

static void parses_versions(void **state)
{
	int major;
	char version[32];
	(void)state;

	assert_true(pgbin_parse_version(
		"postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n",
		&major, version, sizeof(version)));
	assert_int_equal(major, 15);
	assert_string_equal(version, "15.18");
	assert_true(pgbin_parse_version("postgres (PostgreSQL) 17beta1", &major,
					version, sizeof(version)));
	assert_int_equal(major, 17);
	assert_false(pgbin_parse_version("nonsense", &major, version,
					 sizeof(version)));
}

static void names_slots(void **state)
{
	char buf[64];
	(void)state;

	slot_name_for("Node-B", buf, sizeof(buf));
	assert_string_equal(buf, "pgkeel_node_b");
}

/* What Postgres reads back is the value, and nothing starts a line. */
static void quotes_values_for_postgresql_conf(void **state)
{
	char *q;
	(void)state;

	q = pgconf_quote("x\\");
	assert_string_equal(q, "'x\\\\'");
	free(q);
	q = pgconf_quote("it's");
	assert_string_equal(q, "'it''s'");
	free(q);
	assert_null(pgconf_quote("cp %p /x\nsynchronous_standby_names = a"));
	assert_null(pgconf_quote("tab\there"));
	assert_null(pgconf_quote("del\x7f"));
}

/* Found by tests/fuzz/fuzz_store_params: a parameter name read from the
 * store was written as is, so "ssl = off #" or a name with a line break
 * set another parameter. */
static void leaves_out_parameters_with_a_bad_name(void **state)
{
	PgParam extra[] = {{"ssl = off #", "'x'"},
			   {"work_mem\nssl", "'off'"},
			   {"1x", "'1'"},
			   {"auto_explain.log_min_duration", "'1s'"},
			   {"_x", "'1'"}};
	PgConfSpec spec = {.port = 6010,
			   .listen_addresses = "*",
			   .socket_dir = "/tmp",
			   .params = extra,
			   .nparams = 5};
	(void)state;

	assert_false(pgconf_name_is_valid("ssl = off #"));
	assert_false(pgconf_name_is_valid(""));
	assert_true(pgconf_name_is_valid("work_mem"));
	char *text = pgconf_render(&spec);
	assert_null(strstr(text, "ssl = off #"));
	assert_null(strstr(text, "work_mem\nssl"));
	assert_null(strstr(text, "\n1x"));
	assert_non_null(strstr(text, "\nauto_explain.log_min_duration = '1s'\n"));
	assert_non_null(strstr(text, "\n_x = '1'\n"));
	free(text);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(renders_a_standby),
	  cmocka_unit_test(formats_sync_names),
	  cmocka_unit_test(formats_hba_lines),
	  cmocka_unit_test(refuses_hba_fields_that_break_out),
	  cmocka_unit_test(renders_ssl),
	  cmocka_unit_test(writes_a_tls_only_hba_block),
	  cmocka_unit_test(parses_versions),
	  cmocka_unit_test(names_slots),
	  cmocka_unit_test(quotes_values_for_postgresql_conf),
	  cmocka_unit_test(leaves_out_parameters_with_a_bad_name))
