"""Formation-wide Postgres parameters (pgkeel config set postgresql.NAME)
and restarts (pgkeel perform restart), on a formation with a client
writing."""

from cluster import Writer, two_node_formation
from harness import wait_until




def test_parameters_reload_or_wait_for_a_rolling_restart(h):
    c = two_node_formation(h)
    # a reloadable parameter reaches every node without a restart
    out = c.config("set", "postgresql.work_mem", "12MB").stdout
    assert "reload" in out
    for n in ("a", "b"):
        wait_until(lambda: c.show(n, "work_mem") == "12MB",
                   what=f"work_mem on {n}")
    assert c.config("get", "postgresql.work_mem").stdout.strip() == "12MB"
    # a static one waits for a restart, and show state says so
    out = c.config("set", "postgresql.max_connections", "120").stdout
    assert "perform restart --rolling" in out
    wait_until(lambda: all(n["pending_restart"]
                           for n in c.state().values()),
               what="both nodes to report a pending restart")
    text = h.pgkeel("show", "state", "--pgdata", c.monitor_dir).stdout
    assert "Restart pending: a, b" in text
    w = Writer(c).start()
    out = h.pgkeel("perform", "restart", "--rolling", "--pgdata",
                   c.monitor_dir).stdout
    assert "b            restarted, secondary" in out
    assert "a            restarted as a standby by the switchover" in out
    c.wait_states({"a": "secondary", "b": "primary"})
    for n in ("a", "b"):
        assert c.show(n, "max_connections") == "120"
    wait_until(lambda: not any(n["pending_restart"]
                               for n in c.state().values()),
               what="no restart pending")
    w.wait_more(20)
    w.stop()
    assert w.missing_on("b") == []
    assert w.max_gap() < 10
    # one node in place: a new postmaster, same role
    before = c.postmaster_pid("b")
    out = h.pgkeel("perform", "restart", "--name", "b", "--pgdata",
                   c.monitor_dir).stdout
    assert "b            restarted, primary" in out
    assert c.postmaster_pid("b") != before
    # unset: back to the node's own value
    c.config("unset", "postgresql.work_mem")
    wait_until(lambda: c.show("a", "work_mem") == "4MB",
               what="work_mem back to its default")
    assert c.config("get", "postgresql.work_mem", check=False
                    ).returncode == 1


def test_bad_parameters_are_refused_and_change_nothing(h):
    c = two_node_formation(h)
    cases = [
        ("postgresql.port", "6000", "managed by pgkeel"),
        ("postgresql.primary_conninfo", "host=x", "managed by pgkeel"),
        ("postgresql.ssl", "off", "managed by pgkeel"),
        ("postgresql.ssl_key_file", "/tmp/k", "managed by pgkeel"),
        ("postgresql.no_such_thing", "1", "unknown Postgres parameter"),
        ("postgresql.max_connections", "many", "invalid value"),
        ("postgresql.max_connections", "0", "out of range"),
        ("postgresql.work_mem", "lots", "invalid value"),
        ("postgresql.wal_level", "minimal", "replica or logical"),
        ("postgresql.synchronous_commit", "sometimes", "invalid value"),
    ]
    for name, value, why in cases:
        cp = c.config("set", name, value, check=False)
        assert cp.returncode == 8, (name, cp.stderr)
        assert why in cp.stderr, (name, cp.stderr)
    settings = h.pgkeel_json("show", "settings", "--pgdata", c.monitor_dir)
    assert settings["postgresql"] == {}
    cp = h.pgkeel("perform", "restart", "--name", "zz", "--pgdata",
                  c.monitor_dir, check=False)
    assert cp.returncode == 2 and 'no node named "zz"' in cp.stderr
