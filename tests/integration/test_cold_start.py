"""A whole formation stopped cleanly and started again (host maintenance,
a power cut, `scripts/demo stop` then `start`): the last primary comes
back as the primary, with no promotion, whichever node starts first."""

from cluster import Writer, two_node_formation
from harness import wait_until


def promotions(c):
    return sum(1 for e in c.events() if e["new_state"] == "prepare_promotion")


def test_a_formation_stopped_and_started_keeps_its_last_primary(h):
    c = two_node_formation(h)
    c.h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir)
    c.wait_states({"a": "secondary", "b": "primary"})
    w = Writer(c).start()
    w.wait_more(20)
    w.stop()
    promoted = promotions(c)

    for name in ("a", "b"):
        c.h.stop(c.nodes[name]["proc"])
    c.stop_monitor()
    # everything starts again, the old standby first
    c.start_monitor()
    for name in ("a", "b"):
        c.start_keeper(name)

    def settled():
        # the servers themselves, not the store's rows left from before
        b_primary = c.sql("SELECT NOT pg_is_in_recovery()", "b")[0][0]
        a_streams = c.h.psql(c.sock, c.nodes["a"]["port"],
                             "SELECT status FROM pg_stat_wal_receiver")
        return b_primary and a_streams == "streaming" and \
            c.brief_state() == {"a": ("secondary", "secondary"),
                                "b": ("primary", "primary")}
    wait_until(settled, timeout=60, what="both nodes back, b the primary",
               show=c.brief_state)
    # a client writes for a few seconds, longer than node_down_timeout:
    # time enough for a needless failover to show
    w2 = Writer(c, table="after").start()
    w2.wait_more(300, timeout=120)
    w2.stop()
    assert promotions(c) == promoted
    assert c.primary() == "b"
    assert w.missing_on("b") == []
    assert w2.missing_on("b") == []
