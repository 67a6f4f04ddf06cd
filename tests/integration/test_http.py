"""The HTTP API of keepers and the monitor: routing checks as load
balancers see them, through a failover; /node, /formation; Prometheus
metrics parsed as Prometheus would; state-change hooks."""

import json
import os
import re
import signal
import time
import urllib.error

from prometheus_client.parser import text_string_to_metric_families

from cluster import Writer, http_formation
from harness import wait_until
from httpapi import request


def get(port, path, method="GET"):
    return request(port, path, method=method)


def code(port, path):
    return get(port, path)[0]


def api_formation(h, hook=None):
    extra = ("--hook-state-change", hook, "--hook-timeout", "1s") \
        if hook else ()
    return http_formation(h, *extra)


def metrics(port):
    status, text, headers = get(port, "/metrics")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain; version=0.0.4")
    families = {f.name: f for f in text_string_to_metric_families(text)}
    # conventions: snake case with the pgkeel_ prefix, HELP for each,
    # counters end in _total, units in the name
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            name, kind = line.split()[2:4]
            assert re.fullmatch(r"pgkeel_[a-z0-9_]+", name), name
            assert (kind == "counter") == name.endswith("_total"), name
    assert text.count("# HELP ") == text.count("# TYPE ")
    assert_grouped(text)
    return families


def assert_grouped(text):
    """Each family once: its HELP and TYPE, then all of its samples."""
    seen, current = set(), None
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            current = line.split()[2]
            assert current not in seen, f"{current} twice"
            seen.add(current)
        elif line and not line.startswith("#"):
            assert re.match(r"[a-z0-9_]+", line)[0] == current, line


def sample(families, name, **labels):
    family = families[name.removesuffix("_total")]
    for s in family.samples:
        if s.name == name and all(s.labels.get(k) == v
                                  for k, v in labels.items()):
            return s.value
    raise AssertionError(f"no sample {name} {labels}")


def test_routing_checks_follow_the_assigned_state(h):
    c = api_formation(h)
    a, b = c.http["a"], c.http["b"]
    expected = {
        "/primary": (200, 503), "/read-write": (200, 503),
        "/replica": (503, 200), "/replica?lag=16MB": (503, 200),
        "/read-only": (200, 200), "/health": (200, 200),
        "/liveness": (200, 200), "/readiness": (200, 200),
        "/sync": (503, 200), "/async": (503, 503),
    }
    for path, (want_a, want_b) in expected.items():
        wait_until(lambda: (code(a, path), code(b, path)) == (want_a, want_b),
                   timeout=10, what=f"{path} answers {want_a}/{want_b}")
    status, body, _ = get(a, "/primary")
    assert json.loads(body)["ok"] is True
    status, body, _ = get(b, "/primary")
    assert json.loads(body)["reason"] == "not assigned a primary role"
    assert get(a, "/primary", method="OPTIONS")[0] == 200  # HAProxy's way
    assert get(a, "/primary", method="HEAD")[0] == 200
    assert get(a, "/primary", method="POST")[0] == 405
    assert code(a, "/nope") == 404
    assert code(b, "/replica?lag=lots") == 400
    node = json.loads(get(b, "/node")[1])
    assert node["name"] == "b" and node["current_state"] == "secondary"
    assert node["synchronous"] is True and node["pg_running"] is True
    # asynchronous now: b leaves the synchronous set
    h.pgkeel("config", "set", "formation.number_sync_standbys", "0",
             "--pgdata", c.monitor_dir)
    wait_until(lambda: code(b, "/async") == 200 and code(b, "/sync") == 503,
               what="b to answer /async")
    # a failover: the old primary answers 503 on /primary from the moment
    # the monitor takes the role away, the new one 200
    w = Writer(c).start()
    h.pgkeel("perform", "failover", "--pgdata", c.monitor_dir)
    wait_until(lambda: code(b, "/primary") == 200, what="b to be /primary")
    assert code(a, "/primary") == 503
    c.wait_states({"a": "secondary", "b": "wait_primary"})
    wait_until(lambda: code(a, "/replica") == 200, what="a to be /replica")
    w.wait_more(10)
    w.stop()
    # a node whose keeper is gone answers nothing at all
    c.kill_node("a")
    try:
        get(a, "/health")
        raise AssertionError("a dead keeper answered")
    except (urllib.error.URLError, ConnectionError):
        pass


def test_formation_and_metrics(h):
    c = api_formation(h)
    m = c.http["monitor"]
    def formation():
        status, body, _ = get(m, "/formation")
        return json.loads(body) if status == 200 else {}
    wait_until(lambda: formation().get("health") == "healthy",
               what="/formation to show a healthy formation")
    f = formation()
    assert f["name"] == "default"
    assert {n["name"]: n["current_state"] for n in f["nodes"]} == {
        "a": "primary", "b": "secondary"}
    assert any(e["new_state"] == "secondary" for e in f["events"])
    assert code(m, "/formation?name=nope") == 404
    assert json.loads(get(m, "/formations")[1])[0]["name"] == "default"
    assert code(m, "/health") == 200 and code(m, "/liveness") == 200
    # keeper metrics
    km = metrics(c.http["b"])
    assert sample(km, "pgkeel_node_role", node="b", role="standby") == 1
    assert sample(km, "pgkeel_node_state", node="b", state="secondary") == 1
    assert sample(km, "pgkeel_postgres_up", node="b") == 1
    assert sample(km, "pgkeel_store_reachable", node="b") == 1
    assert sample(km, "pgkeel_timeline", node="b") == 1
    assert sample(km, "pgkeel_replication_lag_bytes", node="b") >= 0
    assert sample(km, "pgkeel_promotions_total", node="b") == 0
    # a switchover shows in the monitor's and the new primary's metrics
    h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir)

    def switched():
        mm = metrics(m)
        return sample(mm, "pgkeel_switchovers_total", formation="default") \
            == 1 and sample(mm, "pgkeel_last_switchover_duration_seconds",
                            formation="default") > 0
    wait_until(switched, what="the monitor to count the switchover")
    mm = metrics(m)
    assert sample(mm, "pgkeel_monitor_active") == 1
    assert sample(mm, "pgkeel_failovers_total", formation="default") == 0
    assert 0 < sample(mm, "pgkeel_monitor_cycle_seconds") < 5
    assert 0 < sample(mm, "pgkeel_monitor_view_seconds") < 5
    wait_until(lambda: sample(metrics(m), "pgkeel_node_reachable",
                              node="a") == 1, what="a reachable again")
    wait_until(lambda: 'node="b",state="primary"} 1' in get(
        m, "/metrics")[1], what="the monitor's metrics to show b primary")
    km = metrics(c.http["b"])
    assert sample(km, "pgkeel_promotions_total", node="b") == 1
    assert sample(km, "pgkeel_last_promotion_duration_seconds",
                  node="b") > 0
    assert sample(km, "pgkeel_node_role", node="b", role="primary") == 1


def test_state_change_hooks_run_without_blocking(h):
    d = h.mkdir("hooks")
    log, hook = os.path.join(d, "hooks.log"), os.path.join(d, "hook.sh")
    with open(hook, "w") as f:
        f.write('#!/bin/sh\n'
                'echo "$PGKEEL_NODE_NAME $PGKEEL_EVENT $PGKEEL_OLD_STATE '
                f'$PGKEEL_NEW_STATE $PGKEEL_ROLE $PGKEEL_FORMATION" >> {log}\n'
                'case "$PGKEEL_NEW_STATE" in draining) sleep 30;; esac\n')
    os.chmod(hook, 0o755)
    # a command that would not survive pgkeel.ini is refused up front
    cp = h.pgkeel("create", "postgres", "--pgdata", h.path("x"),
                  "--hook-state-change", "echo a ; echo b", check=False)
    assert cp.returncode == 2 and "comment in pgkeel.ini" in cp.stderr
    c = api_formation(h, hook=hook)

    def lines():
        if not os.path.exists(log):
            return []
        with open(log) as f:
            return f.read().splitlines()
    wait_until(lambda: "a state_change init single primary default"
               in lines() and "b state_change catchingup secondary "
               "standby default" in lines(), what="hooks of a and b")
    # the draining hook sleeps past its 1 s timeout: the switchover goes
    # on, the hook is killed, the next ones still run, in order
    out = h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir).stdout
    assert "done in" in out
    wait_until(lambda: "a state_change catchingup secondary standby default"
               in lines(), what="a's later hooks")
    a_lines = [ln for ln in lines() if ln.startswith("a ")]
    order = [ln.split()[3] for ln in a_lines]
    assert order.index("draining") < order.index("demoted") < \
        order.index("secondary")
    assert "b state_change wait_primary primary primary default" in lines()
    wait_until(lambda: "killing it" in c.nodes["a"]["proc"].log(),
               what="the slow hook to be killed")


def test_monitor_leaves_out_cycles_while_steady(h):
    """On a steady formation the monitor runs one decision cycle in four
    intervals (each keeper's unchanged report is a beat it hears without
    a read); a keeper that goes silent brings every interval's cycle
    back, and the formation stays healthy once it answers again."""
    c = api_formation(h)
    m = c.http["monitor"]

    def value(name):
        return sample(metrics(m), name)

    def seconds_for(n_cycles):
        start, t0 = value("pgkeel_monitor_cycles_total"), time.monotonic()
        wait_until(lambda: value("pgkeel_monitor_cycles_total")
                   >= start + n_cycles, timeout=30,
                   what=f"{n_cycles} more decision cycles")
        return time.monotonic() - t0

    wait_until(lambda: value("pgkeel_monitor_quiet") == 1, timeout=30,
               what="the monitor to go quiet on a healthy formation")
    # every interval (250 ms) would take 3 s; quiet, about 12 s (a report
    # that changed, as the primary's LSN does now and then, adds one)
    assert seconds_for(12) > 7
    # a standby's keeper beats every other interval while steady: the
    # monitor waits two quiet periods for it (2 s), then cycles every
    # interval
    keeper_b = c.nodes["b"]["proc"].pid
    os.kill(keeper_b, signal.SIGSTOP)
    try:
        assert seconds_for(12) < 6
    finally:
        os.kill(keeper_b, signal.SIGCONT)
    wait_until(lambda: json.loads(get(m, "/formation")[1]).get("health")
               == "healthy", timeout=30, what="the formation healthy again")
