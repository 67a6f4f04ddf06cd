"""The seed walkthrough's own failure: the primary's Postgres is stopped
and its disk is full, so it cannot restart. The keeper gives up and
reports it; the monitor promotes the standby; once space is freed the old
node comes back as a standby by itself."""

import os
import subprocess

import pytest

from cluster import Cluster, Writer


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to mount tmpfs")
def test_full_disk_on_the_primary_fails_over_and_recovers(h):
    mnt = h.path("node_a")
    os.makedirs(mnt)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160m", "tmpfs",
                    mnt], check=True)
    try:
        h.mkdir("node_a")  # the test user owns the small disk
        c = Cluster(h)
        c.add_node("a", pgdata=os.path.join(mnt, "data"),
                   wait_state="single")
        c.add_node("b")
        c.wait_states({"a": "primary", "b": "secondary"})
        c.create_app_user()
        w = Writer(c).start()
        h.start("pg_ctl-stop", [
            "/usr/lib/postgresql/15/bin/pg_ctl", "stop", "-D",
            c.nodes["a"]["pgdata"], "-m", "fast"]).popen.wait(60)
        filler = os.path.join(mnt, "bigfile")
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M"],
                       capture_output=True)
        c.wait_state("b", "wait_primary", timeout=90)
        assert c.state()["a"]["assigned_state"] in ("demoted", "catchingup")
        w.wait_more(20)
        os.remove(filler)
        c.wait_states({"a": "secondary", "b": "primary"}, timeout=150)
        w.wait_more(10)
        w.stop()
        assert w.missing_on("b") == []
        assert w.missing_on("a") == []
    finally:
        h.cleanup()
        subprocess.run(["umount", "-l", mnt])
