"""Fault scenarios 6-9 (7b: 7 with connections refused) and 13: partitions of the primary, the monitor and
the standbys, and a planned switchover, on a three-node formation spread
over network namespaces, with a client writing through the multi-host
URI."""

import datetime
import time

import pytest

from faultformation import FaultFormation
from harness import wait_until

NODE_DOWN_S = 3  # node_down_timeout's default


def test_6_primary_cut_from_the_monitor_only(h):
    f = FaultFormation(h)
    f.start_client()
    n1 = f.nodes["n1"]["host"]
    n1.cut_from(f.mon)
    f.no_failover_for(NODE_DOWN_S * 3, "n1")
    f.wait_writes(20)  # the standbys still stream: the primary serves
    assert "fencing" not in f.nodes["n1"]["proc"].log()
    n1.heal()
    f.check("primary cut from the monitor")


def wall_ms(line):
    """The wall-clock time of a pgkeel log line (local time, as the log
    writes it), in ms since the epoch."""
    stamp = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f")
    return stamp.timestamp() * 1000


def isolated_primary_fences_first(h, isolate, scenario, store):
    """n1, the primary, is isolated by isolate(host); a standby is
    promoted; docs/guarantees.md, "One writer": n1 fenced itself before
    anyone could be promoted. It rejoins once healed. The same with
    either store: with etcd, n1 loses every member with the rest."""
    f = FaultFormation(h, store=store)
    f.start_client()
    n1 = f.nodes["n1"]["host"]
    isolate(n1)
    wait_until(lambda: "fencing it" in f.nodes["n1"]["proc"].log(),
               what="n1 to fence itself")
    f.wait_failover_from("n1")
    f.wait_writes(10)
    fenced = [ln for ln in f.nodes["n1"]["proc"].log().splitlines()
              if "fencing it" in ln][0]
    promoted = [e for e in f.events() if e["new_state"] ==
                "prepare_promotion"][0]
    margin = promoted["time_ms"] - wall_ms(fenced)
    early = any("port refuses" in e["description"] for e in f.events())
    print(f"\nn1 fenced itself {margin:.0f} ms before the promotion "
          f"({'early decision' if early else 'after node_down_timeout'})")
    assert margin > 0, (fenced, promoted)
    n1.heal()
    f.check(f"{scenario}, {store} store")
    assert f.state()["n1"]["current_state"] == "secondary"


# the postgres store's runs are fast; the etcd store's (docs/etcd.md)
# run with `make faults`
STORES = [pytest.param("postgres", marks=pytest.mark.fast), "etcd"]


@pytest.mark.parametrize("store", STORES)
def test_7_primary_isolated_from_everyone(h, store):
    isolated_primary_fences_first(h, lambda host: host.isolate(),
                                  "primary isolated", store)


@pytest.mark.parametrize("store", STORES)
def test_7b_primary_isolated_behind_a_refusing_firewall(h, store):
    """The monitor's checks of the primary are refused, not timed out,
    and its keeper falls silent: what a crashed node whose host stays up
    looks like, and what the monitor fails over early. The primary is
    alive, though: it must have fenced itself before the promotion."""
    isolated_primary_fences_first(
        h, lambda host: host.isolate_refusing(),
        "primary isolated behind a refusing firewall", store)


def test_8_monitor_isolated(h):
    f = FaultFormation(h)
    f.start_client()
    f.mon.isolate()
    f.no_failover_for(NODE_DOWN_S * 3, "n1")
    f.wait_writes(50)
    f.mon.heal()
    f.check("monitor isolated")


def test_9_standbys_isolated_then_healed(h):
    f = FaultFormation(h)
    f.start_client()
    n2, n3 = f.nodes["n2"]["host"], f.nodes["n3"]["host"]
    n3.isolate()  # n2 stays in the synchronous set: no pause at all
    f.wait_writes(50)
    n2.isolate()  # none left: after the sync timeout, asynchronous
    wait_until(lambda: f.state()["n1"]["assigned_state"] == "wait_primary",
               what="the primary to stop waiting for standbys")
    f.wait_writes(20)
    assert f.primary() == "n1" and f.promotions() == []
    n2.heal()
    n3.heal()
    f.check("standbys isolated")
    assert f.primary() == "n1"


def test_10_slow_lossy_link_causes_no_ghost_failover(h):
    f = FaultFormation(h)
    f.start_client()
    n1 = f.nodes["n1"]["host"]
    relay = f.delay("n1", 100)  # 100 ms each way: 200 ms more per round trip
    n1.lose(0.05)
    start = time.monotonic()
    f.wait_writes(20)  # commits still go through, slowly
    f.no_failover_for(30 - (time.monotonic() - start), "n1")
    during = [t for _, t, _ in f.acks() if t > start]
    gaps = sorted(b - a for a, b in zip(during, during[1:]))
    assert gaps[len(gaps) // 2] >= 0.2, "the link was not slowed down"
    n1.heal()
    h.stop(relay)
    f.check("200 ms delay and 5 % loss on the primary's link")


def test_13_switchover_under_writes(h):
    f = FaultFormation(h)
    f.start_client()
    out = h.pgkeel("perform", "switchover", "--pgdata", f.mon_dir).stdout
    assert "done in" in out
    f.wait_writes(20)
    gap = f.check("planned switchover")
    assert f.primary() != "n1"
    # the 1 s target is a benchmark (docs/benchmarks.md); here, a bound
    # that holds on a loaded machine
    assert gap < 5
