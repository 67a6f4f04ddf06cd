"""perform reinit: a standby cloned again from scratch under writes, the
refusals, and the exit codes of the operator commands (docs/commands.md,
Exit codes)."""

import os

from cluster import Writer, two_node_formation
from harness import wait_until


def test_reinit_a_standby_under_writes(h):
    c = two_node_formation(h)
    bdir = c.nodes["b"]["pgdata"]
    with open(os.path.join(bdir, "old-copy-marker"), "w") as f:
        f.write("the data directory before the reinit\n")
    w = Writer(c).start()
    w.wait_more(10)
    out = h.pgkeel("perform", "reinit", "--name", "b", "--pgdata",
                   c.monitor_dir, timeout=300).stdout
    assert "reinit of b requested" in out
    assert "maintenance" in out  # out of service meanwhile
    assert "cloned again" in out and "streaming from 127.0.0.1:" in out
    w.wait_more(20)
    c.wait_states({"a": "primary", "b": "secondary"})
    w.wait_more(10)
    w.stop()
    assert w.missing_on("a") == []
    wait_until(lambda: w.missing_on("b") == [], timeout=30,
               what="every acknowledged row on b")
    # the old directory is kept aside, the new one is a fresh clone
    aside = bdir + ".pgkeel-reinit-1"
    assert os.path.exists(os.path.join(aside, "old-copy-marker"))
    assert not os.path.exists(os.path.join(bdir, "old-copy-marker"))
    # the clone's progress is in b's log, after the request
    log = c.nodes["b"]["proc"].log()
    after = log[log.index("reinit requested (request 1)"):]
    assert "pg_basebackup" in after and "reinit done" in after
    assert "reinit requested" in " ".join(e["description"]
                                          for e in c.events())


def test_reinit_refused_on_the_primary_and_unknown_nodes(h):
    c = two_node_formation(h)
    cp = h.pgkeel("perform", "reinit", "--name", "a", "--pgdata",
                  c.monitor_dir, check=False)
    assert cp.returncode == 8, cp.stderr
    assert "is the primary" in cp.stderr
    cp = h.pgkeel("perform", "reinit", "--name", "zz", "--pgdata",
                  c.monitor_dir, check=False)
    assert cp.returncode == 2 and 'no node named "zz"' in cp.stderr
    cp = h.pgkeel("perform", "reinit", "--pgdata", c.monitor_dir,
                  check=False)
    assert cp.returncode == 2 and "--name" in cp.stderr
    # nothing changed: no request, a still the primary, its data in place
    state = c.state()
    assert state["a"]["assigned_state"] == "primary"
    assert state["b"]["assigned_state"] == "secondary"
    assert not [e for e in c.events() if "reinit" in e["description"]]
    assert not os.path.exists(c.nodes["a"]["pgdata"] + ".pgkeel-reinit-1")
    assert "reinit requested" not in c.nodes["a"]["proc"].log()


def test_exit_codes_refused_not_found_store_unavailable(h):
    c = two_node_formation(h)
    mon = ["--pgdata", c.monitor_dir]
    refused = [("perform", "reinit", "--name", "a"),
               ("perform", "promotion", "--name", "a"),
               ("config", "set", "formation.number_sync_standbys", "17")]
    not_found = [("perform", "reinit", "--name", "zz"),
                 ("perform", "restart", "--name", "zz"),
                 ("perform", "cancel", "999"),
                 ("perform", "restart", "--name", "b", "--at", "+1h",
                  "--rolling"),
                 ("config", "set", "formation.nope", "1")]
    reachable = [("show", "state"), ("show", "scheduled"),
                 ("show", "settings"), ("config", "get", "formation.paused"),
                 ("perform", "reinit", "--name", "b"),
                 ("perform", "switchover", "--at", "+1h"),
                 ("perform", "cancel", "1")]
    for args, code in [(a, 8) for a in refused] + \
            [(a, 2) for a in not_found]:
        cp = h.pgkeel(*args, *mon, check=False)
        assert cp.returncode == code, (args, cp.stdout, cp.stderr)
    assert h.pgkeel_json("show", "scheduled", *mon) == []
    c.stop_monitor()
    for args in reachable:
        cp = h.pgkeel(*args, *mon, check=False)
        assert cp.returncode == 5, (args, cp.stdout, cp.stderr)
