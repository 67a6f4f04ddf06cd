"""Moving a running formation from the postgres store (a monitor with its
own Postgres) to an etcd store, step by step as docs/etcd.md ("Moving
from the postgres store") says, under a client's writes: no failover,
nothing lost, no Postgres restarted; the etcd monitors then run the
formation. And a move into an etcd prefix that holds a formation
already is refused with nothing changed."""

import json
import os

import pytest

from cluster import Cluster, Writer, two_node_formation
from etcd import EtcdCluster, etcd_available
from harness import wait_until

pytestmark = pytest.mark.skipif(not etcd_available(),
                                reason="etcd-server is not installed")

PROMOTING = ("prepare_promotion", "wait_primary", "single")


def etcd_state(h, uri):
    rows = h.pgkeel_json("show", "state", "--monitor", uri)
    return {r["name"]: r for r in rows}


def healthy(h, uri, expected):
    st = etcd_state(h, uri)
    return all(st.get(n, {}).get("current_state") == s and
               st[n]["assigned_state"] == s and st[n]["reachable"]
               for n, s in expected.items())


def start_etcd_monitors(h, uri):
    procs = []
    for name in ("emon1", "emon2"):
        h.pgkeel("create", "monitor", "--pgdata", h.path(name), "--store",
                 uri, "--hostname", "127.0.0.1")
        procs.append(h.start(name, ["pgkeel", "run", "--pgdata",
                                    h.path(name)]))
    wait_until(lambda: any("monitor active" in p.log() for p in procs),
               what="an etcd monitor to take the lease")
    return procs


def promotions(events):
    return [e for e in events if e["new_state"] in PROMOTING and
            e["node_name"] == "b"]


def open_etcd(h, auth):
    """One etcd member; with auth, its authentication on: the operator's
    URI then names root and its password file."""
    etcd = EtcdCluster(h, members=1)
    if not auth:
        return etcd, etcd.uri, None
    passfile = etcd.enable_auth()
    if h.user:  # pgkeel runs as the harness's user: the file is theirs
        os.chown(passfile, h.user.pw_uid, h.user.pw_gid)
    with open(passfile) as f:
        root = "root:" + f.read().strip()
    return etcd, f"{etcd.uri}?user=root&passfile={passfile}", root


@pytest.mark.parametrize("auth", [False, pytest.param(
    True, marks=pytest.mark.slow)], ids=["open", "auth"])
def test_moves_a_running_formation_to_etcd_without_restarting_postgres(
        h, auth):
    c = two_node_formation(h)
    pids = {n: c.postmaster_pid(n) for n in c.nodes}
    w = Writer(c).start()
    w.wait_more(10)
    etcd, to, root = open_etcd(h, auth)

    # 1. the monitor pauses and copies the formation
    out = h.pgkeel("store", "migrate", "--pgdata", c.monitor_dir,
                   "--to", to).stdout
    assert "formation default copied with its 2 nodes" in out, out
    assert c.config("get", "formation.paused").stdout.strip() == "true"
    if not auth:
        assert int(etcd.get("/nodeid")) == 2
    # 2. each keeper moves, its Postgres running on
    for n in ("b", "a"):
        out = h.pgkeel("store", "switch", "--pgdata", c.nodes[n]["pgdata"],
                       "--to", to).stdout
        assert f"node {n} reports to the new store" in out, out
        assert "reports to etcd://" in c.nodes[n]["proc"].log()
    if auth:  # each node reports as its own etcd user
        users = etcd.etcdctl("user", "list", user=root).split()
        assert {"pgkeel-node-1", "pgkeel-node-2"} <= set(users), users
        assert "user=pgkeel-node-" in c.nodes["a"]["proc"].log()
    w.wait_more(10)
    # 3. monitors on etcd; unpause there; the old monitor stops
    start_etcd_monitors(h, to)
    wait_until(lambda: healthy(h, to, {"a": "primary", "b": "secondary"}),
               what="both nodes healthy through the etcd store",
               show=lambda: etcd_state(h, to))
    h.pgkeel("config", "set", "formation.paused", "false", "--monitor", to)
    old_events = c.events()
    c.stop_monitor()
    w.wait_more(20)

    assert {n: c.postmaster_pid(n) for n in c.nodes} == pids
    new_events = h.pgkeel_json("show", "events", "--count", "200",
                               "--monitor", to)
    assert promotions(old_events) == [] and \
        promotions(new_events) == [], (old_events, new_events)
    assert any("moved into this store" in e["description"]
               for e in new_events), new_events
    assert healthy(h, to, {"a": "primary", "b": "secondary"})
    w.stop()
    assert w.missing_on("a") == []
    wait_until(lambda: w.missing_on("b") == [],
               what="every acknowledged row on the standby")

    # the etcd monitors now fail the formation over
    w2 = Writer(c, table="after").start()
    c.kill_node("a")
    wait_until(lambda: healthy(h, to, {"b": "wait_primary"}), timeout=60,
               what="b promoted by the etcd monitors",
               show=lambda: etcd_state(h, to))
    w2.wait_more(10)
    w2.stop()
    assert w2.missing_on("b") == []


def test_migrating_into_a_prefix_that_holds_a_formation_changes_nothing(h):
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    etcd = EtcdCluster(h, members=1)
    h.pgkeel("store", "migrate", "--pgdata", c.monitor_dir, "--to",
             etcd.uri)
    c.config("set", "formation.paused", "false")
    config = json.loads(etcd.get("/f/default/config"))
    spec = etcd.get("/f/default/nodes/1/spec")

    again = h.pgkeel("store", "migrate", "--pgdata", c.monitor_dir, "--to",
                     etcd.uri, check=False)
    assert again.returncode == 8, again
    assert "already holds formation default" in again.stderr, again.stderr
    assert c.config("get", "formation.paused").stdout.strip() == "false"
    assert json.loads(etcd.get("/f/default/config")) == config
    assert etcd.get("/f/default/nodes/1/spec") == spec
    assert int(etcd.get("/nodeid")) == 1
    # a node is refused a store that does not hold it, its URI unchanged
    own = ("show", "uri", "--monitor", "--pgdata", c.nodes["a"]["pgdata"])
    before = h.pgkeel(*own).stdout
    refused = h.pgkeel("store", "switch", "--pgdata", c.nodes["a"]["pgdata"],
                       "--to", etcd.uri.replace("/pgkeel", "/other"),
                       check=False)
    assert refused.returncode == 8, refused
    assert "store migrate" in refused.stderr, refused.stderr
    assert h.pgkeel(*own).stdout == before
