"""pgkeel explain on a live formation: why it is healthy, and why the
monitor does not fail over when only the primary's keeper is gone (its
Postgres still runs and the standby still streams from it)."""

import json
import os
import signal

from cluster import two_node_formation
from harness import wait_until


def explain(c, *flags):
    return c.mon_pgkeel("explain", "--pgdata", c.monitor_dir, *flags).stdout


def explain_json(c):
    j = json.loads(explain(c, "--json"))
    j["by_name"] = {n["name"]: n for n in j["nodes"]}
    return j


def test_explain_healthy_then_keeper_lost(h):
    c = two_node_formation(h)
    j = wait_until(lambda: (lambda j: j if j["health"] == "healthy"
                            else None)(explain_json(c)),
                   what="explain to see a healthy formation")
    assert j["formation"] == "default"
    assert j["primary"] == "a" and not j["primary_down"]
    assert j["candidate"] == "b"
    assert j["next_decisions"] == []
    a, b = j["by_name"]["a"], j["by_name"]["b"]
    assert a["down_signals"]["streaming_standby"] == "b"
    assert not a["down_signals"]["keeper_lost"]
    assert b["failover_candidate"] and b["chosen_candidate"]
    assert b["flaws"] == [] and b["sync_member"]
    assert any("the monitor decides nothing" in s for s in j["sentences"])
    assert j["approximations"]

    text = explain(c)
    assert "Formation default" in text
    assert "a is the primary" in text
    assert "Node b (id" in text
    assert "Failover candidate: a failover now would promote it." in text
    assert "Built from the store, not from the monitor's memory" in text

    # the keeper of a alone: its Postgres keeps running, b streams on
    keeper = c.nodes["a"]["proc"]
    os.kill(keeper.pid, signal.SIGKILL)
    keeper.popen.wait(10)

    def keeper_lost():
        j = explain_json(c)
        return j if j["by_name"]["a"]["down_signals"]["keeper_lost"] \
            else None
    j = wait_until(keeper_lost, what="explain to see a's keeper silent")
    a = j["by_name"]["a"]
    assert not j["primary_down"]
    assert a["down_signals"]["streaming_standby"] == "b"
    assert not a["down_signals"]["down"]
    assert a["report_age_ms"] > 0
    assert any("b still streams WAL from the primary, so it is not down"
               in s for s in j["sentences"])
    assert all(d["to"] != "prepare_promotion" for d in j["next_decisions"])

    text = explain(c)
    assert "No failover: b still streams WAL from the primary" in text
    assert "Its keeper is silent" in text
    assert "no standby holding it (no: b streams from it)" in text
    # and the monitor, deciding on its own memory, agrees
    st = c.state()
    assert st["a"]["assigned_state"] == "primary"
    assert st["b"]["assigned_state"] == "secondary"
