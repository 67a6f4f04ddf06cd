"""The cost of safety: pgbench throughput and latency on the primary with
synchronous replication on (the default: commits wait for the standby)
and off (formation.number_sync_standbys 0), and the write stall when the
synchronous standby's whole node dies: how long commits wait before the
primary stops waiting for it, and that with formation.strict_sync they
never stop waiting. Writes its section of docs/benchmarks.md.

    /usr/bin/python3 bench/sync_cost.py [RUNS]     (part of make bench)
"""

import datetime
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

from bare_pair import PG_BIN  # noqa: E402
from cluster import Writer, two_node_formation  # noqa: E402
from harness import Harness, wait_until  # noqa: E402
from report import write_section  # noqa: E402

PGBENCH = f"{PG_BIN}/pgbench"
SECONDS = 10
CLIENTS = 4


def pgbench(c, *args):
    cp = subprocess.run(
        [PGBENCH, "-h", c.sock, "-p", str(c.nodes["a"]["port"]), *args,
         "postgres"], capture_output=True, text=True, timeout=300,
        env=c.h.env(), **c.h._user_kwargs())
    if cp.returncode != 0:
        raise AssertionError(f"pgbench failed: {cp.stderr}")
    return cp.stdout


def sync_names(c):
    return c.show("a", "synchronous_standby_names")


def throughput(c):
    out = pgbench(c, "-c", str(CLIENTS), "-j", "2", "-T", str(SECONDS))
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    lat = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return tps, lat


def pgbench_runs(runs):
    h = Harness("bench-sync")
    try:
        c = two_node_formation(h)
        pgbench(c, "-i", "-s", "10", "-q")
        on = [throughput(c) for _ in range(runs)]
        c.config("set", "formation.number_sync_standbys", "0")
        wait_until(lambda: sync_names(c) == "", timeout=30,
                   what="asynchronous commits")
        off = [throughput(c) for _ in range(runs)]
        return on, off
    finally:
        h.cleanup()
        h.remove()


def stall_once(strict):
    """The longest gap between acknowledged commits after the standby's
    whole node is killed (strict: whether any commit is acknowledged
    within 15 s)."""
    h = Harness("bench-stall")
    try:
        c = two_node_formation(h)
        if strict:
            c.config("set", "formation.strict_sync", "true")
        w = Writer(c).start()
        time.sleep(1.0)
        fault_at = time.monotonic()
        c.kill_node("b")
        if strict:
            time.sleep(15)
            w.stop()
            return sum(t > fault_at for t in w.ack_times)
        wait_until(lambda: sum(t > fault_at for t in w.ack_times) >= 20,
                   timeout=60, what="commits after the standby died",
                   interval=0.02)
        w.stop()
        times = [t for t in w.ack_times if t >= fault_at - 1.0]
        return max(b - a for a, b in zip(times, times[1:]))
    finally:
        h.cleanup()
        h.remove()


def main(runs=3):
    on, off = pgbench_runs(runs)
    stalls = [stall_once(False) for _ in range(runs)]
    strict_acks = stall_once(True)
    med = statistics.median
    rows = [("synchronous (default)", med(t for t, _ in on),
             med(lat for _, lat in on)),
            ("asynchronous", med(t for t, _ in off),
             med(lat for _, lat in off))]
    for name, tps, lat in rows:
        print(f"{name}: {tps:.0f} tps, {lat:.2f} ms")
    print(f"stall when the synchronous standby dies: {stalls}; strict: "
          f"{strict_acks} commits acknowledged in 15 s")
    now = datetime.date.today()
    write_section("## The cost of synchronous replication", "\n".join([
        f"Method: a fresh formation (a monitor and two data nodes on "
        f"loopback, default settings); `pgbench -i -s 10`, then `pgbench "
        f"-c {CLIENTS} -j 2 -T {SECONDS}` (TPC-B-like) on the primary's "
        "socket, with synchronous replication on (the default) and then "
        "off (`config set formation.number_sync_standbys 0`); median of "
        f"{runs} runs each. The stall: a client writes through the "
        "formation's URI and the synchronous standby's whole node (keeper "
        "and Postgres) is killed; the stall is the longest time between "
        "two acknowledged commits. With `formation.strict_sync true` the "
        "commits must stay blocked: the count of commits acknowledged in "
        f"the 15 s after the kill. Measured {now}.",
        "",
        "| commits | throughput | average latency |",
        "|---|---|---|",
        *[f"| {n} | {t:.0f} tps | {lat:.2f} ms |" for n, t, lat in rows],
        "",
        "| when the synchronous standby dies | median | min | max | target |",
        "|---|---|---|---|---|",
        f"| write stall (not strict) | {med(stalls):.2f} s | "
        f"{min(stalls):.2f} s | {max(stalls):.2f} s | node_down_timeout "
        "+ 0.5 s = 3.5 s |",
        f"| commits acknowledged within 15 s (strict) | {strict_acks} | | | "
        "0 |",
    ]))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
