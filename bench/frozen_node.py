"""A frozen primary node: how long until a standby takes writes.

A silent loss gives the monitor no refusal to act on: the node's keeper
and every one of its Postgres processes are stopped (SIGSTOP), as a host
that hangs, so the health checks time out and the standby's stream goes
quiet until wal_receiver_timeout. The monitor then waits out
node_down_timeout (docs/guarantees.md, "When the primary is declared
down"). Measured from the freeze to the moment the standby answers
pg_is_in_recovery() = false on a session opened before; a client
writing through the multi-host URI runs meanwhile, and every commit it
had acknowledged is looked up on the new primary. The client's own write
gap is longer than the promotion: its session on the frozen node hangs
until the node runs again (then its keeper fences it and the client
moves on to the new primary), so the node is resumed once the standby
took over.
Median of RUNS runs, written to docs/benchmarks.md (part of make bench).

    /usr/bin/python3 bench/frozen_node.py [RUNS]
"""

import datetime
import os
import signal
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

from cluster import Writer, two_node_formation  # noqa: E402
from faultformation import descendants, signal_all  # noqa: E402
from harness import Harness, wait_until  # noqa: E402
from report import write_section  # noqa: E402

TARGET_S = 4.0


def node_pids(c, name):
    pids = descendants(c.nodes[name]["proc"].pid)
    pids += [p for p in descendants(c.postmaster_pid(name)) if p not in pids]
    return pids


def run_once():
    h = Harness("bench-frozen")
    frozen = []
    try:
        c = two_node_formation(h)
        w = Writer(c).start()
        time.sleep(1.0)
        standby = c.connect("b")
        cur = standby.cursor()
        frozen = node_pids(c, "a")
        fault_at = time.monotonic()
        signal_all(frozen, signal.SIGSTOP)

        def promoted():
            cur.execute("SELECT pg_is_in_recovery()")
            return not cur.fetchone()[0]
        wait_until(promoted, timeout=60, interval=0.01,
                   what="b to take writes")
        took = time.monotonic() - fault_at
        standby.close()
        # the client's session on the frozen node answers only once it
        # runs again: its keeper then fences it and the client moves on
        signal_all(frozen, signal.SIGCONT)
        w.wait_more(10, timeout=60)
        w.stop()
        return took, len(w.missing_on("b"))
    finally:
        signal_all(frozen, signal.SIGCONT)
        h.cleanup()
        h.remove()


def main(runs=5):
    took, lost = [], 0
    for i in range(runs):
        t, missing = run_once()
        took.append(t)
        lost += missing
        print(f"frozen primary node: run {i + 1}/{runs}: b takes writes "
              f"after {t:.2f} s, {missing} acknowledged rows missing",
              flush=True)
    med = statistics.median(took)
    print(f"frozen primary node: median {med:.2f} s (target {TARGET_S:g} s)")
    now = datetime.datetime.now().strftime("%Y-%m-%d")
    write_section("## Frozen primary node", "\n".join([
        "Method: bench/frozen_node.py. A formation as above (a monitor, a "
        "primary and its synchronous standby, default settings); a client "
        "writes through the multi-host URI; after 1 s the primary's keeper "
        "and every one of its Postgres processes are stopped with SIGSTOP, "
        "as a host that hangs: no refusal, only timeouts, so the monitor "
        "waits out node_down_timeout (3 s). Measured from the freeze to the "
        "moment the standby, on a session opened before, is out of "
        "recovery. The client's own write gap is longer: its session on the "
        "frozen node hangs until the node runs again, so the node is "
        "resumed once the standby took over (its keeper then fences it); "
        "every row the client had acknowledged is then looked up on the "
        f"new primary. {runs} runs, a fresh formation each; measured "
        f"{now}.",
        "",
        "| measure | median | min | max | target | acknowledged rows lost |",
        "|---|---|---|---|---|---|",
        f"| freeze to a writable standby | {med:.2f} s | {min(took):.2f} s "
        f"| {max(took):.2f} s | {TARGET_S:g} s | {lost} |",
    ]))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
