"""The harness itself: processes run unprivileged, are tracked by PID and
are gone after cleanup; waits time out with a message."""

import os
import signal

import pytest

from harness import Harness, free_port, pid_alive, wait_until


def test_processes_run_unprivileged_and_are_cleaned_up():
    h = Harness("selftest")
    try:
        proc = h.start("sleeper", ["/bin/sleep", "300"])
        assert proc.alive()
        uid = os.stat(f"/proc/{proc.pid}").st_uid
        if os.geteuid() == 0:
            assert uid == h.user.pw_uid != 0
        h.cleanup()
        assert not pid_alive(proc.pid)
    finally:
        h.remove()
    assert not os.path.exists(h.root)


def test_stubborn_process_is_killed():
    h = Harness("stubborn")
    try:
        proc = h.start("stubborn", ["/bin/sh", "-c",
                                    "trap '' TERM; echo ready; sleep 300"])
        wait_until(lambda: "ready" in proc.log(), what="the trap to be set")
        assert h.stop(proc, timeout=0.5) == -signal.SIGKILL
        assert not pid_alive(proc.pid)
    finally:
        h.cleanup()
        h.remove()


def test_wait_until_reports_what_it_waited_for():
    with pytest.raises(AssertionError, match="the impossible"):
        wait_until(lambda: False, timeout=0.3, what="the impossible")


def test_free_ports_are_distinct():
    ports = {free_port() for _ in range(20)}
    assert len(ports) == 20
