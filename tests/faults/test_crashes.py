"""Fault scenarios 1-5 and 12: crashes and freezes of whole nodes, of the
postmaster and of the keeper, on a three-node formation spread over
network namespaces, with a client writing through the multi-host URI."""

import os
import signal
import subprocess
import time

import pytest

from faultformation import FaultFormation, fill, small_disk
from harness import wait_until

NODE_DOWN_S = 3  # node_down_timeout's default


@pytest.mark.fast
def test_1_whole_node_crash_of_the_primary(h):
    f = FaultFormation(h)
    f.start_client()
    f.crash_node("n1")
    f.wait_failover_from("n1")
    f.wait_writes(10)
    f.start_keeper("n1")  # the machine comes back
    f.check("whole-node crash of the primary")
    assert f.primary() != "n1" and len(f.promotions()) == 1


def test_2_postmaster_crash_restarts_in_place(h):
    f = FaultFormation(h)
    f.start_client()
    pm = f.postmaster_pid("n1")
    os.kill(pm, signal.SIGKILL)
    wait_until(lambda: f.postmaster_pid("n1") != pm,
               what="the keeper to restart Postgres")
    f.wait_writes(10)
    f.no_failover_for(NODE_DOWN_S * 2, "n1")
    f.check("postmaster crash")


def test_3_keeper_crash_leaves_postgres_serving(h):
    f = FaultFormation(h)
    f.start_client()
    pm = f.postmaster_pid("n1")
    f.nodes["n1"]["proc"].popen.send_signal(signal.SIGKILL)
    f.nodes["n1"]["proc"].popen.wait(10)
    f.wait_writes(20)
    f.no_failover_for(NODE_DOWN_S * 2, "n1")
    f.start_keeper("n1")
    wait_until(lambda: "keeper for node" in f.nodes["n1"]["proc"].log(),
               what="the keeper to start again")
    assert f.postmaster_pid("n1") == pm  # the same server all along
    f.check("keeper crash")


def test_4_long_freeze_of_the_primary_fails_over_and_fences(h):
    f = FaultFormation(h)
    f.start_client()
    frozen = f.freeze("n1")
    try:
        f.wait_failover_from("n1", what="a failover while n1 is frozen")
        f.wait_writes(10)
    finally:
        f.thaw(frozen)
    # resumed, the old primary finds itself demoted: it must not take a
    # write that the new primary does not have (check() proves it)
    f.check("primary frozen past the failover timeout")
    assert f.state()["n1"]["current_state"] == "secondary"


def test_5_short_freeze_of_the_primary_is_ridden_out(h):
    f = FaultFormation(h)
    f.start_client()
    frozen = f.freeze("n1")
    time.sleep(NODE_DOWN_S / 2)  # the fault itself: shorter than the timeout
    f.thaw(frozen)
    f.wait_writes(10)
    f.no_failover_for(NODE_DOWN_S * 2, "n1")
    f.check("primary frozen briefly")


def test_12_new_primary_crashes_soon_after_a_failover(h):
    f = FaultFormation(h)
    f.start_client()
    f.crash_node("n1")
    f.wait_failover_from("n1")
    second = f.primary()
    third = ({"n2", "n3"} - {second}).pop()
    f.wait_states({second: "primary", third: "secondary"})
    f.wait_writes(10)
    f.crash_node(second)
    wait_until(lambda: f.primary() == third, what=f"{third} promoted")
    f.wait_writes(10)
    f.start_keeper("n1")
    f.start_keeper(second)
    f.check("two crashes in a row", converge_timeout=120)
    assert len(f.promotions()) == 2


def test_11_full_disk_keeps_postgres_down_and_fails_over(h):
    """The seed walkthrough's scenario: the primary's data directory is on
    a small disk; Postgres is stopped and the disk filled, so that it
    cannot start again. The keeper is held (SIGSTOP) while the disk
    fills, or it would restart Postgres first."""
    pgdata = small_disk(h, "n1disk", 256)
    f = FaultFormation(h, pgdata={"n1": pgdata})
    f.start_client()
    disk = os.path.dirname(pgdata)
    fill(disk, leave_mb=8, name="filler0")  # most of it, while it runs
    keeper = f.nodes["n1"]["proc"]
    keeper.popen.send_signal(signal.SIGSTOP)  # briefly: < node_down
    try:
        cp = subprocess.run(
            ["/usr/lib/postgresql/15/bin/pg_ctl", "stop", "-D", pgdata,
             "-m", "fast"], capture_output=True, text=True,
            user=h.user.pw_uid, group=h.user.pw_gid)
        assert cp.returncode == 0, cp.stderr
        fill(disk)
    finally:
        keeper.popen.send_signal(signal.SIGCONT)
    # the keeper tries to restart it and fails; the monitor does not wait
    # for it to give up: Postgres down and unreachable for
    # node_down_timeout is enough
    f.wait_failover_from("n1")
    assert "restart failed" in keeper.log()
    f.wait_writes(10)
    os.unlink(os.path.join(disk, "filler0"))
    os.unlink(os.path.join(disk, "filler"))
    f.check("full disk on the primary", converge_timeout=120)
    with open(os.path.join(h.path("home"), pgdata.lstrip("/"),
                           "postgres.log")) as log:
        assert "No space left on device" in log.read()
