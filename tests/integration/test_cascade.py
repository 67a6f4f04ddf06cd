"""Cascading replication and delayed replicas on real Postgres servers
(docs/state-machine.md, "Cascading replication" and "Delayed replicas"):
a standby streaming from another standby, re-pointed to the primary when
that one dies, kept through that one's promotion; a standby replaying an
hour late, never promoted."""

import time

from cluster import Cluster, Writer
from harness import wait_until


def psql(c, name, sql):
    """SQL on node `name` as the servers' superuser, over its socket."""
    return c.h.psql(c.sock, c.nodes[name]["port"], sql)


def sender_port(c, name):
    """The port node `name`'s WAL receiver streams from, or None."""
    port = psql(c, name, "SELECT sender_port FROM pg_stat_wal_receiver "
                         "WHERE status = 'streaming'")
    return int(port) if port else None


def streams_from(c, name, upstream):
    return sender_port(c, name) == c.nodes[upstream]["port"]


def always(condition, seconds, what):
    """condition() holds at every poll for `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert condition(), what
        time.sleep(0.2)


def rows(c, name, table="t"):
    return psql(c, name, f"SELECT count(*) FROM {table}")


def explain(c):
    return c.mon_pgkeel("explain", "--pgdata", c.monitor_dir).stdout


def cascaded_formation(h, *c_flags):
    """a primary, b its standby, c streaming from b."""
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    c.add_node("b", "--candidate-priority", "90")
    c.wait_states({"a": "primary", "b": "secondary"})
    c.add_node("c", "--replicate-from", "b", *c_flags)
    c.wait_states({"a": "primary", "b": "secondary", "c": "secondary"})
    c.create_app_user()
    return c


def test_a_cascaded_standby_follows_the_primary_while_its_upstream_is_down(h):
    c = cascaded_formation(h)
    assert c.config("get", "node.replicate_from", "--name",
                    "c").stdout.strip() == "b"
    wait_until(lambda: streams_from(c, "c", "b"),
               what="c to stream from b")
    c.sql("CREATE TABLE t (id int)")
    c.sql("INSERT INTO t SELECT generate_series(1, 1000)")
    wait_until(lambda: rows(c, "c") == "1000", what="rows to reach c")
    # Postgres cannot count a cascaded standby: a's commits wait for b
    assert c.show("a", "synchronous_standby_names") == 'ANY 1 ("b")'
    # b keeps c's slot, and c uses it there
    assert psql(c, "b", "SELECT active FROM pg_replication_slots "
                        "WHERE slot_name = 'pgkeel_c'") == "t"

    c.kill_node("b")
    wait_until(lambda: streams_from(c, "c", "a"), timeout=60,
               what="c to stream from the primary a",
               show=c.brief_state)
    assert c.state()["c"]["assigned_state"] in ("catchingup", "secondary")
    c.sql("INSERT INTO t SELECT generate_series(1001, 2000)")
    wait_until(lambda: rows(c, "c") == "2000",
               what="rows written after b died to reach c")
    assert any(e["node_name"] == "c" and "replicate_from" in
               e["description"] for e in c.events()), c.events()

    # b comes back and streams from a: c goes back to it, a reload only
    pid = c.postmaster_pid("c")
    c.start_keeper("b")
    wait_until(lambda: streams_from(c, "c", "b"), timeout=90,
               what="c to stream from b again", show=c.brief_state)
    c.sql("INSERT INTO t SELECT generate_series(2001, 3000)")
    wait_until(lambda: rows(c, "c") == "3000",
               what="rows written after b came back to reach c")
    assert c.postmaster_pid("c") == pid


def test_failover_keeps_the_cascaded_standby_streaming(h):
    c = cascaded_formation(h)
    wait_until(lambda: streams_from(c, "c", "b"),
               what="c to stream from b")
    pid = c.postmaster_pid("c")
    w = Writer(c).start()
    c.kill_node("a")
    c.wait_assigned({"b": "primary"}, timeout=60)
    w.wait_more(20)
    c.wait_states({"b": "primary", "c": "secondary"})
    w.stop()
    wait_until(lambda: streams_from(c, "c", "b"),
               what="c to stream from b, now the primary")
    # c followed b's new timeline over the same stream: its Postgres was
    # neither re-cloned nor restarted, and has every acknowledged write
    assert c.postmaster_pid("c") == pid
    wait_until(lambda: psql(c, "c", "SELECT received_tli FROM "
                                    "pg_stat_wal_receiver") == "2",
               what="c on b's timeline")
    wait_until(lambda: w.missing_on("c") == [], what="every write on c")
    assert w.missing_on("b") == []
    promoted = [e["node_name"] for e in c.events()
                if e["new_state"] == "prepare_promotion"]
    assert promoted == ["b"], promoted


def test_a_delayed_standby_is_never_promoted(h):
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    c.add_node("b")
    c.add_node("c", "--candidate-priority", "100")
    c.wait_states({"a": "primary", "b": "secondary", "c": "secondary"})
    c.create_app_user()
    c.sql("CREATE TABLE t (id int)")
    wait_until(lambda: psql(c, "c", "SELECT to_regclass('t') IS NOT NULL")
               == "t", what="the table on c")
    c.config("set", "node.apply_delay", "1h", "--name", "c")
    wait_until(lambda: c.show("c", "recovery_min_apply_delay") == "1h",
               what="c to replay an hour late")
    assert c.config("get", "node.apply_delay", "--name",
                    "c").stdout.strip() == "60min"
    wait_until(lambda: "Not a failover candidate: it applies WAL late"
               in explain(c), what="explain to say why c is no candidate")
    assert c.show("a", "synchronous_standby_names") == 'ANY 1 ("b")'

    c.sql("INSERT INTO t SELECT generate_series(1, 1000)")
    lsn = psql(c, "a", "SELECT pg_current_wal_lsn()")
    wait_until(lambda: rows(c, "b") == "1000", what="rows on b")
    wait_until(lambda: psql(c, "c", "SELECT flushed_lsn >= "
                                    f"'{lsn}' FROM pg_stat_wal_receiver")
               == "t", what="c to receive the rows")
    assert rows(c, "c") == "0"  # received, not applied

    c.kill_node("a")
    # b is promoted; with c delayed it has no synchronous standby: it
    # takes writes asynchronously (wait_primary)
    wait_until(lambda: c.state()["b"]["assigned_state"] in (
        "wait_primary", "primary"), timeout=60, what="b promoted",
        show=c.brief_state)
    always(lambda: c.state()["c"]["assigned_state"] not in (
        "prepare_promotion", "wait_primary", "primary"), 5,
        "c is never promoted")
    promoted = [e["node_name"] for e in c.events()
                if e["new_state"] == "prepare_promotion"]
    assert promoted == ["b"], promoted
    assert rows(c, "b") == "1000"
