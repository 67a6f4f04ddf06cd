"""Permanent replication slots (pgkeel config set slots.NAME physical):
kept on the primary and, advanced to the primary's position, on the
standby; a pg_receivewal consumer finds its slot, and every WAL segment
it has not received, on the new primary after the old one crashed."""

import os
import re
import signal

import pytest

from cluster import Writer, two_node_formation
from etcd import both_stores
from harness import wait_until

STORES = both_stores()

SLOT = "archive"
WAL_USER = "walarchive"
WAL_PASSWORD = "wal-archive-secret"
SEG = 16 * 1024 * 1024


def lsn(text):
    hi, lo = text.split("/")
    return (int(hi, 16) << 32) | int(lo, 16)


def slot_row(c, node, slot=SLOT):
    """(restart_lsn or None, active) of the physical slot on node, or
    None when it is not there."""
    out = c.h.psql(c.sock, c.nodes[node]["port"],
                   "SELECT coalesce(restart_lsn::text, ''), active FROM"
                   " pg_replication_slots WHERE slot_type = 'physical'"
                   f" AND slot_name = '{slot}'")
    if not out:
        return None
    restart, active = out.split("|")
    return (lsn(restart) if restart else None, active == "t")


def node_sql(c, node, sql):
    return c.h.psql(c.sock, c.nodes[node]["port"], sql)


def start_receivewal(h, c, target):
    """pg_receivewal through the formation's multi-host URI, as a role of
    its own whose password is in a passfile (never on a command line)."""
    node_sql(c, c.primary(), f"CREATE ROLE {WAL_USER} LOGIN REPLICATION"
             f" PASSWORD '{WAL_PASSWORD}'")
    passfile = h.path("walarchive.pgpass")
    with open(passfile, "w") as f:
        f.write(f"*:*:*:{WAL_USER}:{WAL_PASSWORD}\n")
    os.chmod(passfile, 0o600)
    if h.user:
        os.chown(passfile, h.user.pw_uid, h.user.pw_gid)
    return h.start("receivewal", [
        "/usr/bin/pg_receivewal", "--directory", target, "--slot", SLOT,
        "--dbname", c.formation_uri(), "--verbose"],
        env={"PGPASSFILE": passfile, "PGUSER": WAL_USER})


def segments(target):
    """{timeline: sorted segment numbers} of the WAL files received
    (complete or .partial), and the history files."""
    found, histories = {}, []
    for name in os.listdir(target):
        m = re.fullmatch(r"([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})"
                         r"(\.partial)?", name)
        if m:
            tli = int(m.group(1), 16)
            segno = int(m.group(2), 16) * 0x100 + int(m.group(3), 16)
            found.setdefault(tli, []).append(segno)
        elif name.endswith(".history"):
            histories.append(name)
    return {t: sorted(s) for t, s in found.items()}, histories


def switch_point(target, tli):
    """Where timeline tli - 1 ends, from tli's history file."""
    with open(os.path.join(target, f"{tli:08X}.history")) as f:
        for line in f:
            parts = line.split()
            if parts and int(parts[0]) == tli - 1:
                return lsn(parts[1])
    raise AssertionError(f"no switch to timeline {tli} in its history")


@pytest.mark.parametrize("store", STORES)
def test_a_permanent_slot_keeps_its_consumer_going_across_a_failover(h, store):
    c = two_node_formation(h, store=store)
    out = c.config("set", f"slots.{SLOT}", "physical").stdout
    assert f"slots.{SLOT} = physical" in out
    for n in ("a", "b"):
        wait_until(lambda: (slot_row(c, n) or (None,))[0] is not None,
                   what=f"slot {SLOT} on {n}")
    target = h.mkdir("wal")
    consumer = start_receivewal(h, c, target)
    wait_until(lambda: slot_row(c, "a") and slot_row(c, "a")[1],
               what="pg_receivewal to stream from a through its slot")
    w = Writer(c).start()
    # the standby's copy follows the primary's slot, never ahead of it
    node_sql(c, "a", "SELECT pg_switch_wal()")
    w.wait_more(20)
    first = slot_row(c, "a")[0]

    def copy_caught_up(target_lsn):
        mine = slot_row(c, "b")[0]
        primary = slot_row(c, "a")[0]
        assert mine <= primary, (mine, primary)
        return mine >= target_lsn
    wait_until(lambda: copy_caught_up(first), timeout=40,
               what="b's copy to reach the primary slot's position")

    # the consumer stops confirming; WAL goes on, segment after segment
    consumer.signal(signal.SIGSTOP)
    try:
        wait_until(lambda: slot_row(c, "b")[0] == slot_row(c, "a")[0],
                   timeout=40, what="b's copy at the frozen slot's position")
        frozen = slot_row(c, "a")[0]
        for _ in range(3):
            w.wait_more(5)
            node_sql(c, "a", "SELECT pg_switch_wal()")
        behind = lsn(node_sql(c, "a", "SELECT pg_current_wal_lsn()"))
        assert behind - frozen > 2 * SEG
        wait_until(lambda: lsn(node_sql(
            c, "b", "SELECT pg_last_wal_replay_lsn()")) >= behind,
            what="b to replay past the consumer")

        # a whole-node crash of the primary
        copies = []

        def promoted():
            row = slot_row(c, "b")
            if row and not row[1]:
                copies.append(row[0])
            return c.primary() == "b" and node_sql(
                c, "b", "SELECT pg_is_in_recovery()") == "f"
        c.kill_node("a")
        wait_until(promoted, timeout=60, what="b to be promoted")
        assert copies and copies[-1] <= frozen, (copies, frozen)
        # WAL the new primary no longer needs for itself goes
        node_sql(c, "b", "CHECKPOINT")
        node_sql(c, "b", "SELECT pg_switch_wal()")
        node_sql(c, "b", "CHECKPOINT")
    finally:
        consumer.signal(signal.SIGCONT)

    # the consumer reconnects to b through the URI, with its slot
    def streams_timeline_2():
        row = slot_row(c, "b")
        segs, _ = segments(target)
        return row and row[1] and 2 in segs
    wait_until(streams_timeline_2, timeout=60,
               what="pg_receivewal to stream timeline 2 from b")
    w.wait_more(20)
    # and has every segment of timeline 1 up to the switch, then 2's
    segs, _ = segments(target)
    switch = switch_point(target, 2)
    tl1 = segs[1]
    assert tl1 == list(range(tl1[0], tl1[-1] + 1)), tl1
    assert tl1[-1] >= (switch - 1) // SEG, (tl1, hex(switch))
    assert segs[2][0] == switch // SEG, (segs[2], hex(switch))
    log = consumer.log()
    assert "already been removed" not in log, log
    assert "does not exist" not in log, log
    w.stop()
    assert w.missing_on("b") == []


def test_slot_declarations_are_checked_listed_and_removed(h):
    c = two_node_formation(h)
    cases = [
        ("slots.Archive", "physical", "lower-case"),
        ("slots.wal-2", "physical", "lower-case"),
        ("slots." + "x" * 64, "physical", "1 to 63"),
        ("slots.pgkeel_b", "physical", "pgkeel's own"),
        ("slots.cdc", "logical:pgoutput", "PLUGIN:DATABASE"),
        ("slots.cdc", "temporary", "physical"),
    ]
    for name, value, why in cases:
        cp = c.config("set", name, value, check=False)
        assert cp.returncode == 8, (name, cp.stderr)
        assert why in cp.stderr, (name, cp.stderr)
    cp = c.config("unset", "slots.never", check=False)
    assert cp.returncode == 1 and "not declared" in cp.stderr
    assert c.config("get", "slots.never", check=False).returncode == 1

    c.config("set", "slots.keep_me", "physical")
    c.config("set", "slots.drop_me", "physical")
    assert c.config("get", "slots.keep_me").stdout.strip() == "physical"
    settings = h.pgkeel_json("show", "settings", "--pgdata", c.monitor_dir)
    assert settings["slots"] == {"drop_me": "physical",
                                 "keep_me": "physical"}
    text = h.pgkeel("show", "settings", "--pgdata", c.monitor_dir).stdout
    assert "slots.keep_me" in text
    for n in ("a", "b"):
        for s in ("keep_me", "drop_me"):
            wait_until(lambda: slot_row(c, n, s) is not None,
                       what=f"slot {s} on {n}")
    out = c.config("unset", "slots.drop_me").stdout
    assert "slots.drop_me unset" in out
    for n in ("a", "b"):
        wait_until(lambda: slot_row(c, n, "drop_me") is None,
                   what=f"slot drop_me dropped on {n}")
        assert slot_row(c, n, "keep_me") is not None
    settings = h.pgkeel_json("show", "settings", "--pgdata", c.monitor_dir)
    assert settings["slots"] == {"keep_me": "physical"}
    # pgkeel's own slots are left alone
    assert slot_row(c, "a", "pgkeel_b") is not None
