"""Fault scenarios 14 and 15: the etcd control plane (docs/etcd.md) cut
apart by the network. Three etcd members, two monitors and the data
nodes each in a namespace of their own; a client writes through the
multi-host URI. 14: the active monitor loses every etcd member; 15: the
data nodes lose the etcd majority while they still reach each other.
(Scenario 7 with the etcd store, the isolated primary that fences
itself, is in test_network.py.)"""

import re

import pytest

from etcd import etcd_available
from faultformation import FaultFormation
from harness import wait_until

pytestmark = pytest.mark.skipif(not etcd_available(),
                                reason="etcd-server is not installed")

NODE_DOWN_S = 3  # node_down_timeout's default
DECISION = re.compile(r": \w+ -> \w+: ")  # the monitor's log of a decision


@pytest.mark.parametrize("crash", ["during", "after"])
def test_14_active_monitor_partitioned_from_etcd(h, crash):
    """The active monitor's namespace is cut from every member (it
    still reaches the data nodes): the monitor standing by takes the
    lease under a higher term; the cut-off one writes no decision again,
    and stands by once healed. The primary's crash, during the partition
    or after it, is failed over by the new monitor, nothing lost."""
    f = FaultFormation(h, store="etcd")
    f.start_client()
    old = f.etcd.monitors["monitor"]
    assert f.etcd.active()[0] == "monitor"
    term = f.etcd.active()[1]
    cut_at = len(old.log())
    f.mon.cut_from(*f.etcd.members.values())
    wait_until(lambda: f.etcd.active()[0] == "monitor2", timeout=15,
               what="monitor2 to take the lease")
    new_term = f.etcd.active()[1]
    assert new_term > term
    if crash == "during":
        f.crash_node("n1")
        f.wait_failover_from("n1")
        f.wait_writes(10)
    f.mon.heal()
    wait_until(lambda: "standing by" in old.log()[cut_at:],
               what="the healed monitor to stand by")
    if crash == "after":
        f.crash_node("n1")
        f.wait_failover_from("n1")
        f.wait_writes(10)
    f.start_keeper("n1")
    f.check(f"active monitor cut from etcd, primary crash {crash}")
    since = old.log()[cut_at:]
    assert "monitor active" not in since, since
    assert not DECISION.search(since), since
    # the store's term is the one the new monitor took: the old one
    # never held the lease again
    assert f.etcd.active() == ("monitor2", new_term)
    assert len(f.promotions()) == 1


def cut_from_majority(f, reach):
    """Cuts every data node from the etcd members but one ("minority":
    that one, e0, itself cut from the other two) or from all ("none")."""
    e0, e1, e2 = f.etcd.members.values()
    lost = (e1, e2) if reach == "minority" else (e0, e1, e2)
    if reach == "minority":
        e0.cut_from(e1, e2)
    for node in f.nodes.values():
        node["host"].cut_from(*lost)
    if reach == "minority":
        # when e0 led, the other two elect a leader first (an election
        # timeout, 1 s, and a vote): until then no call is answered
        wait_until(lambda: f.operator("show", "state", "--json"),
                   timeout=15, what="e1 and e2 to answer without e0")
    return [e0] if reach == "minority" else []


@pytest.mark.parametrize("reach", ["minority", "none"])
def test_15_data_nodes_cut_from_the_etcd_majority(h, reach):
    """The keepers reach no etcd majority (only a member cut off from
    the other two, or none) but still reach each other and the monitors
    reach the majority. No decision is made: the monitor still reaches
    every Postgres. The primary, whose standbys still stream from it,
    keeps taking writes and does not fence itself. Healed, the keepers
    report again and everything converges with no failover."""
    f = FaultFormation(h, store="etcd")
    f.start_client()
    events = len(f.events())
    logs = {n: len(node["proc"].log()) for n, node in f.nodes.items()}
    healed = cut_from_majority(f, reach)
    f.no_failover_for(NODE_DOWN_S * 3, "n1")  # and past fence_timeout
    f.wait_writes(50)  # failsafe: the standbys stream, the primary serves
    assert len(f.events()) == events, f.events()[events:]
    for node in f.nodes.values():
        node["host"].heal()
    for host in healed:
        host.heal()
    for name, node in f.nodes.items():  # each keeper was cut off past
        wait_until(lambda: "state store reached" in  # its fence_timeout
                   node["proc"].log()[logs[name]:],
                   what=f"{name}'s keeper to reach the store again")
    f.check(f"data nodes cut from the etcd majority (reaching {reach})")
    assert f.primary() == "n1" and f.promotions() == []
    assert "fencing" not in f.nodes["n1"]["proc"].log()
