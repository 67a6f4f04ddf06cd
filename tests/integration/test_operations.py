"""Operator commands on a running formation with a client writing:
switchover, promotion of a named node, forced failover, and refusals."""

import json
import os
import signal

from cluster import Cluster, Writer, two_node_formation
from harness import wait_until


def test_switchover_and_back_lose_nothing(h):
    c = two_node_formation(h)
    w = Writer(c).start()
    out = h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir).stdout
    assert "switchover requested: a -> b" in out and "done in" in out
    c.wait_states({"a": "secondary", "b": "primary"})
    w.wait_more(20)
    # from b's machine, with the operator's URI
    out = h.pgkeel("perform", "promotion", "--name", "a", "--pgdata",
                   c.nodes["b"]["pgdata"], "--monitor", c.uri).stdout
    assert "done in" in out
    c.wait_states({"a": "primary", "b": "secondary"})
    w.wait_more(20)
    w.stop()
    assert w.missing_on("a") == []
    assert w.max_gap() < 10
    drained = [e for e in c.events() if e["new_state"] == "draining"]
    assert [e["node_name"] for e in drained] == ["a", "b"]


def test_forced_failover(h):
    c = two_node_formation(h)
    w = Writer(c).start()
    h.pgkeel("perform", "failover", "--pgdata", c.monitor_dir)
    c.wait_states({"a": "secondary", "b": "primary"})
    w.wait_more(10)
    w.stop()
    assert w.missing_on("b") == []
    assert "forced failover" in " ".join(e["description"]
                                         for e in c.events())


def lsn(text):
    hi, lo = text.split("/")
    return (int(hi, 16) << 32) | int(lo, 16)


def test_forced_failover_refused_when_acknowledged_writes_would_be_lost(h):
    """With commits not waiting for a standby and the standby behind, a
    forced failover is refused and says by how much; the synchronous case
    above is accepted under a writer (every acknowledged commit is on b)."""
    c = two_node_formation(h)
    c.config("set", "formation.number_sync_standbys", "0")
    c.wait_states({"a": "wait_primary", "b": "secondary"})
    bport = c.nodes["b"]["port"]
    receiver = int(h.psql(c.sock, bport,
                          "SELECT pid FROM pg_stat_wal_receiver"))
    os.kill(receiver, signal.SIGSTOP)  # b's stream stalls, b stays up
    try:
        c.sql("CREATE TABLE acked AS SELECT generate_series(1, 10000) g")

        def behind():
            st = c.state()
            return lsn(st["a"]["lsn"]) > lsn(st["b"]["lsn"])
        wait_until(behind, timeout=30, what="a's report ahead of b's")
        cp = h.pgkeel("perform", "failover", "--pgdata", c.monitor_dir,
                      check=False)
        assert cp.returncode == 8, cp.stderr
        assert "bytes behind" in cp.stderr and "--force" in cp.stderr
        assert c.state()["a"]["assigned_state"] == "wait_primary"
    finally:
        os.kill(receiver, signal.SIGCONT)
    c.wait_states({"a": "wait_primary", "b": "secondary"})
    wait_until(lambda: h.psql(c.sock, bport, "SELECT to_regclass('acked')"
                              " IS NOT NULL") == "t",
               timeout=30, what="b to receive the rows after the stall")
    assert h.psql(c.sock, bport, "SELECT count(*) FROM acked") == "10000"
    assert not [e for e in c.events() if "forced" in e["description"]]


def test_refusals_change_nothing(h):
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    cp = h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir,
                  check=False)
    assert cp.returncode == 8
    assert "no standby is eligible" in cp.stderr
    c.add_node("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    cp = h.pgkeel("perform", "promotion", "--name", "zz", "--pgdata",
                  c.monitor_dir, check=False)
    assert cp.returncode == 2 and 'no node named "zz"' in cp.stderr
    cp = h.pgkeel("perform", "promotion", "--name", "a", "--pgdata",
                  c.monitor_dir, check=False)
    assert cp.returncode == 8 and "already the primary" in cp.stderr
    assert c.state()["a"]["assigned_state"] == "primary"
    assert not [e for e in c.events() if "requested" in e["description"]]


def test_runtime_settings(h):
    c = two_node_formation(h)
    show = h.pgkeel_json("show", "settings", "--pgdata", c.monitor_dir)
    assert show["number_sync_standbys"] == 1 and not show["strict_sync"]
    assert [n["candidate_priority"] for n in show["nodes"]] == [50, 50]
    # refusals, with the reason, and nothing changed
    for args, code, msg in (
            (["formation.number_sync_standbys", "17"], 8, "between 0 and 16"),
            (["node.candidate_priority", "101", "--name", "b"], 8,
             "between 0 and 100"),
            (["node.candidate_priority", "5", "--name", "zz"], 8,
             "no node zz"),
            (["node.candidate_priority", "5"], 2, "--name NAME"),
            (["formation.strict_sync", "maybe"], 8, "invalid value"),
            (["formation.nope", "1"], 2, 'unknown setting "formation.nope"'),
            (["postgresql.", "8MB"], 2, 'unknown setting "postgresql."')):
        cp = h.pgkeel("config", "set", *args, "--pgdata", c.monitor_dir,
                      check=False)
        assert cp.returncode == code, (args, cp.stderr)
        assert msg in cp.stderr
    assert h.pgkeel_json("show", "settings", "--pgdata",
                         c.monitor_dir) == show
    # priority 0: b can no longer be chosen for a switchover
    h.pgkeel("config", "set", "node.candidate_priority", "0", "--name", "b",
             "--pgdata", c.monitor_dir)
    assert h.pgkeel("config", "get", "node.candidate_priority", "--pgdata",
                    c.nodes["b"]["pgdata"]).stdout.strip() == "0"
    cp = h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir,
                  check=False)
    assert cp.returncode == 8
    h.pgkeel("config", "unset", "node.candidate_priority", "--name", "b",
             "--pgdata", c.monitor_dir)
    # no synchronous standby wanted: commits stop waiting, at once
    h.pgkeel("config", "set", "formation.number_sync_standbys", "0",
             "--pgdata", c.monitor_dir)
    c.wait_states({"a": "wait_primary"})
    h.pgkeel("config", "unset", "formation.number_sync_standbys",
             "--pgdata", c.monitor_dir)
    c.wait_states({"a": "primary", "b": "secondary"})
    assert "number_sync_standbys changed from 1 to 0" in " ".join(
        e["description"] for e in c.events())


def test_paused_formation_leaves_postgres_alone(h):
    import os
    import signal
    import time
    c = two_node_formation(h)
    h.pgkeel("config", "set", "formation.paused", "true", "--pgdata",
             c.monitor_dir)
    text = h.pgkeel("show", "state", "--pgdata", c.monitor_dir).stdout
    assert "paused" in text
    keeper = c.nodes["a"]["proc"]
    wait_until(lambda: "formation paused" in keeper.log(),
               what="a's keeper to see the pause")
    pid = c.postmaster_pid("a")
    os.kill(pid, signal.SIGKILL)
    time.sleep(5)  # longer than node_down_timeout
    state = c.state()
    assert state["a"]["assigned_state"] == "primary"
    assert not state["a"]["pg_running"]  # not restarted
    h.pgkeel("config", "set", "formation.paused", "false", "--pgdata",
             c.monitor_dir)
    c.wait_states({"a": "primary", "b": "secondary"})


def test_a_request_that_cannot_be_carried_out_expires(h):
    c = two_node_formation(h)
    h.pgkeel("config", "set", "formation.paused", "true", "--pgdata",
             c.monitor_dir)
    cp = h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir,
                  check=False)
    assert cp.returncode == 1, cp.stderr
    assert "dropped the request" in cp.stderr
    assert any(e["description"].startswith("request expired")
               for e in c.events())
    assert c.state()["a"]["assigned_state"] == "primary"
    # the next request is not blocked
    h.pgkeel("config", "set", "formation.paused", "false", "--pgdata",
             c.monitor_dir)
    out = h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir).stdout
    assert "done in" in out
    c.wait_states({"a": "secondary", "b": "primary"})


def test_maintenance_of_a_standby_and_of_the_primary(h):
    c = two_node_formation(h)
    w = Writer(c).start()
    h.pgkeel("enable", "maintenance", "--pgdata", c.nodes["b"]["pgdata"])
    c.wait_states({"a": "wait_primary", "b": "maintenance"})
    w.wait_more(10)  # commits no longer wait for b
    # pgkeel leaves b's Postgres alone: the operator may stop it
    h.start("stop-b", ["/usr/lib/postgresql/15/bin/pg_ctl", "stop", "-D",
                       c.nodes["b"]["pgdata"]]).popen.wait(30)
    h.pgkeel("disable", "maintenance", "--name", "b", "--pgdata",
             c.monitor_dir)
    c.wait_states({"a": "primary", "b": "secondary"})
    # the primary hands over first, then goes into maintenance
    h.pgkeel("enable", "maintenance", "--name", "a", "--pgdata",
             c.monitor_dir)
    c.wait_states({"a": "maintenance", "b": "wait_primary"})
    h.pgkeel("disable", "maintenance", "--name", "a", "--pgdata",
             c.monitor_dir)
    c.wait_states({"a": "secondary", "b": "primary"})
    w.wait_more(10)
    w.stop()
    assert w.missing_on("b") == []
    cp = h.pgkeel("enable", "maintenance", "--name", "zz", "--pgdata",
                  c.monitor_dir, check=False)
    assert cp.returncode == 2 and 'no node named "zz"' in cp.stderr


def test_a_keeper_claims_no_state_it_cannot_record(h):
    c = two_node_formation(h)
    home = os.path.join(h.home, c.nodes["b"]["pgdata"].lstrip("/"))
    state_file = os.path.join(home, "keeper.state")
    keeper = c.nodes["b"]["proc"]

    def recorded():
        with open(state_file) as f:
            return json.load(f)["current_state"]
    # keeper.state is replaced by renaming a new file in its directory:
    # a read-only directory is what makes the write fail (the keeper
    # runs unprivileged)
    os.chmod(home, 0o500)
    try:
        # the command waits until b is in maintenance
        cmd = h.start("maintenance", ["pgkeel", "enable", "maintenance",
                                      "--name", "b", "--pgdata",
                                      c.monitor_dir])
        wait_until(lambda: keeper.log().count(
            "cannot record state maintenance") >= 2,
            what="b's keeper to fail to record maintenance twice")
        assert f'cannot create "{state_file}.tmp": Permission denied' \
            in keeper.log()
        row = c.state()["b"]
        assert (row["current_state"], row["assigned_state"]) == \
            ("secondary", "maintenance")
        assert recorded() == "secondary"
        # carried out once, then only the record is tried again
        assert keeper.log().count("secondary -> maintenance") == 1
    finally:
        os.chmod(home, 0o700)
    assert cmd.popen.wait(60) == 0
    c.wait_state("b", "maintenance")
    assert recorded() == "maintenance"


def test_drop_nodes(h):
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    c.add_node("b")
    c.add_node("c")
    c.wait_states({"a": "primary", "b": "secondary", "c": "secondary"})
    c.create_app_user()
    w = Writer(c).start()
    # a standby: its keeper stops Postgres and exits, its slot goes
    out = h.pgkeel("drop", "node", "--name", "c", "--pgdata",
                   c.monitor_dir).stdout
    assert "c dropped" in out
    assert "c" not in c.state()
    wait_until(lambda: not c.nodes["c"]["proc"].alive(),
               what="c's keeper to exit")
    assert os.path.exists(os.path.join(c.nodes["c"]["pgdata"], "PG_VERSION"))
    slots = "SELECT slot_name FROM pg_replication_slots ORDER BY 1"
    wait_until(lambda: h.psql(c.sock, c.nodes["a"]["port"], slots)
               == "pgkeel_b", what="a to drop c's slot")
    # the primary: it switches over first
    h.pgkeel("drop", "node", "--name", "a", "--pgdata", c.monitor_dir)
    c.wait_states({"b": "single"})
    w.wait_more(10)
    w.stop()
    assert w.missing_on("b") == []
    # --destroy deletes a data directory pgkeel created, once stopped
    b = c.nodes["b"]["pgdata"]
    out = h.pgkeel("drop", "node", "--destroy", "--pgdata", b).stdout
    assert "b dropped" in out and f"deleted {b}" in out
    assert not os.path.exists(b)
    assert not c.nodes["b"]["proc"].alive()
    assert c.state() == {}


def test_destroy_refuses_an_adopted_data_directory(h):
    c = Cluster(h)
    pgdata = h.path("mine")
    initdb = "/usr/lib/postgresql/15/bin/initdb"
    assert h.start("initdb", [initdb, "-D", pgdata, "-A", "trust"]
                   ).popen.wait() == 0
    c.add_node("mine", pgdata=pgdata, wait_state="single")
    cp = h.pgkeel("drop", "node", "--destroy", "--pgdata", pgdata,
                  check=False)
    assert cp.returncode == 8 and "did not create" in cp.stderr
    assert c.state()["mine"]["current_state"] == "single"
    assert os.path.exists(os.path.join(pgdata, "PG_VERSION"))


def watch_pids(h):
    """The `pgkeel watch` processes of this test's binary."""
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv[0] == h.binary.encode() and b"watch" in argv:
            pids.append(int(pid))
    return pids


def test_watch_plain_and_on_a_terminal(h):
    import shutil
    import subprocess
    c = two_node_formation(h)
    w = h.start("watch", ["pgkeel", "watch", "--pgdata", c.monitor_dir])
    wait_until(lambda: w.log().count("pgkeel watch  formation default") >= 2,
               what="two refreshes of the plain view")
    text = w.log()
    assert "Latest events" in text and "secondary" in text
    h.stop(w)
    if not shutil.which("tmux"):
        return
    session = f"pgkeel-watch-{os.getpid()}"
    sock = h.path("tmux.sock")
    tmux = ["tmux", "-S", sock]
    root_tmux = ["tmux", "-S", h.path("tmux-root.sock")]
    as_user = h._user_kwargs()  # the store admits the test user
    subprocess.run(tmux + ["new-session", "-d", "-s", session, "-x", "120",
                           "-y", "30", h.binary, "watch", "--pgdata",
                           c.monitor_dir], check=True,
                   env=h.env({"TERM": "xterm"}), **as_user)
    try:
        def screen():
            return subprocess.run(tmux + ["capture-pane", "-p", "-t",
                                          session], capture_output=True,
                                  text=True, **as_user).stdout
        wait_until(lambda: "q: quit" in screen() and "primary" in screen(),
                   what="the curses view")
        subprocess.run(tmux + ["send-keys", "-t", session, "q"], check=True,
                       **as_user)
        wait_until(lambda: subprocess.run(
            tmux + ["has-session", "-t", session], capture_output=True,
            **as_user).returncode != 0, what="watch to quit on q")
        # a terminal that goes away (its session killed, watch started
        # through runuser as an operator would): watch ends, no spinning
        if os.geteuid() == 0 and h.user:
            subprocess.run(root_tmux + [
                "new-session", "-d", "-s", session, "-x", "120", "-y", "30",
                "/usr/sbin/runuser", "-u", h.user.pw_name, "--", h.binary,
                "watch", "--pgdata", c.monitor_dir], check=True,
                env=h.env({"TERM": "xterm"}))
            wait_until(lambda: watch_pids(h), what="watch to run")
            subprocess.run(root_tmux + ["kill-session", "-t", session],
                           check=True)
            wait_until(lambda: not watch_pids(h), timeout=10,
                       what="watch to end with its terminal")
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True,
                       **as_user)
        subprocess.run(root_tmux + ["kill-server"], capture_output=True)
        for pid in watch_pids(h):  # a watch that outlived its terminal
            os.kill(pid, signal.SIGKILL)
