"""A steady standby's keeper reports every other keeper interval, and the
end of its WAL receiver or of its postmaster wakes it at once instead of
at its next cycle (docs/architecture.md, "The quiet cadence")."""

import os
import signal
import time

from cluster import Cluster, two_node_formation
from harness import wait_until


def report_seqs(c):
    rows = c.monitor_sql("SELECT name, report_seq FROM pgkeel.node")
    return {n: int(s) for n, s in (r.split("|") for r in rows.split())}


def b_sql(c, sql):
    return c.h.psql(c.sock, c.nodes["b"]["port"], sql)


def test_a_steady_standby_reports_half_as_often_as_its_primary(h):
    c = two_node_formation(h)
    start = report_seqs(c)
    wait_until(lambda: report_seqs(c)["a"] >= start["a"] + 12, timeout=30,
               what="12 reports of the primary's keeper")
    b_reports = report_seqs(c)["b"] - start["b"]
    # the usual cadence would be about 12, the quiet one about 6
    assert 2 <= b_reports <= 8, b_reports


def slow_standby(h):
    """A formation whose standby's keeper cycles every 4 s: only a wake
    explains news from it within 2 s."""
    c = Cluster(h, extra_monitor_flags=("--node-down-timeout", "10s"))
    c.add_node("a", wait_state="single")
    c.add_node("b", "--keeper-interval", "4s", "--node-down-timeout", "10s")
    c.wait_states({"a": "primary", "b": "secondary"})
    return c


def just_reported(c):
    """Waits until b's keeper has just reported: its next cycle is a whole
    interval away."""
    seq = report_seqs(c)["b"]
    wait_until(lambda: report_seqs(c)["b"] > seq, timeout=15, interval=0.02,
               what="a report of b's keeper")


def test_the_end_of_its_wal_receiver_or_postmaster_wakes_a_keeper(h):
    c = slow_standby(h)

    def b_streaming():
        return c.monitor_sql("SELECT receiver_streaming FROM pgkeel.node"
                             " WHERE name = 'b'") == "t"

    wait_until(b_streaming, timeout=30, what="b reported streaming")
    receiver = int(b_sql(c, "SELECT pid FROM pg_stat_wal_receiver"))
    just_reported(c)
    os.kill(receiver, signal.SIGTERM)
    t0 = time.monotonic()
    wait_until(lambda: not b_streaming(), timeout=15, interval=0.02,
               what="b's report that its WAL receiver stopped")
    assert time.monotonic() - t0 < 2

    wait_until(b_streaming, timeout=30, what="b streaming again")
    postmaster = c.postmaster_pid("b")
    just_reported(c)
    os.kill(postmaster, signal.SIGKILL)  # its children left behind
    t0 = time.monotonic()

    def restarted():
        try:
            return (c.postmaster_pid("b") != postmaster and
                    b_sql(c, "SELECT 1") == "1")
        except (OSError, ValueError, AssertionError):
            return False

    wait_until(restarted, timeout=15, interval=0.02,
               what="b's Postgres restarted in place")
    assert time.monotonic() - t0 < 2.5
    c.wait_states({"a": "primary", "b": "secondary"})
