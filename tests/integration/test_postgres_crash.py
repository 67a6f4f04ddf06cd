"""A primary's Postgres crashes while its keeper runs: it is restarted in
place, with no failover, whatever the dead postmaster left behind:
backends still running (a postmaster killed alone, as by the OOM killer),
and a postmaster nobody has reaped yet (a zombie: the Postgres was started
by `create postgres`, not by the keeper that supervises it now)."""

import os
import signal
import subprocess

from cluster import Cluster, Writer
from elsewhere import Elsewhere, proc_state
from harness import wait_until


def promotions(c):
    return [e for e in c.events()
            if e["new_state"] in ("prepare_promotion", "demoted")]


def busy_backend(c, name):
    """A session running a long CPU-bound query: a backend that does not
    notice its postmaster's death by itself."""
    return subprocess.Popen(
        ["/usr/bin/psql", "-X", "-h", c.sock, "-p",
         str(c.nodes[name]["port"]), "-d", "postgres", "-c",
         "SELECT count(*) FROM generate_series(1, 100000000000)"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=c.h.env(), **c.h._user_kwargs())


def test_postmaster_killed_alone_restarts_in_place(h):
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    c.add_node("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    c.create_app_user()
    w = Writer(c).start()
    keeper = c.nodes["a"]["proc"]
    for round_ in range(3):
        busy = busy_backend(c, "a")
        wait_until(lambda: c.h.psql(c.sock, c.nodes["a"]["port"],
                                    "SELECT count(*) FROM pg_stat_activity"
                                    " WHERE query LIKE '%generate_series%'"
                                    " AND state = 'active' AND pid <> "
                                    "pg_backend_pid()") == "1",
                   what="the busy backend running")
        first = c.postmaster_pid("a")
        os.kill(first, signal.SIGKILL)  # the postmaster alone
        wait_until(lambda: c.postmaster_pid("a") != first, timeout=30,
                   what=f"a restarted in place (round {round_})")
        c.wait_states({"a": "primary", "b": "secondary"})
        w.wait_more(10)
        busy.wait(10)
    w.stop()
    assert c.primary() == "a"
    assert promotions(c) == []
    assert w.missing_on("a") == []
    log = keeper.log()
    assert log.count("still hold its shared memory") == 3, log
    assert "restart failed" not in log


def test_zombie_postmaster_is_restarted_in_place(h):
    c = Cluster(h)
    a = Elsewhere(c, "a")
    try:
        keeper = c.nodes["a"]["proc"]
        c.add_node("b")
        c.wait_states({"a": "primary", "b": "secondary"})
        c.create_app_user()
        w = Writer(c).start()
        first = c.postmaster_pid("a")
        os.kill(first, signal.SIGKILL)
        # precondition: nobody reaps it, as under a slow init
        wait_until(lambda: proc_state(first) == "Z",
                   what="the killed postmaster a zombie")
        wait_until(lambda: c.postmaster_pid("a") != first, timeout=30,
                   what="a restarted in place")
        c.wait_states({"a": "primary", "b": "secondary"})
        w.wait_more(10)
        w.stop()
        assert proc_state(first) == "Z"
        assert c.primary() == "a"
        assert promotions(c) == []
        assert w.missing_on("a") == []
        assert "a zombie not reaped yet" in keeper.log()
    finally:
        a.close()
