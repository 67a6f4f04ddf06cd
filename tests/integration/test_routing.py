"""Routing by freshness and tags on real servers: /replica?max_staleness=
follows the WAL receiver's contact with the primary (and not the age of
the last commit while the primary is idle), ?lag= follows a standby
whose replay is paused, noloadbalance takes a node out of the read
checks and of HAProxy's read pool, nofailover keeps a node from being
promoted (docs/http-api.md)."""

import json
import time

from cluster import Cluster, http_formation
from harness import free_port, wait_until
from httpapi import request
from haproxy import served_by, start_haproxy

# timeouts.keeper_interval's default: the keeper publishes what it
# observed once per interval
KEEPER_INTERVAL = 0.5


def answer(port, path):
    status, body, _ = request(port, path)
    return status, (json.loads(body) if body.startswith("{") else body)


def code(port, path):
    return answer(port, path)[0]


def psql(c, name, sql):
    """SQL on node `name` as the servers' superuser, over its socket."""
    return c.h.psql(c.sock, c.nodes[name]["port"], sql)


def always(condition, seconds, what):
    """condition() holds at every poll for `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert condition(), what
        time.sleep(0.2)


def test_staleness_follows_the_wal_receivers_contact(h):
    c = http_formation(h)
    b = c.http["b"]
    c.config("set", "formation.number_sync_standbys", "0")
    stale = "/replica?max_staleness=5s"
    wait_until(lambda: code(b, stale) == 200, what="b fresh")
    # an idle primary: no commit for longer than the limit, yet its
    # keepalives keep b fresh
    always(lambda: code(b, stale) == 200, 8, "an idle primary's standby "
           "stays fresh")
    status, body = answer(b, stale)
    assert 0 <= body["staleness_ms"] < 5000, body
    assert code(b, "/replica?max_staleness=soon") == 400
    assert "max_staleness" in answer(b, "/replica?max_staleness=soon")[1][
        "error"]
    assert code(c.http["a"], "/read-only?max_staleness=0s") == 200

    # cut b's WAL receiver: its primary_conninfo names a closed port
    closed = free_port()
    psql(c, "b", "ALTER SYSTEM SET primary_conninfo = "
         f"'host=127.0.0.1 port={closed} connect_timeout=1'")
    psql(c, "b", "SELECT pg_reload_conf()")
    cut = time.monotonic()
    wait_until(lambda: code(b, stale) == 503, timeout=5 + KEEPER_INTERVAL + 1,
               what="b stale once its receiver is cut")
    print(f"stale after {time.monotonic() - cut:.2f} s")
    status, body = answer(b, stale)
    assert body["reason"].startswith("stale"), body
    assert code(b, "/replica?max_staleness=1h") == 200
    assert code(b, "/read-only?max_staleness=5s") == 503
    assert code(b, "/async?max_staleness=5s") == 503

    psql(c, "b", "ALTER SYSTEM RESET primary_conninfo")
    psql(c, "b", "SELECT pg_reload_conf()")
    wait_until(lambda: code(b, stale) == 200, timeout=30,
               what="b fresh again once its receiver streams")


def test_lag_and_staleness_of_a_paused_replay(h):
    c = http_formation(h)
    b = c.http["b"]
    c.config("set", "formation.number_sync_standbys", "0")
    wait_until(lambda: code(b, "/replica?lag=1MB") == 200, what="b in sync")
    psql(c, "b", "SELECT pg_wal_replay_pause()")
    c.sql("CREATE TABLE filler AS SELECT g, repeat('x', 200) AS pad "
          "FROM generate_series(1, 40000) g")
    status, body = wait_until(
        lambda: (lambda r: r if r[0] == 503 else None)(
            answer(b, "/replica?lag=1MB")),
        timeout=15, what="b lagging by more than 1MB")
    assert body["reason"].startswith("lagging behind the primary"), body
    assert body["lag_bytes"] > 1024 * 1024
    assert code(b, "/replica?lag=1GB") == 200
    assert code(b, "/sync?lag=1MB") == 503 or code(b, "/async?lag=1MB") == 503
    assert code(b, "/replica?lag=lots") == 400
    # received WAL waits to be replayed: the last replayed commit ages
    status, body = wait_until(
        lambda: (lambda r: r if r[0] == 503 else None)(
            answer(b, "/replica?max_staleness=3s")),
        timeout=15, what="b stale while its replay is paused")
    assert body["reason"].startswith("stale: last replayed commit"), body
    psql(c, "b", "SELECT pg_wal_replay_resume()")
    wait_until(lambda: code(b, "/replica?lag=1MB&max_staleness=3s") == 200,
               timeout=30, what="b caught up")


def test_noloadbalance_and_the_read_pool(h):
    c = http_formation(h)
    a, b = c.http["a"], c.http["b"]
    bad = c.config("set", "node.tags", "nofailover,fast", "--name", "b",
                   check=False)
    assert bad.returncode != 0
    assert "unknown tag \"fast\"" in bad.stderr
    assert "nofailover, noloadbalance" in bad.stderr

    text, rw, ro = start_haproxy(c, "--read-only")
    assert "option httpchk GET /replica" in text
    assert "server a_primary 127.0.0.1:" in text
    assert "backup track pgkeel_default_rw/a" in text
    a_port, b_port = c.nodes["a"]["port"], c.nodes["b"]["port"]
    wait_until(lambda: served_by(ro) == (True, b_port),
               what="the read pool to reach the standby b")

    c.config("set", "node.tags", "noloadbalance", "--name", "b")
    wait_until(lambda: code(b, "/replica") == 503, timeout=10,
               what="b out of /replica")
    assert answer(b, "/replica")[1]["reason"] == "tagged noloadbalance"
    assert code(b, "/read-only") == 503
    assert code(a, "/read-only") == 200
    assert c.state()["b"]["tags"] == ["noloadbalance"]
    assert c.config("get", "node.tags", "--name", "b").stdout.strip() == \
        "noloadbalance"
    def formation_tags():
        status, body = answer(c.http["monitor"], "/formation")
        return {n["name"]: n["tags"] for n in body["nodes"]}
    wait_until(lambda: formation_tags() == {"a": [], "b": ["noloadbalance"]},
               what="the monitor's /formation to show b's tag")
    shown = h.pgkeel("show", "state", "--pgdata", c.monitor_dir).stdout
    assert "Tags: b (noloadbalance)" in shown
    # no standby passes: the primary takes the reads
    wait_until(lambda: served_by(ro) == (False, a_port),
               what="the read pool to fall back on the primary a")
    c.config("unset", "node.tags", "--name", "b")
    wait_until(lambda: served_by(ro) == (True, b_port),
               what="the read pool back on b")
    assert c.state()["b"]["tags"] == []


def explain(c):
    return c.mon_pgkeel("explain", "--pgdata", c.monitor_dir).stdout


def test_nofailover_is_never_promoted(h):
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    c.add_node("b", "--candidate-priority", "90")
    c.add_node("c", "--candidate-priority", "10")
    c.wait_states({"a": "primary", "b": "secondary", "c": "secondary"})
    c.config("set", "node.tags", "nofailover", "--name", "b")
    wait_until(lambda: "Not a failover candidate: tagged nofailover"
               in explain(c), what="explain to see b's tag")
    c.kill_node("a")
    c.wait_assigned({"c": "primary"}, timeout=60)
    assert c.state()["b"]["assigned_state"] != "primary"
    promoted = [e for e in c.events()
                if e["new_state"] == "prepare_promotion"]
    assert [e["node_name"] for e in promoted] == ["c"], promoted

    # the only standby left is tagged too: nobody is promoted
    c.wait_states({"b": "secondary", "c": "primary"})
    c.config("set", "node.tags", "nofailover", "--name", "c")
    c.kill_node("c")
    wait_until(lambda: "tagged nofailover" in explain(c)
               and "primary" not in c.state()["b"]["assigned_state"],
               what="explain to say why b is not promoted")
    always(lambda: c.state()["b"]["assigned_state"] not in (
        "prepare_promotion", "wait_primary", "primary"), 6,
        "b is never promoted")
