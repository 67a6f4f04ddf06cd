"""pgkeel benchmarks: how long clients cannot write after a failure.

For each scenario, a fresh formation (monitor and two data nodes, default
settings) runs on loopback; a client inserts rows continuously through the
formation's multi-host URI (target_session_attrs=read-write), the fault is
injected, and the write gap is the time from the fault to the first
acknowledged commit after it. Every acknowledged row is checked on the
final primary. Each scenario runs RUNS times; the median is reported and
written to docs/benchmarks.md with the method.

    make bench            (or: /usr/bin/python3 bench/run.py [RUNS]
                           [downtime], the first section alone)

Then, each from its own file and writing its own section of
docs/benchmarks.md (bench/report.py): the idle keeper's resources
(keeper_resources.py), Postgres crashes restarted in place (pg_crash.py),
a frozen primary node (frozen_node.py), the idle cost of a formation (idle_cost.py), the cost of synchronous
replication (sync_cost.py), the cost of TLS on a failover
(tls_failover.py) and the monitor at scale (monitor_scale.py).
"""

import datetime
import os
import platform
import signal
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

from cluster import Writer, two_node_formation  # noqa: E402
from harness import Harness, wait_until  # noqa: E402
from report import write_section  # noqa: E402


def gap_after(writer, fault_at, timeout=60):
    """The longest time between two acknowledged commits around the fault
    (a commit in flight when the fault hit may still be acknowledged)."""
    wait_until(lambda: sum(t > fault_at for t in writer.ack_times) >= 20,
               timeout=timeout, what="commits after the fault", interval=0.02)
    times = [t for t in writer.ack_times if t >= fault_at - 1.0]
    return max(b - a for a, b in zip(times, times[1:]))


def whole_node_crash(c, w):
    fault_at = time.monotonic()
    c.kill_node("a")
    return gap_after(w, fault_at), "b"


def postmaster_crash(c, w):
    fault_at = time.monotonic()
    os.kill(c.postmaster_pid("a"), signal.SIGKILL)
    return gap_after(w, fault_at), "a"


def switchover(c, w):
    fault_at = time.monotonic()
    c.h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir)
    return gap_after(w, fault_at), "b"


SCENARIOS = [
    ("Whole-node crash of the primary (keeper and postmaster SIGKILL)",
     whole_node_crash, 1.5),
    ("Postgres crash on the primary (postmaster SIGKILL, keeper alive)",
     postmaster_crash, 1.0),
    ("Planned switchover (`pgkeel perform switchover`)", switchover, 1.0),
]


def run_once(fn, formation=two_node_formation):
    h = Harness("bench")
    try:
        c = formation(h)
        w = Writer(c).start()
        time.sleep(1.0)
        gap, survivor = fn(c, w)
        w.wait_more(10)
        w.stop()
        missing = w.missing_on(survivor)
        failovers = sum(1 for e in c.events()
                        if e["new_state"] == "prepare_promotion")
        if fn is not switchover and failovers and survivor == "a":
            failovers = -failovers  # a failover that should not have been
        return gap, len(missing), failovers
    finally:
        h.cleanup()
        h.remove()


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    results = []
    for title, fn, target in SCENARIOS:
        gaps, lost, failovers = [], 0, []
        for i in range(runs):
            gap, missing, fo = run_once(fn)
            gaps.append(gap)
            lost += missing
            failovers.append(fo)
            print(f"{title}: run {i + 1}/{runs}: writes back after "
                  f"{gap:.2f} s, {missing} acknowledged rows missing, "
                  f"{fo} failover(s)", flush=True)
        med = statistics.median(gaps)
        results.append((title, med, min(gaps), max(gaps), target, lost,
                        failovers))
        print(f"{title}: median {med:.2f} s (target {target:g} s)")
    write_report(results, runs)
    if sys.argv[2:] == ["downtime"]:  # this section alone
        return
    import keeper_resources
    keeper_resources.main()
    import pg_crash
    pg_crash.main(runs)
    import frozen_node
    frozen_node.main(runs)
    import idle_cost
    idle_cost.main(20.0)
    import sync_cost
    sync_cost.main(3)
    import tls_failover
    tls_failover.main(runs)
    import monitor_scale
    monitor_scale.main()


def write_report(results, runs):
    now = datetime.datetime.now().strftime("%Y-%m-%d")
    lines = [
        "Method: a fresh formation per run (a monitor and two data nodes "
        "on loopback, default settings: TLS on, keeper_interval 500ms, "
        "monitor_interval 250ms, node_down_timeout 3s). One client "
        "inserts a row every ~10 ms through the formation's multi-host URI "
        "(`target_session_attrs=read-write`, connect_timeout 2 s) and "
        "records every acknowledged commit. The fault is injected after "
        "1 s of writes (the switchover is requested then); the write gap "
        "is the longest time between two acknowledged commits around the "
        "fault, as the client sees it. Afterwards every acknowledged row "
        "is looked up on the final primary.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}; {runs} runs each; "
        f"measured {now}.",
        "",
        "| scenario | median | min | max | target | acknowledged rows "
        "lost | failovers per run |",
        "|---|---|---|---|---|---|---|",
    ]
    for title, med, lo, hi, target, lost, fo in results:
        lines.append(f"| {title} | {med:.2f} s | {lo:.2f} s | {hi:.2f} s "
                     f"| {target:g} s | {lost} | {fo} |")
    lines += [
        "",
        "The same faults with pg_auto_failover and Patroni: see \"Side by "
        "side with pg_auto_failover and Patroni\" below (`make "
        "bench-compare`).",
    ]
    write_section("## Write downtime after a failure", "\n".join(lines))



if __name__ == "__main__":
    main()
