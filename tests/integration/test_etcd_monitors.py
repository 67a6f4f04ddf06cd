"""The control plane with no single point of failure: a formation whose
state lives in three real etcd members, shared by two monitors of which
exactly one is active (docs/etcd.md). Each test loses one part (a monitor,
its lease, an etcd member, the etcd majority) and checks what the
formation does: fail over when it must, nothing when it must not, and
every acknowledged write kept."""

import json
import os
import signal
import time
import urllib.request

import pytest

from cluster import Cluster, Writer, two_node_formation
from etcd import etcd_available
from harness import wait_until

pytestmark = pytest.mark.skipif(not etcd_available(),
                                reason="etcd-server is not installed")


def monitors(c):
    return {m["name"]: m for m in c.h.pgkeel_json(
        "show", "monitors", "--pgdata", c.monitor_dir)}


def active(c):
    """The name of the monitor the store says is active, or None."""
    pids = {str(p.pid): n for n, p in c.monitors.items()}
    held = [m["name"] for m in monitors(c).values() if m["active"]]
    return pids.get(held[0].rsplit(":", 1)[-1]) if held else None


def wait_active(c, name, timeout=15):
    wait_until(lambda: active(c) == name, timeout=timeout,
               what=f"{name} to be the active monitor")


def test_one_monitor_is_active_and_show_monitors_says_which(h):
    c = two_node_formation(h, store="etcd")
    wait_until(lambda: "standing by" in c.monitors["monitor2"].log(),
               what="the second monitor to stand by")
    listed = wait_until(lambda: len(monitors(c)) == 2 and monitors(c),
                        what="both monitors listed")
    active = [m for m in listed.values() if m["active"]]
    assert len(active) == 1, listed
    assert active[0]["name"].endswith(f":{c.monitors['monitor'].pid}")
    assert active[0]["term"] >= 1 and active[0]["since"]
    text = h.pgkeel("show", "monitors", "--pgdata", c.monitor_dir).stdout
    assert "active" in text and "standing by" in text
    # the active monitor's HTTP API says the same in /formation
    with urllib.request.urlopen("http://127.0.0.1:%d/formation"
                                % c.monitor_http["monitor"]) as r:
        view = json.loads(r.read())
    assert sorted(m["active"] for m in view["monitors"]) == [False, True]
    # a monitor's directory holds no Postgres
    assert not os.path.exists(c.h.path("monitor", "PG_VERSION"))


def test_killed_active_monitor_then_primary_crash_fails_over(h):
    c = two_node_formation(h, store="etcd")
    wait_until(lambda: "standing by" in c.monitors["monitor2"].log(),
               what="the second monitor to stand by")
    w = Writer(c).start()
    w.wait_more(10)
    start = time.monotonic()
    h.kill(c.monitors["monitor"])
    time.sleep(0.5)
    c.kill_node("a")
    wait_active(c, "monitor2")
    took = time.monotonic() - start
    c.wait_state("b", "wait_primary", timeout=30)
    w.wait_more(20)
    w.stop()
    assert w.missing_on("b") == []
    assert took < 10, f"the takeover took {took:.1f} s"
    # the killed monitor's HTTP API port refused connections: the lease
    # was ended then, not at its TTL
    assert "its lease ends now" in c.monitors["monitor2"].log()


def test_frozen_monitor_loses_its_lease_and_writes_nothing(h):
    c = two_node_formation(h, store="etcd")
    wait_until(lambda: "standing by" in c.monitors["monitor2"].log(),
               what="the second monitor to stand by")
    old = c.monitors["monitor"]
    old.signal(signal.SIGSTOP)
    try:
        wait_active(c, "monitor2")
        term = [m for m in monitors(c).values() if m["active"]][0]["term"]
    finally:
        old.signal(signal.SIGCONT)
    # resumed, it learns it lost the lease: it stands by and never writes
    wait_until(lambda: old.log().rfind("standing by") >
               old.log().rfind("monitor active"),
               what="the resumed monitor to stand by")
    listed = monitors(c)
    assert [m["term"] for m in listed.values() if m["active"]] == [term]
    # the formation is still run by the new one: a failover happens
    w = Writer(c).start()
    c.kill_node("a")
    c.wait_state("b", "wait_primary", timeout=30)
    w.wait_more(10)
    w.stop()
    assert w.missing_on("b") == []
    assert "cannot write decisions" not in \
        old.log()[old.log().rfind("standing by"):]
    # frozen, its port still took connections: its lease ran out
    assert "its lease ends now" not in c.monitors["monitor2"].log()


def test_losing_one_etcd_member_changes_nothing(h):
    c = two_node_formation(h, store="etcd")
    w = Writer(c).start()
    w.wait_more(10)
    c.etcd.kill("e0")
    time.sleep(3)  # longer than a lease: a lost store would show now
    w.wait_more(20)
    w.stop()
    assert w.max_gap() < 1.0, w.max_gap()
    state = c.state()
    assert state["a"]["assigned_state"] == "primary"
    assert state["b"]["assigned_state"] == "secondary"


@pytest.mark.slow  # fault scenario 15 covers it in the network suite
def test_losing_the_etcd_majority_keeps_postgres_serving(h):
    c = two_node_formation(h, store="etcd")
    w = Writer(c).start()
    w.wait_more(10)
    c.etcd.kill("e0")
    c.etcd.kill("e1")
    # no decisions without a majority; the primary whose standby still
    # streams keeps taking writes (docs/guarantees.md)
    time.sleep(6)
    w.wait_more(20, timeout=30)
    c.etcd.start("e0")
    c.etcd.start("e1")
    c.etcd.wait_healthy(c.etcd.names)
    c.wait_states({"a": "primary", "b": "secondary"}, timeout=60)
    w.wait_more(10)
    w.stop()
    assert w.missing_on("a") == []
    promoted = [e for e in c.events() if e["node_name"] == "b" and
                e["new_state"] in ("prepare_promotion", "wait_primary")]
    assert promoted == [], promoted


def test_operator_commands_take_the_etcd_uri(h):
    c = two_node_formation(h, store="etcd")
    uri = ("--monitor", c.uri)
    # a run-time setting, then parameters checked on the primary: the
    # store has no Postgres of its own to check them in
    h.pgkeel("config", "set", "formation.number_sync_standbys", "0", *uri)
    assert h.pgkeel("config", "get", "formation.number_sync_standbys",
                    *uri).stdout.strip() == "0"
    c.wait_states({"a": "wait_primary"})  # commits wait for nobody
    h.pgkeel("config", "unset", "formation.number_sync_standbys", *uri)
    c.wait_states({"a": "primary", "b": "secondary"})
    bad = h.pgkeel("config", "set", "postgresql.work_mem", "banana", *uri,
                   check=False)
    assert bad.returncode != 0 and "invalid value" in bad.stderr, bad
    managed = h.pgkeel("config", "set", "postgresql.port", "6000", *uri,
                       check=False)
    assert managed.returncode != 0 and "managed by pgkeel" in managed.stderr
    out = h.pgkeel("config", "set", "postgresql.work_mem", "64MB",
                   *uri).stdout
    assert "reload" in out, out
    out = h.pgkeel("config", "set", "postgresql.max_connections", "120",
                   *uri).stdout
    assert "restart" in out, out
    wait_until(lambda: h.psql(c.sock, c.nodes["a"]["port"],
                              "SHOW work_mem") == "64MB",
               what="the primary to apply work_mem")
    # maintenance and a switchover, as with the postgres store
    h.pgkeel("enable", "maintenance", "--name", "b", *uri)
    c.wait_assigned({"b": "maintenance"})
    h.pgkeel("disable", "maintenance", "--name", "b", *uri)
    c.wait_states({"a": "primary", "b": "secondary"})
    h.pgkeel("perform", "switchover", *uri)
    c.wait_states({"a": "secondary", "b": "primary"})
    events = h.pgkeel_json("show", "events", "--count", "50", *uri)
    assert any("switchover" in e["description"] for e in events), events
    _the_other_commands_take_it_too(h, c, uri)


def _postmaster_start(c, name):
    return c.h.psql(c.sock, c.nodes[name]["port"],
                    "SELECT pg_postmaster_start_time()")


def _the_other_commands_take_it_too(h, c, uri):
    """show uri/state/settings, config of a node and of the formation,
    watch, the restart of one node and the drop of a standby, on the
    formation of test_operator_commands_take_the_etcd_uri (b primary)."""
    port = {n: c.nodes[n]["port"] for n in ("a", "b")}
    formation_uri = h.pgkeel("show", "uri", "--pgdata",
                             c.monitor_dir).stdout.strip()
    assert formation_uri.startswith("postgres://127.0.0.1:")
    assert f":{port['a']}" in formation_uri
    assert f":{port['b']}" in formation_uri
    node_uri = h.pgkeel("show", "uri", "--node", "a", "--pgdata",
                        c.monitor_dir).stdout.strip()
    assert f":{port['a']}" in node_uri and f":{port['b']}" not in node_uri
    assert h.pgkeel("show", "uri", "--monitor", "--pgdata", c.monitor_dir) \
        .stdout.strip() == c.uri
    rows = {r["name"]: r for r in h.pgkeel_json("show", "state", *uri)}
    assert {n: r["assigned_state"] for n, r in rows.items()} == \
        {"a": "secondary", "b": "primary"}
    assert rows["a"]["port"] == port["a"]
    # a node's setting and a formation's, read back by config and show
    h.pgkeel("config", "set", "node.candidate_priority", "70", "--name",
             "a", *uri)
    h.pgkeel("config", "set", "formation.strict_sync", "true", *uri)
    assert h.pgkeel("config", "get", "node.candidate_priority", "--name",
                    "a", *uri).stdout.strip() == "70"
    assert h.pgkeel("config", "get", "formation.strict_sync",
                    *uri).stdout.strip() == "true"
    shown = h.pgkeel_json("show", "settings", *uri)
    assert shown["strict_sync"] is True
    assert {n["name"]: n["candidate_priority"] for n in shown["nodes"]} \
        == {"a": 70, "b": 50}
    assert "strict_sync" in h.pgkeel("show", "settings", *uri).stdout
    h.pgkeel("config", "set", "formation.strict_sync", "false", *uri)
    # watch: a view of the nodes, refreshed until it is stopped
    watch = h.start("watch", ["pgkeel", "watch", *uri])
    try:
        wait_until(lambda: "primary" in watch.log() and
                   "secondary" in watch.log(), what="a view from watch")
    finally:
        h.stop(watch)
    # a restart of one node: a new postmaster, no failover
    since_ms = time.time() * 1000
    before = _postmaster_start(c, "a")
    h.pgkeel("perform", "restart", "--name", "a", *uri)
    wait_until(lambda: _postmaster_start(c, "a") != before,
               what="a's Postgres restarted")
    c.wait_states({"a": "secondary", "b": "primary"})
    # the drop of a standby: gone from the state, its keys from etcd
    node_id = rows["a"]["node_id"]
    assert c.etcd.get(f"/node/{node_id}") is not None
    h.pgkeel("drop", "node", "--name", "a", *uri)
    wait_until(lambda: "a" not in {r["name"] for r in h.pgkeel_json(
        "show", "state", *uri)}, what="a gone from the state")
    assert c.etcd.get(f"/node/{node_id}") is None
    assert c.etcd.get(f"/f/default/nodes/{node_id}/spec") is None
    # b is left alone: a primary without standbys, not failed over
    c.wait_assigned({"b": "single"})
    moved = [e for e in c.events() if e["time_ms"] >= since_ms and
             e["new_state"] in ("prepare_promotion", "draining", "demoted")]
    assert moved == [], moved


def test_with_etcd_authentication_each_node_has_its_own_user(h):
    c = Cluster(h, store="etcd", etcd_auth=True)
    c.add_node("a", wait_state="single")
    c.add_node("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    c.create_app_user()
    for name, node_id in (("a", 1), ("b", 2)):
        home = os.path.join(h.home, c.nodes[name]["pgdata"].lstrip("/"))
        with open(os.path.join(home, "pgkeel.ini")) as f:
            ini = f.read()
        # its own user, its password in its own private file, never the
        # operator's (root's) file
        assert f"user=pgkeel-node-{node_id}" in ini, ini
        assert "root" not in ini, ini
        passfile = os.path.join(home, "store.pgpass")
        assert os.stat(passfile).st_mode & 0o077 == 0
    root = "root:" + open(c.uri.split("passfile=")[1]).read().strip()
    users = c.etcd.etcdctl("user", "list", user=root)
    assert "pgkeel-node-1" in users and "pgkeel-node-2" in users
    # the primary's own user hands over its role, as the postgres store
    # lets a node's credential do (docs/security.md): through its own
    # r/handover key, which the monitor deletes once it acted on it
    w = Writer(c).start()
    h.pgkeel("enable", "maintenance", "--pgdata", c.nodes["a"]["pgdata"])
    c.wait_states({"a": "maintenance", "b": "wait_primary"})
    assert any(e["description"] == "switchover requested"
               for e in c.events())
    assert c.etcd.etcdctl("get", "--prefix", "/pgkeel/f/default/nodes/",
                          "--keys-only", user=root).count("/r/handover") \
        == 0
    h.pgkeel("disable", "maintenance", "--pgdata", c.nodes["a"]["pgdata"])
    c.wait_states({"a": "secondary", "b": "primary"})
    # the formation runs on it: a whole-node crash fails over
    c.kill_node("b")
    c.wait_state("a", "wait_primary", timeout=30)
    w.wait_more(10)
    w.stop()
    assert w.missing_on("a") == []
