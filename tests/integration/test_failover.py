"""Monitor, store and state machine end to end: the seed walkthrough and
the failures it promises to survive, on real Postgres servers."""

import os
import signal
import subprocess
import time

import psycopg2
import pytest

from cluster import Cluster, Writer, two_node_formation
from etcd import both_stores
from harness import second_user, wait_until


# on etcd, slow: test_etcd_monitors.py covers a crash on that store
STORES = both_stores(pytest.mark.slow)


@pytest.mark.parametrize("store", STORES)
def test_walkthrough_primary_and_secondary(h, store):
    c = two_node_formation(h, store=store)
    c.sql("CREATE TABLE foo AS SELECT generate_series(1, 100000) AS bar")
    wait_until(lambda: c.sql("SELECT count(*) FROM foo", "b")[0][0]
               == 100000, what="rows replicated to b")
    state = c.state()
    for field in ("name", "node_id", "host", "port", "current_state",
                  "assigned_state", "lsn", "reachable"):
        assert field in state["a"]
    wait_until(lambda: all(r["reachable"] for r in c.state().values()),
               what="the monitor to reach both nodes")
    assert state["a"]["formation_health"] == "healthy"
    text = h.pgkeel("show", "state", "--pgdata", c.monitor_dir).stdout
    assert "Formation default: healthy" in text
    uri = c.formation_uri()
    assert uri.startswith("postgres://127.0.0.1:")
    assert uri.endswith("/postgres?target_session_attrs=read-write"
                        "&sslmode=require")
    transitions = [(e["node_name"], e["new_state"]) for e in c.events()]
    assert ("a", "single") in transitions
    assert ("b", "secondary") in transitions
    assert ("a", "primary") in transitions
    # commits wait for b: synchronous replication is on
    sync = h.psql(c.sock, c.nodes["a"]["port"],
                  "SHOW synchronous_standby_names")
    assert sync == 'ANY 1 ("b")'
    # the standby keeps a slot for a, advanced as it replays, so that it
    # holds the WAL a needs if b is ever promoted
    slot = "SELECT restart_lsn FROM pg_replication_slots " \
           "WHERE slot_name = 'pgkeel_a'"
    before = wait_until(lambda: h.psql(c.sock, c.nodes["b"]["port"], slot),
                        what="b's slot for a")
    c.sql("INSERT INTO foo SELECT generate_series(1, 100000)")
    wait_until(lambda: h.psql(c.sock, c.nodes["b"]["port"],
                              f"SELECT restart_lsn > '{before}' FROM "
                              "pg_replication_slots WHERE slot_name = "
                              "'pgkeel_a'") == "t",
               what="b's slot for a to advance")


def test_sighup_reloads_the_configuration(h):
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    ini = os.path.join(h.home, c.nodes["a"]["pgdata"].lstrip("/"),
                       "pgkeel.ini")
    with open(ini) as f:
        text = f.read()
    with open(ini, "w") as f:
        f.write(text.replace("[pgkeel]", "[log]\nlevel = debug\n\n[pgkeel]"))
    c.nodes["a"]["proc"].signal(signal.SIGHUP)
    keeper = c.nodes["a"]["proc"]
    wait_until(lambda: "configuration reloaded" in keeper.log(),
               what="the keeper to reload")
    wait_until(lambda: " debug " in keeper.log(),
               what="debug messages after the reload")
    with open(ini, "w") as f:
        f.write(text + "\n[timeouts]\nfence_timeout = 10s\n")
    keeper.signal(signal.SIGHUP)
    wait_until(lambda: "not reloaded: unsafe timeouts" in keeper.log(),
               what="an unsafe configuration to be refused")


@pytest.mark.parametrize("store", STORES)
def test_whole_node_crash_fails_over_then_old_node_rejoins(h, store):
    c = two_node_formation(h, store=store)
    w = Writer(c).start()
    c.kill_node("a")
    c.wait_state("b", "wait_primary", timeout=30)
    # the host stayed up: its port refused, which is definitive once the
    # keeper's fencing time passed (docs/guarantees.md)
    assert any("port refuses connections" in e["description"]
               for e in c.events() if e["node_name"] == "a"), c.events()
    w.wait_more(20)
    keeper = c.start_keeper("a")
    c.wait_states({"a": "secondary", "b": "primary"})
    w.wait_more(20)
    w.stop()
    assert w.missing_on("b") == []
    assert w.missing_on("a") == []  # rewound, then caught up
    assert c.state()["b"]["timeline"] == 2
    # the demoted node's keeper did not start its Postgres as a primary
    # first: the store's goal for it was no longer primary
    log = keeper.log()
    log = log[log.rfind("keeper for node"):]  # this run of the keeper
    demoted = log.find("primary -> demoted")
    started = log.find("starting Postgres")
    assert 0 <= demoted and (started < 0 or started > demoted), log


def test_postmaster_crash_is_restarted_in_place(h):
    c = two_node_formation(h)
    w = Writer(c).start()
    first = c.postmaster_pid("a")
    os.kill(first, signal.SIGKILL)
    wait_until(lambda: c.postmaster_pid("a") != first, what="a restart")
    w.wait_more(20)
    w.stop()
    assert c.primary() == "a"
    assert not [e for e in c.events() if e["new_state"] == "demoted"]
    assert w.missing_on("a") == []


def test_lost_secondary_degrades_then_returns(h):
    c = two_node_formation(h)
    w = Writer(c).start()
    h.stop(c.nodes["b"]["proc"])  # keeper and Postgres stop
    c.wait_state("a", "wait_primary", timeout=30)
    c.wait_assigned({"b": "catchingup"})
    w.wait_more(20)  # writes resume without a synchronous standby
    assert c.state()["a"]["formation_health"] == "degraded"
    c.start_keeper("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    w.wait_more(10)
    w.stop()
    assert w.missing_on("a") == []


def test_strict_mode_keeps_writes_blocked(h):
    c = two_node_formation(h)
    c.monitor_sql("UPDATE pgkeel.formation SET strict_sync = true")
    c.sql("CREATE TABLE t (i int)")
    h.stop(c.nodes["b"]["proc"])
    c.wait_assigned({"b": "catchingup"}, timeout=30)
    # a commit on a waits for the lost standby, past sync_timeout
    h.start("blocked-insert", [
        "/usr/bin/psql", "-h", c.sock, "-p", str(c.nodes["a"]["port"]),
        "-d", "postgres", "-c", "INSERT INTO t VALUES (1)"])
    waiting = ("SELECT count(*) FROM pg_stat_activity "
               "WHERE wait_event = 'SyncRep'")
    wait_until(lambda: h.psql(c.sock, c.nodes["a"]["port"], waiting) == "1",
               what="a commit waiting for the synchronous standby")
    time.sleep(6)  # longer than sync_timeout: not strict would drop it
    assert h.psql(c.sock, c.nodes["a"]["port"], waiting) == "1"
    assert c.state()["a"]["assigned_state"] == "primary"
    c.start_keeper("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    wait_until(lambda: h.psql(c.sock, c.nodes["a"]["port"], waiting) == "0",
               what="the commit to complete once b is back")
    assert c.sql("SELECT count(*) FROM t", "b") == [(1,)]


def test_monitor_down_changes_nothing(h):
    c = two_node_formation(h)
    w = Writer(c).start()
    c.stop_monitor()
    w.wait_more(30)  # service continues, no fencing: b streams from a
    c.start_monitor()
    c.wait_states({"a": "primary", "b": "secondary"})
    w.wait_more(10)
    w.stop()
    assert not [e for e in c.events() if e["new_state"] == "demoted"]
    assert w.missing_on("a") == []


def test_monitor_down_on_an_idle_formation_fences_nothing(h):
    """No writes: the standby sends a status message once a second, less
    often than a cut-off primary needs to hear from it, so its keeper asks
    the standby to answer rather than fence (docs/guarantees.md)."""
    c = two_node_formation(h)
    pid_file = os.path.join(c.nodes["a"]["pgdata"], "postmaster.pid")
    keeper = c.nodes["a"]["proc"]
    before = len(keeper.log())
    c.stop_monitor()
    wait_until(lambda: "state store" in keeper.log()[before:],
               what="a's keeper to miss the store")
    end = time.monotonic() + 5  # five times fence_timeout
    while time.monotonic() < end:
        assert os.path.exists(pid_file), "the idle primary fenced itself"
        time.sleep(0.1)
    assert "fencing" not in keeper.log()
    c.sql("CREATE TABLE after_cut (i int)", "a")
    c.start_monitor()
    c.wait_states({"a": "primary", "b": "secondary"})
    assert not [e for e in c.events() if e["new_state"] == "demoted"]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root for iptables")
def test_monitor_cut_off_from_primary_while_standby_streams(h):
    c = Cluster(h, monitor_user=second_user())
    c.add_node("a", wait_state="single")
    c.add_node("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    c.create_app_user()
    w = Writer(c).start()
    # the monitor's connections to a fail, a's keeper falls silent, but
    # b still streams from a: the monitor is the one cut off
    rule = ["OUTPUT", "-o", "lo", "-p", "tcp", "--dport",
            str(c.nodes["a"]["port"]), "-m", "owner", "--uid-owner",
            str(c.mon_user.pw_uid), "-j", "REJECT"]
    subprocess.run(["iptables", "-I", *rule], check=True)
    keeper = c.nodes["a"]["proc"]
    try:
        keeper.signal_group(signal.SIGSTOP)
        wait_until(lambda: not c.state()["a"]["reachable"],
                   what="the monitor to lose a")
        time.sleep(6)  # twice node_down_timeout
        assert c.state()["a"]["assigned_state"] == "primary"
        w.wait_more(10)  # and a still takes writes
    finally:
        keeper.signal_group(signal.SIGCONT)
        subprocess.run(["iptables", "-D", *rule], check=True)
    c.wait_states({"a": "primary", "b": "secondary"})
    w.stop()
    assert not [e for e in c.events() if e["new_state"] == "demoted"]
    assert w.missing_on("a") == []


def test_candidate_priority_and_followers(h):
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    c.add_node("b", "--candidate-priority", "0")
    c.add_node("c", "--candidate-priority", "90")
    c.add_node("d", "--candidate-priority", "10")
    c.wait_states({"a": "primary", "b": "secondary", "c": "secondary",
                   "d": "secondary"})
    c.create_app_user()
    w = Writer(c).start()
    followers = {n: c.postmaster_pid(n) for n in ("b", "d")}
    c.kill_node("a")
    # c passes through wait_primary, for as little as a few ms
    c.wait_states({"b": "secondary", "d": "secondary", "c": "primary"})
    for name, pid in followers.items():
        assert c.postmaster_pid(name) == pid  # followed; not re-cloned
    w.wait_more(10)
    w.stop()
    assert w.missing_on("c") == []
    promoted = [e["node_name"] for e in c.events()
                if e["new_state"] == "prepare_promotion"]
    assert promoted == ["c"]


def test_self_fencing_without_store_and_standby(h):
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    c.create_app_user()
    c.sql("CREATE TABLE t (i int)")
    c.stop_monitor()
    wait_until(lambda: not os.path.exists(
        os.path.join(c.nodes["a"]["pgdata"], "postmaster.pid")),
        timeout=15, what="the cut-off primary to fence itself")
    with pytest.raises(psycopg2.Error):
        c.sql("INSERT INTO t VALUES (1)", "a")
    c.start_monitor()
    wait_until(lambda: c.sql("INSERT INTO t VALUES (2) RETURNING i", "a"),
               timeout=30, what="writes after the store is back")


def test_unsafe_timeouts_are_refused(h):
    c = Cluster(h)
    cp = h.pgkeel("create", "postgres", "--pgdata", h.path("x"),
                  "--monitor", c.uri, "--fence-timeout", "5s",
                  check=False)
    assert cp.returncode != 0
    assert "unsafe timeouts" in cp.stderr
    assert not os.path.exists(h.path("x"))


def test_second_monitor_is_fenced(h):
    c = two_node_formation(h)
    # another monitor queues for the lease, then takes it when the first
    # one's session ends, and bumps the term as `pgkeel run` does
    rival = h.start("rival", [
        "/usr/bin/psql", "-X", "-h", c.sock, "-p", str(c.monitor_port),
        "-d", "pgkeel",
        "-c", "SELECT pg_advisory_lock(7458373650)",
        "-c", "UPDATE pgkeel.lease SET term = term + 1, holder = 'rival'",
        "-c", "SELECT pg_sleep(3600)"])
    wait_until(lambda: c.monitor_sql(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
        " AND NOT granted") == "1", what="the rival to queue for the lease")
    c.monitor_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                  " WHERE application_name = 'pgkeel' AND datname ="
                  " 'pgkeel' AND usename NOT LIKE 'pgkeel_node%'")
    wait_until(lambda: c.monitor_sql(
        "SELECT holder FROM pgkeel.lease") == "rival",
        what="the rival to hold the lease")
    wait_until(lambda: "standing by" in c.monitor.log(),
               what="the monitor to stand by")
    h.stop(c.nodes["b"]["proc"])
    time.sleep(7)  # longer than sync_timeout: an active monitor would act
    assert c.state()["b"]["assigned_state"] == "secondary"
    c.monitor_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                  " WHERE application_name = 'psql' AND query LIKE"
                  " '%pg_sleep%' AND pid <> pg_backend_pid()")  # its session ends: the lease is free
    h.stop(rival)
    c.wait_assigned({"b": "catchingup"}, timeout=30)
    c.start_keeper("b")
    c.wait_states({"a": "primary", "b": "secondary"})
