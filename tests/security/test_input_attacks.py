"""Hostile values an operator's command or a store row may carry, replayed
against a real formation: each must be refused or quoted for where it
goes, with nothing changed (docs/security.md, "Input from outside")."""

import os

from cluster import two_node_formation
from harness import wait_until

INJECTED_HOST = "127.0.0.1/32 trust\nhost all all 0.0.0.0/0 trust\n#"


def test_parameter_values_cannot_break_out_of_their_line(h):
    c = two_node_formation(h)
    before = c.show("a", "synchronous_standby_names")
    # a line break would set another parameter after archive_command
    for value in ("cp %p /tmp/x\nsynchronous_standby_names = 'nobody'",
                  "x\r", "x" * 256):
        cp = c.config("set", "postgresql.archive_command", value,
                    check=False)
        assert cp.returncode != 0
        assert "one line of at most 255 bytes" in cp.stderr
    assert c.monitor_sql("SELECT count(*) FROM pgkeel.pg_param") == "0"
    # a trailing backslash is a value, not an escape of the closing quote:
    # the file still parses and Postgres reads the value back as given
    c.config("set", "postgresql.log_line_prefix", "%m x\\")
    wait_until(lambda: c.show("b", "log_line_prefix") == "%m x\\",
               what="the value with a backslash on b")
    h.pgkeel("perform", "restart", "--name", "b", "--pgdata", c.monitor_dir)
    c.wait_states({"a": "primary", "b": "secondary"})
    assert c.show("b", "log_line_prefix") == "%m x\\"
    assert c.show("a", "synchronous_standby_names") == before


def test_destroy_refuses_another_nodes_data_directory(h):
    c = two_node_formation(h)
    c.add_node("c", wait_state="secondary")
    a_data = c.nodes["a"]["pgdata"]
    cp = h.pgkeel("drop", "node", "--destroy", "--name", "c", "--pgdata",
                  a_data, check=False)
    assert cp.returncode == 8
    assert "not of c" in cp.stderr and "nothing changed" in cp.stderr
    assert os.path.exists(os.path.join(a_data, "PG_VERSION"))
    assert c.state()["c"]["assigned_state"] == "secondary"


def test_names_that_would_share_a_slot_are_refused(h):
    c = two_node_formation(h)
    before = c.monitor_sql("SELECT count(*) FROM pgkeel.node")
    cp = h.pgkeel("create", "postgres", "--pgdata", h.path("B"),
                  "--pgport", "7397", "--hostname", "127.0.0.1", "--name",
                  "B", "--monitor", c.uri, check=False)
    assert cp.returncode != 0
    assert "same replication slot as B" in cp.stderr
    assert c.monitor_sql("SELECT count(*) FROM pgkeel.node") == before


def test_keepers_check_hosts_the_store_did_not(h):
    """A store without its CHECK constraints (made by hand, or tampered
    with by its owner): the host of issue-style injection reaches the
    keepers, which leave it out of pg_hba.conf and say so."""
    c = two_node_formation(h)
    c.monitor_sql("INSERT INTO pgkeel.node (formation, name, host, port)"
                  " VALUES ('default', 'ghost', '127.0.0.9', 7399)")
    c.monitor_sql("ALTER TABLE pgkeel.node DROP CONSTRAINT node_host_check")
    quoted = INJECTED_HOST.replace("\n", "' || chr(10) || '")
    c.monitor_sql(f"UPDATE pgkeel.node SET host = '{quoted}'"
                  " WHERE name = 'ghost'")
    logs = {n: c.nodes[n]["proc"] for n in ("a", "b")}
    for name, proc in logs.items():
        wait_until(lambda: "not a host name or IP address" in proc.log(),
                   what=f"{name}'s keeper refusing the host")
    # one more cycle of each keeper wrote whatever it would write
    c.config("set", "formation.number_sync_standbys", "1")
    for name in ("a", "b"):
        with open(os.path.join(c.nodes[name]["pgdata"],
                               "pg_hba.conf")) as f:
            hba = f.read()
        assert "0.0.0.0/0 trust" not in hba, hba
        assert logs[name].log().count("not a host name or IP address") == 1
    assert "0.0.0.0/0" not in c.mon_pgkeel(
        "show", "haproxy-config", "--pgdata", c.monitor_dir).stdout
