"""The keeper's operations on a real PostgreSQL server, each checked by
looking at the server afterwards."""

import os
import signal
import subprocess

import psycopg2
import pytest

from harness import wait_until
from pgnodes import Node


def primary(h, name="a"):
    node = Node(h, name)
    node.do("init-primary")
    node.trust_tests()
    return node


def standby(h, upstream, name="b"):
    node = Node(h, name)
    node.upstream = upstream
    node.do("clone")
    return node


def test_init_primary_configures_and_is_idempotent(h):
    a = primary(h)
    assert a.value("SHOW data_checksums") == "on"
    assert a.value("SHOW wal_level") == "logical"
    assert a.value("SHOW wal_log_hints") == "on"
    assert a.value("SHOW port") == str(a.port)
    role = a.sql("SELECT rolreplication, rolcanlogin FROM pg_roles "
                 "WHERE rolname = 'pgkeel_replication'")
    assert role == [(True, True)]
    hba = open(os.path.join(a.pgdata, "pg_hba.conf")).read()
    assert "host replication pgkeel_replication 127.0.0.1/32 " \
           "scram-sha-256" in hba
    pid = a.postmaster_pid()
    a.do("init-primary")  # again: nothing re-created, same server
    assert a.postmaster_pid() == pid
    conf = open(os.path.join(a.pgdata, "postgresql.conf")).read()
    assert conf.count("include 'postgresql.pgkeel.conf'") == 1
    assert open(os.path.join(a.pgdata, "pg_hba.conf")).read() == hba


def test_init_refuses_a_directory_with_other_content(h):
    a = Node(h, "a")
    h.mkdir("a")
    with open(os.path.join(a.pgdata, "precious.txt"), "w") as f:
        f.write("keep me")
    h._chown_tree(a.pgdata)
    cp = a.do("init-primary", check=False)
    assert cp.returncode != 0
    assert "is not empty" in cp.stderr
    assert os.listdir(a.pgdata) == ["precious.txt"]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to chown")
def test_init_refuses_a_directory_owned_by_someone_else(h):
    a = Node(h, "a")
    os.makedirs(a.pgdata)  # owned by root, not the test user
    cp = a.do("init-primary", check=False)
    assert cp.returncode != 0
    assert "belongs to uid 0" in cp.stderr


def test_adopt_keeps_the_users_settings(h):
    a = Node(h, "a")
    initdb = "/usr/lib/postgresql/15/bin/initdb"
    h.start("initdb", [initdb, "-D", a.pgdata, "-A", "trust"]).popen.wait()
    with open(os.path.join(a.pgdata, "postgresql.conf"), "a") as f:
        f.write("work_mem = '7MB'\n")
    a.do("adopt")
    a.trust_tests()
    assert a.value("SHOW work_mem") == "7MB"
    assert a.value("SHOW wal_level") == "logical"
    assert not a.value("SELECT pg_is_in_recovery()")


def test_adopt_refuses_what_is_not_a_data_directory(h):
    a = Node(h, "a")
    h.mkdir("a")
    cp = a.do("adopt", check=False)
    assert cp.returncode != 0
    assert "not a Postgres data directory" in cp.stderr


def test_missing_binaries_are_named(h):
    a = Node(h, "a")
    cp = a.do("init-primary", "--pg-bindir", "/nonexistent/bin", check=False)
    assert cp.returncode != 0
    assert "/nonexistent/bin" in cp.stderr and "missing" in cp.stderr
    assert not os.path.exists(a.pgdata)


def test_port_in_use_is_reported(h):
    a = primary(h)
    b = Node(h, "b", port=a.port)
    cp = b.do("init-primary", check=False)
    assert cp.returncode != 0
    assert "Address already in use" in cp.stderr or \
        "lock file" in cp.stderr
    assert os.path.exists(os.path.join(b.pgdata, "PG_VERSION"))


def test_clone_streams_through_a_slot(h):
    a = primary(h)
    a.sql("CREATE TABLE t AS SELECT generate_series(1, 1000) AS i")
    b = standby(h, a)
    obs = b.observe()
    assert obs["in_recovery"] and obs["receiver_status"] == "streaming"
    assert obs["upstream_port"] == a.port
    b.wait_rows("t", 1000)
    a.sql("INSERT INTO t SELECT generate_series(1001, 1500)")
    b.wait_rows("t", 1500)
    slots = a.sql("SELECT slot_name, active FROM pg_replication_slots")
    assert slots == [("pgkeel_b", True)]
    b.do("clone")  # idempotent: already a standby
    assert b.observe()["receiver_status"] == "streaming"


def test_clone_refuses_a_non_empty_directory(h):
    a = primary(h)
    b = Node(h, "b")
    b.upstream = a
    h.mkdir("b")
    with open(os.path.join(b.pgdata, "mine"), "w") as f:
        f.write("x")
    cp = b.do("clone", check=False)
    assert cp.returncode != 0 and "is not empty" in cp.stderr
    assert os.listdir(b.pgdata) == ["mine"]


def test_clone_from_an_unreachable_primary_leaves_nothing(h):
    a = primary(h)
    a.do("stop")
    b = Node(h, "b")
    b.upstream = a
    cp = b.do("clone", check=False)
    assert cp.returncode != 0
    assert "upstream" in cp.stderr and str(a.port) in cp.stderr
    assert not os.path.exists(b.pgdata)


def test_stop_modes_and_start(h):
    a = primary(h)
    for mode in ("smart", "fast", "immediate"):
        a.do("stop", "--mode", mode)
        assert not os.path.exists(os.path.join(a.pgdata, "postmaster.pid"))
        a.do("stop", "--mode", mode)  # idempotent
        a.do("start")
        assert a.accepts_writes()


def test_promote_reports_a_new_timeline(h):
    a = primary(h)
    b = standby(h, a)
    a.do("stop")
    out = b.do("promote").stdout
    assert "timeline 2" in out
    assert b.accepts_writes()
    b.sql("CREATE TABLE after_promotion (i int)")


def test_demote_turns_a_primary_into_a_standby(h):
    a = primary(h)
    b = standby(h, a)
    a.sql("CREATE TABLE t (i int)")
    b.wait_rows("t", 0)
    a.do("stop")   # clean shutdown: b has every WAL record of a
    b.do("promote")
    a.upstream = b
    a.do("demote")
    obs = a.observe()
    assert obs["in_recovery"] and obs["upstream_port"] == b.port
    b.sql("INSERT INTO t SELECT generate_series(1, 10)")
    a.wait_rows("t", 10)


def test_fence_stops_writes_at_once(h):
    a = primary(h)
    conn = a.connect()
    a.do("fence", "--immediate")
    wait_until(lambda: not a.accepts_writes(), timeout=10,
               what="the fenced primary to refuse connections")
    with pytest.raises(psycopg2.Error):
        conn.cursor().execute("CREATE TABLE never (i int)")
    a.do("fence")  # idempotent on a stopped server


def test_follow_switches_upstream_without_reclone(h):
    a = primary(h)
    b = standby(h, a, "b")
    c = standby(h, a, "c")
    a.sql("CREATE TABLE t (i int)")
    b.wait_rows("t", 0)
    c.wait_rows("t", 0)
    a.do("stop")
    b.do("promote")
    c_pid = c.postmaster_pid()
    c.upstream = b
    c.do("follow")
    wait_until(lambda: c.observe()["upstream_port"] == b.port,
               what="c to stream from b")
    assert c.postmaster_pid() == c_pid  # a reload, not a restart
    b.sql("INSERT INTO t SELECT generate_series(1, 5)")
    c.wait_rows("t", 5)
    assert c.observe()["timeline"] == 2


def test_rejoin_rewinds_a_diverged_old_primary(h):
    a = primary(h)
    b = standby(h, a)
    a.sql("CREATE TABLE t (i int PRIMARY KEY, who text)")
    a.sql("INSERT INTO t SELECT i, 'both' FROM generate_series(1, 100) i")
    b.wait_rows("t", 100)
    # split brain on purpose: b is promoted while a still takes writes
    b.do("promote")
    a.sql("INSERT INTO t SELECT i, 'old' FROM generate_series(101, 150) i")
    b.sql("INSERT INTO t SELECT i, 'new' FROM generate_series(101, 120) i")
    a.upstream = b
    a.do("rejoin")
    assert a.observe()["in_recovery"]
    a.wait_rows("t", 120)
    b.sql("INSERT INTO t VALUES (121, 'later')")
    a.wait_rows("t", 121)
    rows = a.sql("SELECT who, count(*) FROM t GROUP BY who ORDER BY who")
    assert rows == [("both", 100), ("later", 1), ("new", 20)]
    assert a.observe()["timeline"] == 2


def test_rejoin_falls_back_to_a_clone_and_keeps_old_data_until_it_works(h):
    a = primary(h)
    b = standby(h, a)
    a.sql("CREATE TABLE t AS SELECT generate_series(1, 10) AS i")
    b.wait_rows("t", 10)
    a.do("stop", "--mode", "immediate")
    b.do("promote")
    b.sql("INSERT INTO t VALUES (11)")
    # make pg_rewind impossible: the target's control file is gone
    os.remove(os.path.join(a.pgdata, "global", "pg_control"))
    a.upstream = b
    a.do("rejoin")
    a.wait_rows("t", 11)
    assert a.observe()["in_recovery"]
    assert not os.path.exists(a.pgdata + ".pgkeel-old")
    assert not os.path.exists(a.pgdata + ".pgkeel-clone")


def test_slots_are_created_dropped_and_exist_on_standbys(h):
    a = primary(h)
    b = standby(h, a)
    a.do("slots", "--slots", "pgkeel_b,pgkeel_c")
    names = lambda n: [r[0] for r in n.sql(
        "SELECT slot_name FROM pg_replication_slots ORDER BY 1")]
    assert names(a) == ["pgkeel_b", "pgkeel_c"]
    a.do("slots", "--slots", "pgkeel_b")
    assert names(a) == ["pgkeel_b"]
    b.do("slots", "--slots", "pgkeel_a")  # a standby holds one for a
    assert names(b) == ["pgkeel_a"]


def test_synchronous_standby_names_applied_by_reload(h):
    a = primary(h)
    b = standby(h, a)
    pid = a.postmaster_pid()
    a.do("configure", "--sync-names", 'ANY 1 ("b")')
    assert a.value("SHOW synchronous_standby_names") == 'ANY 1 ("b")'
    assert a.postmaster_pid() == pid
    wait_until(lambda: a.observe()["standbys"][0]["sync_state"] == "quorum",
               what="b to be a synchronous standby")
    a.sql("CREATE TABLE synced (i int)")  # commits: b acknowledges
    b.do("stop")
    # with its only synchronous standby gone, a commit waits
    waiter = h.start("blocked-insert", [
        "/usr/bin/psql", "-h", "127.0.0.1", "-p", str(a.port), "-U",
        "postgres", "-c", "INSERT INTO synced VALUES (1)"])
    wait_until(lambda: a.value(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'"
    ) == 1, what="a commit waiting for the synchronous standby")
    a.sql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
          "WHERE wait_event = 'SyncRep'")
    waiter.popen.wait(10)


def test_supervisor_restarts_a_crashed_postmaster(h):
    a = primary(h)
    sup = h.start("supervise", ["pgkeel", "do", "supervise", *a.flags()])
    first = a.postmaster_pid()
    os.kill(first, signal.SIGKILL)
    wait_until(lambda: a.accepts_writes() and a.postmaster_pid() != first,
               timeout=30, what="a restarted Postgres")
    # "restarted", or "started" when the kill came before the supervisor
    # first saw the server up
    wait_until(lambda: "started Postgres in" in sup.log(),
               what="the supervisor to report the restart")
    h.stop(sup)
    assert a.accepts_writes()  # stopping the supervisor leaves Postgres up


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to mount tmpfs")
def test_full_disk_gives_a_clear_error_and_keeps_data(h):
    mnt = h.mkdir("disk")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mnt],
                   check=True)
    try:
        h._chown_tree(mnt)
        a = Node(h, "a", pgdata=os.path.join(mnt, "data"))
        a.do("init-primary")
        a.do("stop")
        filler = os.path.join(mnt, "filler")
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M"],
                       capture_output=True)
        cp = a.do("start", check=False)
        assert cp.returncode != 0
        assert "No space left on device" in cp.stderr
        assert os.path.exists(os.path.join(a.pgdata, "PG_VERSION"))
        os.remove(filler)
        a.do("start")
        a.trust_tests()
        assert a.accepts_writes()
        a.do("stop", "--mode", "immediate")
    finally:
        subprocess.run(["umount", "-l", mnt])
