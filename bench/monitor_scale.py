"""Monitor scale benchmark: the decision-cycle time of one monitor with
1,000 nodes (target: under 100 ms).

A monitor (default settings, HTTP API on) gets 200 formations of 5 nodes
from simulated keepers (bench/sim_keepers.py): they report every 500 ms
like real ones and answer the monitor's connection tests. Once every
formation is healthy, the monitor's own measure of its last decision cycle
(pgkeel_monitor_cycle_seconds: reading every formation, connection tests,
the state machine, writing decisions; not the HTTP view) is sampled every
0.2 s for 30 s; the median, 95th percentile and maximum are written to
docs/benchmarks.md, section "Monitor at scale".

    /usr/bin/python3 bench/monitor_scale.py      (part of make bench)
"""

import os
import re
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

from harness import Harness, free_port, wait_until  # noqa: E402
from httpapi import request  # noqa: E402
from report import write_section  # noqa: E402

FORMATIONS, PER = 200, 5
SECTION = "## Monitor at scale"


def cycle_seconds(port):
    status, text, _ = request(port, "/metrics")
    assert status == 200, text
    return float(re.search(r"^pgkeel_monitor_cycle_seconds (\S+)$", text,
                           re.M).group(1))


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure(seconds=20):
    h = Harness("bench-scale")
    try:
        sock, port, http = h.mkdir("sock"), free_port(), free_port()
        mon = h.path("monitor")
        h.pgkeel("create", "monitor", "--pgdata", mon, "--pgport", port,
                 "--hostname", "127.0.0.1", "--socket-directory", sock,
                 "--http-port", http)
        proc = h.start("monitor", ["pgkeel", "run", "--pgdata", mon])
        wait_until(lambda: "monitor active" in proc.log(),
                   what="the monitor to start")
        ready = os.path.join(h.mkdir("sim"), "ready")
        h.start("sim", ["/usr/bin/python3",
                        os.path.join(HERE, "sim_keepers.py"), sock, port,
                        FORMATIONS, PER, ready])
        wait_until(lambda: os.path.exists(ready), timeout=300,
                   what="the simulated keepers to register")
        healthy = ("SELECT count(*) FROM pgkeel.formation "
                   "WHERE health = 'healthy'")
        wait_until(lambda: h.psql(sock, port, healthy, db="pgkeel")
                   == str(FORMATIONS), timeout=300, interval=1,
                   what="every formation to be healthy")
        samples = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            samples.append(cycle_seconds(http) * 1000)
            time.sleep(0.2)
        return samples, rss_kb(proc.pid)
    finally:
        h.cleanup()
        h.remove()


RUNS = 3


def one_run():
    samples, rss = measure()
    samples.sort()
    med = statistics.median(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"monitor cycle with {FORMATIONS * PER} nodes: median {med:.1f} "
          f"ms, p95 {p95:.1f} ms, max {samples[-1]:.1f} ms; "
          f"{rss / 1024:.1f} MB resident", flush=True)
    return med, p95, samples[-1], rss, len(samples)


def main():
    runs = [one_run() for _ in range(RUNS)]
    med, p95, top, rss, n = (statistics.median(r[i] for r in runs)
                             for i in range(5))
    write_section(SECTION, "\n".join([
        f"Method: one monitor (default settings) with {FORMATIONS} "
        f"formations of {PER} nodes ({FORMATIONS * PER} nodes) from "
        "simulated keepers (bench/sim_keepers.py) that report every "
        "500 ms and answer the monitor's connection tests. Once every "
        "formation is healthy, the monitor's measure of its last decision "
        "cycle (`pgkeel_monitor_cycle_seconds`: reading every formation, "
        "the state machine, writing decisions; the connection tests run on "
        "a thread of their own) is sampled every 0.2 s for 20 s "
        f"(about {n:.0f} samples), in {RUNS} runs with a fresh monitor "
        "each; the table gives the median over the runs of each run's "
        "median, 95th percentile and maximum. The simulated keepers share "
        "the machine's 2 cores with the monitor. bench/monitor_scale.py.",
        "",
        "| measure | value | target |", "|---|---|---|",
        f"| decision cycle, median | {med:.1f} ms | 100 ms |",
        f"| decision cycle, 95th percentile | {p95:.1f} ms | |",
        f"| decision cycle, max | {top:.1f} ms | |",
        f"| monitor resident memory | {rss / 1024:.1f} MB | |",
        ""]))


if __name__ == "__main__":
    main()
