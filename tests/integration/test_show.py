"""pgkeel show standby-names and show uri --node: what the primary's
synchronous_standby_names is, and each node's own URI, checked against
the servers themselves."""

import json

import psycopg2

from cluster import APP_PASSWORD, APP_USER, two_node_formation


def test_standby_names_are_the_primarys(h):
    c = two_node_formation(h)
    shown = h.pgkeel("show", "standby-names", "--pgdata",
                     c.monitor_dir).stdout.strip()
    assert shown and shown == c.show("a", "synchronous_standby_names")
    out = json.loads(h.pgkeel("show", "standby-names", "--pgdata",
                              c.monitor_dir, "--json").stdout)
    assert out["primary"] == "a" and out["standby_names"] == shown


def test_uri_of_one_node_reaches_that_node(h):
    c = two_node_formation(h)
    for name in ("a", "b"):
        uri = h.pgkeel("show", "uri", "--pgdata", c.monitor_dir, "--node",
                       name).stdout.strip()
        assert "target_session_attrs" not in uri and "sslmode=" in uri
        conn = psycopg2.connect(uri, user=APP_USER, password=APP_PASSWORD)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT inet_server_port()")
                assert cur.fetchone()[0] == c.nodes[name]["port"]
        finally:
            conn.close()
    cp = h.pgkeel("show", "uri", "--pgdata", c.monitor_dir, "--node", "z",
                  check=False)
    assert cp.returncode == 1 and "no node named z" in cp.stderr
