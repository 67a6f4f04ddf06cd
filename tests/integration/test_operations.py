"""Operator commands on a running formation with a client writing:
switchover, promotion of a named node, forced failover, and refusals."""

from cluster import Cluster, Writer, two_node_formation


def test_switchover_and_back_lose_nothing(h):
    c = two_node_formation(h)
    w = Writer(c).start()
    out = h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir).stdout
    assert "switchover requested: a -> b" in out and "done in" in out
    c.wait_states({"a": "secondary", "b": "primary"})
    w.wait_more(20)
    out = h.pgkeel("perform", "promotion", "--name", "a", "--pgdata",
                   c.nodes["b"]["pgdata"]).stdout
    assert "done in" in out
    c.wait_states({"a": "primary", "b": "secondary"})
    w.wait_more(20)
    w.stop()
    assert w.missing_on("a") == []
    assert w.max_gap() < 10
    drained = [e for e in c.events() if e["new_state"] == "draining"]
    assert [e["node_name"] for e in drained] == ["a", "b"]


def test_forced_failover(h):
    c = two_node_formation(h)
    w = Writer(c).start()
    h.pgkeel("perform", "failover", "--pgdata", c.monitor_dir)
    c.wait_states({"a": "secondary", "b": "primary"})
    w.wait_more(10)
    w.stop()
    assert w.missing_on("b") == []
    assert "forced failover" in " ".join(e["description"]
                                         for e in c.events())


def test_refusals_change_nothing(h):
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    cp = h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir,
                  check=False)
    assert cp.returncode == 8
    assert "no standby is eligible" in cp.stderr
    c.add_node("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    cp = h.pgkeel("perform", "promotion", "--name", "zz", "--pgdata",
                  c.monitor_dir, check=False)
    assert cp.returncode == 2 and 'no node named "zz"' in cp.stderr
    cp = h.pgkeel("perform", "promotion", "--name", "a", "--pgdata",
                  c.monitor_dir, check=False)
    assert cp.returncode == 8 and "already the primary" in cp.stderr
    assert c.state()["a"]["assigned_state"] == "primary"
    assert not [e for e in c.events() if "requested" in e["description"]]
