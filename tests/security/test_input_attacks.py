"""Hostile values an operator's command or a store row may carry, replayed
against a real formation: each must be refused or quoted for where it
goes, with nothing changed (docs/security.md, "Input from outside")."""

import os

from cluster import two_node_formation
from harness import wait_until




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
