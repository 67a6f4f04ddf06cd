"""The hooks people build on (docs/http-api.md#hooks), on real servers:
hooks.pre_promote allows or vetoes a promotion (a non-zero exit, or a
hook still running at hooks.pre_promote_timeout), and the per-event hooks
(on_role_change, on_failover, on_switchover) each run once, on the right
node."""

import glob
import os

import pytest

from cluster import Cluster
from harness import wait_until

HOOK = """#!/bin/sh
# records every call: one file per node, event and call
d={dir}
env | grep '^PGKEEL_' | sort > "$d/$PGKEEL_NODE_NAME.$PGKEEL_EVENT.$$"
if [ "$PGKEEL_EVENT" = pre_promote ] && [ -f "$d/$PGKEEL_NODE_NAME.sleep" ]
then
    sleep 60 &
    echo $! > "$d/$PGKEEL_NODE_NAME.sleeper"
    wait
fi
if [ "$PGKEEL_EVENT" = pre_promote ] && [ -f "$d/$PGKEEL_NODE_NAME.veto" ]
then
    exit 1
fi
exit 0
"""

EVENTS = ("pre_promote", "on_role_change", "on_failover", "on_switchover")


class Hooks:
    """A hook script for every event, recording its environment per call;
    touch NODE.veto to make NODE's pre_promote hook exit 1, NODE.sleep to
    make it sleep past its timeout."""

    def __init__(self, h):
        self.dir = h.mkdir("hooks")
        self.script = os.path.join(self.dir, "hook.sh")
        with open(self.script, "w") as f:
            f.write(HOOK.format(dir=self.dir))
        os.chmod(self.script, 0o755)
        self.flags = ("--hook-pre-promote", self.script,
                      "--hook-pre-promote-timeout", "2s",
                      "--hook-on-role-change", self.script,
                      "--hook-on-failover", self.script,
                      "--hook-on-switchover", self.script)

    def mark(self, node, what):
        open(os.path.join(self.dir, f"{node}.{what}"), "w").close()

    def calls(self, node, event):
        """The environments of node's calls of event, each a dict."""
        out = []
        for path in sorted(glob.glob(os.path.join(self.dir,
                                                  f"{node}.{event}.*"))):
            with open(path) as f:
                out.append(dict(line.rstrip("\n").split("=", 1)
                                for line in f if "=" in line))
        return out

    def count(self, node, event):
        return len(self.calls(node, event))


def formation(h, hooks, names, **flags):
    """A monitor, a primary `a` and standbys, every node with the hooks;
    flags: extra create flags per node name."""
    c = Cluster(h)
    for name in names:
        c.add_node(name, *hooks.flags, *flags.get(name, ()),
                   wait_state="single" if name == "a" else None)
    c.wait_states({n: "primary" if n == "a" else "secondary"
                   for n in names})
    return c


def explain(h, c):
    return h.pgkeel("explain", "--pgdata", c.monitor_dir).stdout


def in_recovery(h, c, node):
    return h.psql(c.sock, c.nodes[node]["port"], "SELECT pg_is_in_recovery()")


def vetoed_events(c, node):
    return [e for e in c.events() if e["node_name"] == node
            and "pre_promote hook vetoed" in e["description"]]


def test_a_veto_hands_the_failover_to_the_other_standby(h):
    hooks = Hooks(h)
    c = formation(h, hooks, ("a", "b", "c"),
                  b=("--candidate-priority", "90"))
    hooks.mark("b", "veto")
    c.kill_node("a")
    c.wait_states({"c": "primary", "b": "secondary"}, timeout=90)
    # b, the preferred candidate, was asked and said no
    assert hooks.count("b", "pre_promote") >= 1
    assert vetoed_events(c, "b"), c.events()
    assert "promotion vetoed: the pre_promote hook exited with status 1" \
        in c.nodes["b"]["proc"].log()
    # told to promote (goal wait_primary), b's keeper never did
    assert "reached state wait_primary" not in c.nodes["b"]["proc"].log()
    assert in_recovery(h, c, "b") == "t"
    # c's hook allowed it, and saw who, what and whom it replaces
    env = hooks.calls("c", "pre_promote")[-1]
    assert env["PGKEEL_EVENT"] == "pre_promote"
    assert env["PGKEEL_NODE_NAME"] == "c"
    assert env["PGKEEL_PROMOTION"] == "failover"
    assert env["PGKEEL_OLD_PRIMARY"] == "a"
    assert env["PGKEEL_OLD_STATE"] == "prepare_promotion"
    assert env["PGKEEL_NEW_STATE"] == "wait_primary"
    assert env["PGKEEL_PORT"] == str(c.nodes["c"]["port"])
    assert env["PGKEEL_PGDATA"] == c.nodes["c"]["pgdata"]
    # the failover's hooks ran once on c, none of them on b
    wait_until(lambda: hooks.count("c", "on_failover") == 1 and
               hooks.count("c", "on_role_change") == 1,
               what="c's on_failover and on_role_change hooks")
    failover = hooks.calls("c", "on_failover")[0]
    assert failover["PGKEEL_ROLE"] == "primary"
    assert failover["PGKEEL_OLD_PRIMARY"] == "a"
    role = hooks.calls("c", "on_role_change")[0]
    assert (role["PGKEEL_OLD_ROLE"], role["PGKEEL_ROLE"]) == \
        ("standby", "primary")
    for event in ("on_failover", "on_switchover", "on_role_change"):
        assert hooks.count("b", event) == 0, event
    assert hooks.count("c", "on_switchover") == 0
    assert in_recovery(h, c, "c") == "f"


@pytest.mark.parametrize("how", ["veto", "sleep"])
def test_a_veto_of_the_only_standby_leaves_no_primary(h, how):
    hooks = Hooks(h)
    c = formation(h, hooks, ("a", "b"))
    hooks.mark("b", how)
    c.kill_node("a")
    wait_until(lambda: vetoed_events(c, "b"), timeout=90,
               what="the monitor to learn of b's veto")
    c.wait_state("b", "secondary")
    log = c.nodes["b"]["proc"].log()
    if how == "sleep":
        assert "was still running after 2000 ms (killed)" in log, log
        # the hook's own child went with it: its process group was killed
        with open(os.path.join(hooks.dir, "b.sleeper")) as f:
            sleeper = int(f.read())

        def gone():
            try:
                os.kill(sleeper, 0)
                return False
            except ProcessLookupError:
                return True
        wait_until(gone, timeout=10, what="the hook's sleep to be killed")
    else:
        assert "the pre_promote hook exited with status 1" in log, log
    text = explain(h, c)
    assert "No writable primary: the pre_promote hook of b vetoed its " \
        "promotion." in text, text
    assert "its pre_promote hook vetoed its promotion" in text, text
    state = c.state()
    assert state["b"]["promote_vetoed"] is True
    assert not [n for n, r in state.items()
                if r["assigned_state"] in ("single", "wait_primary",
                                           "primary")]
    assert in_recovery(h, c, "b") == "t"
    assert hooks.count("b", "on_failover") == 0
    assert hooks.count("b", "on_role_change") == 0


def test_per_event_hooks_of_a_switchover(h):
    hooks = Hooks(h)
    c = formation(h, hooks, ("a", "b"))
    out = h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir).stdout
    assert "done in" in out
    c.wait_states({"a": "secondary", "b": "primary"})
    wait_until(lambda: hooks.count("b", "on_switchover") == 1 and
               hooks.count("b", "on_role_change") == 1 and
               hooks.count("a", "on_role_change") == 1,
               what="the switchover's hooks")
    env = hooks.calls("b", "pre_promote")[-1]
    assert (env["PGKEEL_PROMOTION"], env["PGKEEL_OLD_PRIMARY"]) == \
        ("switchover", "a")
    switchover = hooks.calls("b", "on_switchover")[0]
    assert switchover["PGKEEL_NODE_NAME"] == "b"
    assert switchover["PGKEEL_PROMOTION"] == "switchover"
    assert (switchover["PGKEEL_OLD_STATE"], switchover["PGKEEL_NEW_STATE"]) \
        == ("prepare_promotion", "wait_primary")
    old = hooks.calls("a", "on_role_change")[0]
    assert (old["PGKEEL_OLD_ROLE"], old["PGKEEL_ROLE"]) == \
        ("primary", "standby")
    assert old["PGKEEL_NEW_STATE"] == "catchingup"
    new = hooks.calls("b", "on_role_change")[0]
    assert (new["PGKEEL_OLD_ROLE"], new["PGKEEL_ROLE"]) == \
        ("standby", "primary")
    assert hooks.count("a", "pre_promote") == 0
    for node in ("a", "b"):
        assert hooks.count(node, "on_failover") == 0
    assert hooks.count("a", "on_switchover") == 0
