"""Postgres crashes on the primary, restarted in place: the client's write
gap and whether the monitor failed over, for a postmaster killed alone
(its backends left running, as after an OOM kill) and for the postmaster
killed with all its processes, each with a Postgres started by the keeper
(`create postgres --run`) and by another process (`create postgres`, then
`pgkeel run`; the dead postmaster then stays a zombie, as under an init
that reaps slowly). Writes its section of docs/benchmarks.md.

    /usr/bin/python3 bench/pg_crash.py [RUNS]     (part of make bench)
"""

import datetime
import os
import signal
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

from cluster import Cluster, Writer  # noqa: E402
from elsewhere import Elsewhere  # noqa: E402
from harness import Harness  # noqa: E402
from report import write_section  # noqa: E402
from run import gap_after  # noqa: E402


def formation(h, elsewhere):
    c = Cluster(h)
    started = Elsewhere(c, "a") if elsewhere else None
    if not elsewhere:
        c.add_node("a", wait_state="single")
    c.add_node("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    c.create_app_user()
    return c, started


def run_once(elsewhere, whole_group):
    h = Harness("bench-pgcrash")
    started = None
    try:
        c, started = formation(h, elsewhere)
        w = Writer(c).start()
        time.sleep(1.0)
        pm = c.postmaster_pid("a")
        fault_at = time.monotonic()
        if whole_group:
            os.killpg(pm, signal.SIGKILL)  # pg_ctl makes it a group leader
        else:
            os.kill(pm, signal.SIGKILL)
        gap = gap_after(w, fault_at)
        w.wait_more(10)
        w.stop()
        failovers = sum(1 for e in c.events()
                        if e["new_state"] == "prepare_promotion")
        return gap, len(w.missing_on(c.primary())), failovers
    finally:
        if started:
            started.close()
        h.cleanup()
        h.remove()


SCENARIOS = [
    ("postmaster alone", False, False),
    ("postmaster and all its processes", False, True),
    ("postmaster alone, Postgres started by `create postgres`", True, False),
    ("postmaster and all its processes, Postgres started by "
     "`create postgres`", True, True),
]


def main(runs=5):
    rows = []
    for title, elsewhere, group in SCENARIOS:
        gaps, lost, fos = [], 0, []
        for i in range(runs):
            gap, missing, fo = run_once(elsewhere, group)
            gaps.append(gap)
            lost += missing
            fos.append(fo)
            print(f"Postgres crash, {title}: run {i + 1}/{runs}: "
                  f"{gap:.2f} s, {missing} lost, {fo} failover(s)",
                  flush=True)
        rows.append((title, statistics.median(gaps), min(gaps), max(gaps),
                     lost, fos))
    now = datetime.datetime.now().strftime("%Y-%m-%d")
    lines = [
        "Method: as for the write downtime above (a fresh formation of a "
        "monitor and two data nodes per run, one client writing through "
        "the multi-host URI, every acknowledged row checked afterwards); "
        "the primary's postmaster is sent SIGKILL alone, or with every "
        "process of its group. \"Started by `create postgres`\": the "
        "first node is created without --run and its keeper started "
        "afterwards by `pgkeel run`, so the postmaster is not the "
        "keeper's child and, killed, stays a zombie (nobody reaps it "
        "during the run). Target: a median write gap of 1 s at most, and "
        f"no failover. {runs} runs each; measured {now}.",
        "",
        "| Postgres crash | median | min | max | acknowledged rows lost "
        "| failovers per run |",
        "|---|---|---|---|---|---|",
    ]
    for title, med, lo, hi, lost, fos in rows:
        lines.append(f"| {title} | {med:.2f} s | {lo:.2f} s | {hi:.2f} s "
                     f"| {lost} | {fos} |")
    write_section("## Postgres crash, restarted in place", "\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
