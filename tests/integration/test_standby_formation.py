"""Standby formations on real Postgres servers (docs/state-machine.md,
"Standby formations"): a formation `dr` whose leader streams from the
source formation's multi-host URI and whose other node cascades from
it; read-only everywhere; it follows the source's failover without a
new clone, survives the loss of its own leader, and `perform promotion`
makes it writable with every row the source acknowledged."""

import json
import os
import shutil
import urllib.parse

from cluster import Cluster
from harness import free_port, wait_until
from httpapi import request

DR = "dr"
ROWS = "SELECT count(*) FROM t"


def psql(c, name, sql):
    return c.h.psql(c.sock, c.nodes[name]["port"], sql)


def dr_state(c):
    rows = json.loads(c.mon_pgkeel(
        "show", "state", "--pgdata", c.monitor_dir, "--formation", DR,
        "--json").stdout)
    return {r["name"]: r for r in rows}


def dr_wait(c, expected, timeout=90):
    def reached():
        st = dr_state(c)
        return all(st.get(n, {}).get("current_state") == s and
                   st[n]["assigned_state"] == s
                   for n, s in expected.items())
    wait_until(reached, timeout=timeout, what=f"dr states {expected}",
               show=lambda: {n: (r["current_state"], r["assigned_state"])
                             for n, r in dr_state(c).items()})


def source_uri(c):
    """The source formation's multi-host URI for replication: the
    source's replication role, its password in a passfile handed over
    (a copy of a source node's), never in the URI."""
    uri = c.formation_uri()
    src = c.h.home + c.nodes["a"]["pgdata"] + "/replication.pgpass"
    passfile = c.h.path("source-replication.pgpass")
    shutil.copyfile(src, passfile)
    os.chmod(passfile, 0o600)
    if c.h.user:
        os.chown(passfile, c.h.user.pw_uid, c.h.user.pw_gid)
    parts = urllib.parse.urlsplit(uri)
    query = urllib.parse.parse_qs(parts.query)
    assert query.get("target_session_attrs") == ["read-write"], uri
    query["passfile"] = [passfile]
    netloc = "pgkeel_replication@" + parts.netloc.split("@")[-1]
    return urllib.parse.urlunsplit(parts._replace(
        netloc=netloc, query=urllib.parse.urlencode(query, doseq=True)))


def rows(c, name):
    return int(psql(c, name, ROWS))


def refuses_writes(c, name):
    try:
        psql(c, name, "INSERT INTO t VALUES (-1)")
    except AssertionError as e:
        return "read-only transaction" in str(e)
    return False


def system_id(c, name):
    return psql(c, name, "SELECT system_identifier FROM pg_control_system()")


def sender_port(c, name):
    port = psql(c, name, "SELECT sender_port FROM pg_stat_wal_receiver "
                         "WHERE status = 'streaming'")
    return int(port) if port else None


def leader(c):
    return [n for n, r in dr_state(c).items() if r["standby_leader"]]


def standby_formation(h):
    """Source: a primary a and its standby b. dr: x, cloned from the
    source, and y streaming from x."""
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    c.add_node("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    psql(c, "a", "CREATE TABLE t (id int PRIMARY KEY)")
    psql(c, "a", "INSERT INTO t SELECT generate_series(1, 100)")
    c.http = {}
    uri = source_uri(c)
    for name in ("x", "y"):
        c.http[name] = free_port()
        extra = ("--standby-of", uri) if name == "x" else ()
        c.add_node(name, "--formation", DR, "--http-port", c.http[name],
                   *extra)
        if name == "x":
            dr_wait(c, {"x": "single"})
    dr_wait(c, {"x": "wait_primary", "y": "secondary"})
    return c


def test_a_standby_formation_replicates_the_source_read_only(h):
    c = standby_formation(h)
    assert leader(c) == ["x"]
    out = c.mon_pgkeel("show", "state", "--pgdata", c.monitor_dir,
                       "--formation", DR).stdout
    assert "Standby leader: x" in out
    out = c.mon_pgkeel("explain", "--pgdata", c.monitor_dir,
                       "--formation", DR).stdout
    assert "x is the standby leader" in out and "perform promotion" in out
    # x streams from the source primary, y from x
    wait_until(lambda: sender_port(c, "x") == c.nodes["a"]["port"],
               what="x to stream from the source primary a")
    wait_until(lambda: sender_port(c, "y") == c.nodes["x"]["port"],
               what="y to stream from x")
    psql(c, "a", "INSERT INTO t SELECT generate_series(101, 200)")
    for name in ("x", "y"):
        wait_until(lambda: rows(c, name) == 200, what=f"rows on {name}")
        assert refuses_writes(c, name)
        assert request(c.http[name], "/primary")[0] == 503
        assert request(c.http[name], "/read-write")[0] == 503
    assert request(c.http["x"], "/standby-leader")[0] == 200
    assert request(c.http["y"], "/standby-leader")[0] == 503
    assert system_id(c, "x") == system_id(c, "a") == system_id(c, "y")
    # nothing is synchronous in dr; the source's own set is unchanged
    assert c.show("x", "synchronous_standby_names") == ""
    assert c.show("a", "synchronous_standby_names") == 'ANY 1 ("b")'
    # no switchover by request, now or scheduled
    for at in ((), ("--at", "+1h")):
        out = c.mon_pgkeel("perform", "switchover", *at, "--pgdata",
                           c.monitor_dir, "--formation", DR, check=False)
        assert out.returncode == 8, out.stderr
        assert "standby formation" in out.stderr

    # the DR switch: write through the source with synchronous commits,
    # stop, let dr replay the source's flush position, promote
    psql(c, "a", "SET synchronous_commit = on; "
                 "INSERT INTO t SELECT generate_series(201, 1200)")
    flushed = psql(c, "a", "SELECT pg_current_wal_flush_lsn()")
    for name in ("x", "y"):
        wait_until(lambda: psql(c, name, "SELECT pg_last_wal_replay_lsn() "
                                f">= '{flushed}'::pg_lsn") == "t",
                   what=f"{name} to replay the source's flush position")
    acked = {int(r) for r in psql(c, "a", "SELECT id FROM t").split()}
    out = c.mon_pgkeel("perform", "promotion", "--pgdata", c.monitor_dir,
                       "--formation", DR).stdout
    assert "x is the primary" in out
    wait_until(lambda: not refuses_writes(c, "x"), what="x writable")
    got = {int(r) for r in psql(c, "x", "SELECT id FROM t").split()}
    assert acked <= got
    assert c.config("get", "formation.standby_of", "--formation",
                    DR).stdout.strip() == ""
    events = json.loads(c.mon_pgkeel(
        "show", "events", "--pgdata", c.monitor_dir, "--formation", DR,
        "--count", "200", "--json").stdout)
    assert any("formation.standby_of changed" in e["description"]
               for e in events)
    assert leader(c) == []
    # y follows the new primary on its new timeline
    psql(c, "x", "INSERT INTO t VALUES (5000)")
    wait_until(lambda: rows(c, "y") == len(got) + 1,
               what="y to receive x's first writes")
    assert request(c.http["x"], "/primary")[0] == 200
    # the source did not change
    assert rows(c, "a") == len(acked)


def test_a_standby_formation_follows_the_source_and_its_own_failover(h):
    c = standby_formation(h)
    sysid = system_id(c, "x")
    c.kill_node("a")
    c.wait_states({"b": "wait_primary"}, timeout=90)
    psql(c, "b", "INSERT INTO t SELECT generate_series(1001, 1100)")
    # x follows the source's new primary: no new clone
    wait_until(lambda: sender_port(c, "x") == c.nodes["b"]["port"],
               timeout=60, what="x to stream from the source's new "
                                "primary b")
    for name in ("x", "y"):
        wait_until(lambda: rows(c, name) == 200, timeout=60,
                   what=f"rows written after the failover on {name}")
        assert system_id(c, name) == sysid
    assert c.nodes["x"]["proc"].log().count("cloning ") == 1

    # the standby leader dies: y becomes the leader, streams from b
    c.kill_node("x")
    wait_until(lambda: leader(c) == ["y"] and
               dr_state(c)["y"]["current_state"] == "wait_primary",
               timeout=90, what="y to become the standby leader")
    psql(c, "b", "INSERT INTO t SELECT generate_series(1101, 1200)")
    wait_until(lambda: rows(c, "y") == 300, timeout=60,
               what="y to keep receiving from the source")
    assert sender_port(c, "y") == c.nodes["b"]["port"]
    assert refuses_writes(c, "y")
    assert request(c.http["y"], "/standby-leader")[0] == 200
