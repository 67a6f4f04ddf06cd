"""Scheduled operations: perform switchover|restart --at, show scheduled,
perform cancel; the monitor carries each out at its time, not before, or
records it as failed (docs/commands.md); on an etcd store too, by the
active one of its monitors (docs/etcd.md)."""

import datetime
import time

import pytest

from cluster import two_node_formation
from etcd import etcd_available
from harness import wait_until


def rfc3339(t):
    return datetime.datetime.fromtimestamp(
        t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def scheduled(h, c):
    return h.pgkeel_json("show", "scheduled", "--pgdata", c.monitor_dir)


def descriptions(c):
    return " | ".join(e["description"] for e in c.events())


def test_a_scheduled_switchover_happens_at_its_time_not_before(h):
    c = two_node_formation(h)
    at = time.time() + 4
    out = h.pgkeel("perform", "switchover", "--at", rfc3339(at), "--pgdata",
                   c.monitor_dir).stdout
    assert "switchover scheduled for" in out and "(id 1)" in out
    listed = scheduled(h, c)
    assert [(o["id"], o["what"], o["node"]) for o in listed] == \
        [(1, "switchover", "")]
    assert abs(listed[0]["at_ms"] - at * 1000) < 2
    # until its time, nothing happens
    while time.time() < at - 0.3:
        assert c.state()["a"]["assigned_state"] == "primary"
    c.wait_states({"a": "secondary", "b": "primary"})
    drained = [e for e in c.events() if e["new_state"] == "draining"]
    assert drained and drained[0]["time_ms"] >= at * 1000
    assert scheduled(h, c) == []
    assert "scheduled switchover (id 1) done" in descriptions(c)


def test_a_cancelled_operation_never_happens(h):
    c = two_node_formation(h)
    out = h.pgkeel("perform", "switchover", "--at", "+3s", "--pgdata",
                   c.monitor_dir).stdout
    assert "(id 1)" in out
    # a later restart of b shows when the monitor has passed the time
    h.pgkeel("perform", "restart", "--name", "b", "--at", "+5s", "--pgdata",
             c.monitor_dir)
    out = h.pgkeel("perform", "cancel", "1", "--pgdata", c.monitor_dir).stdout
    assert "cancelled" in out
    assert [o["id"] for o in scheduled(h, c)] == [2]
    cp = h.pgkeel("perform", "cancel", "1", "--pgdata", c.monitor_dir,
                  check=False)
    assert cp.returncode == 2 and "no pending" in cp.stderr
    wait_until(lambda: "scheduled restart (id 2) done" in descriptions(c),
               timeout=30, what="the scheduled restart of b")
    wait_until(lambda: c.state()["b"]["current_state"] == "secondary",
               timeout=60, what="b back in sync after its restart")
    assert c.state()["a"]["assigned_state"] == "primary"
    assert not [e for e in c.events() if e["new_state"] == "draining"]
    assert "scheduled switchover (id 1) cancelled" in descriptions(c)
    assert scheduled(h, c) == []


def test_past_or_malformed_times_are_refused(h):
    c = two_node_formation(h)
    for at in (rfc3339(time.time() - 60), "2026-01-01T00:00:00+02:00"):
        cp = h.pgkeel("perform", "switchover", "--at", at, "--pgdata",
                      c.monitor_dir, check=False)
        assert cp.returncode == 2 and "in the past" in cp.stderr, cp.stderr
    for at in ("tomorrow", "2030-01-01T00:00:00", "+5"):
        cp = h.pgkeel("perform", "switchover", "--at", at, "--pgdata",
                      c.monitor_dir, check=False)
        assert cp.returncode == 2 and "expected a time" in cp.stderr
    cp = h.pgkeel("perform", "restart", "--at", "+1h", "--pgdata",
                  c.monitor_dir, check=False)
    assert cp.returncode == 2 and "--name" in cp.stderr
    assert scheduled(h, c) == []


def test_a_switchover_that_cannot_happen_at_its_time_fails_once(h):
    c = two_node_formation(h)
    h.pgkeel("config", "set", "formation.paused", "true", "--pgdata",
             c.monitor_dir)
    h.pgkeel("perform", "switchover", "--at", "+2s", "--pgdata",
             c.monitor_dir)
    wait_until(lambda: "scheduled switchover (id 1) failed" in descriptions(c),
               timeout=30, what="the scheduled switchover to fail")
    assert "is paused" in descriptions(c)
    assert scheduled(h, c) == []
    h.pgkeel("config", "set", "formation.paused", "false", "--pgdata",
             c.monitor_dir)
    c.wait_states({"a": "primary", "b": "secondary"})
    assert not [e for e in c.events() if e["new_state"] == "draining"]


def test_on_an_etcd_store_the_active_monitor_carries_it_out(h):
    if not etcd_available():
        pytest.skip("etcd-server is not installed")
    c = two_node_formation(h, store="etcd")
    uri = ("--monitor", c.uri)
    out = h.pgkeel("perform", "switchover", "--at", "+3s", *uri).stdout
    assert "(id 1)" in out
    at = time.time() + 6
    h.pgkeel("perform", "switchover", "--at", rfc3339(at), *uri)
    assert c.etcd.get("/f/default/scheduled/1") is not None
    assert "cancelled" in h.pgkeel("perform", "cancel", "1", *uri).stdout
    assert c.etcd.get("/f/default/scheduled/1") is None
    listed = h.pgkeel_json("show", "scheduled", *uri)
    assert [(o["id"], o["what"]) for o in listed] == [(2, "switchover")]
    assert abs(listed[0]["at_ms"] - at * 1000) < 2
    cp = h.pgkeel("perform", "cancel", "1", *uri, check=False)
    assert cp.returncode == 2 and "no pending" in cp.stderr
    # the cancelled one's time passes: nothing happens until the other's
    while time.time() < at - 0.3:
        assert c.state()["a"]["assigned_state"] == "primary"
    c.wait_states({"a": "secondary", "b": "primary"})
    drained = [e for e in c.events() if e["new_state"] == "draining"]
    assert len(drained) == 1 and drained[0]["time_ms"] >= at * 1000
    assert "scheduled switchover (id 2) done" in descriptions(c)
    assert "scheduled switchover (id 1) cancelled" in descriptions(c)
    assert scheduled(h, c) == []
    assert c.etcd.get("/f/default/scheduled/2") is None
    # carried out by the monitor holding the lease, not the one standing by
    said = "scheduled switchover (id 2) of formation default: requested"
    assert said in c.monitors["monitor"].log()
    assert said not in c.monitors["monitor2"].log()
