"""The etcd control plane (docs/etcd.md) against the postgres store:
three measures, written to docs/benchmarks.md, section "The etcd control
plane".

(a) The whole-node crash and the planned switchover of bench/run.py on a
    formation whose store is three etcd members with two monitors, next
    to the same on the postgres store; the two kinds of run alternate.
    Target: the medians within 0.5 s of each other.
(b) Active-monitor takeover: the active monitor is SIGKILLed (or, to
    measure the lease's own bound, SIGSTOPped, or killed with the
    monitors' HTTP APIs off); measured from the fault to the moment the
    monitor standing by holds the lease (its log's "monitor active
    (lease term N)" line, whose decision cycle follows at once), and to
    the moment `show monitors --json` shows the new term. Target: a
    median of 2 s at most.
(c) The primary's whole node and the active monitor SIGKILLed at once;
    the write gap as the client sees it. Target: 6 s at most.
(d) The idle cost of such a formation (idle_cost.py --store etcd), in
    its own section.

    make bench-etcd       (or: /usr/bin/python3 bench/etcd_control_plane.py
                           [RUNS] [side|takeover|idle], one part alone)
"""

import datetime
import json
import signal
import statistics
import sys
import time

from run import gap_after, run_once, switchover, whole_node_crash
from report import write_section

from cluster import Writer, two_node_formation  # noqa: E402 (run.py set sys.path)
from harness import Harness, wait_until  # noqa: E402

TARGET_DIFF_S = 0.5
TARGET_TAKEOVER_S = 2.0
TARGET_BOTH_S = 6.0
NO_API = ("--http-port", "0")  # monitors without an HTTP API


def etcd_formation(h, store_params="", monitor_flags=()):
    c = two_node_formation(h, store="etcd", store_params=store_params,
                           monitor_flags=monitor_flags)
    wait_until(lambda: "standing by" in c.monitors["monitor2"].log(),
               what="the second monitor to stand by")
    return c


STORES = [("postgres store", two_node_formation),
          ("etcd store (3 members, 2 monitors)", etcd_formation)]
FAULTS = [("Whole-node crash of the primary", whole_node_crash),
          ("Planned switchover", switchover)]


def active_term(c):
    """The term of the monitor `show monitors` says is active, or 0."""
    listed = c.h.pgkeel_json("show", "monitors", "--pgdata", c.monitor_dir)
    return max((m["term"] for m in listed if m["active"]), default=0)


def log_wall_s(line):
    """The wall-clock time of a pgkeel log line, in s since the epoch."""
    stamp = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f")
    return stamp.timestamp()


def takeover_once(fault="kill", monitor_flags=()):
    """(s to the lease in the new monitor's log, s to show monitors),
    the active monitor killed, or frozen (fault "stop") until then."""
    h = Harness("bench-etcd-takeover")
    victim = None
    try:
        c = etcd_formation(h, monitor_flags=monitor_flags)
        term = active_term(c)
        time.sleep(1.0)
        wall, start = time.time(), time.monotonic()
        victim = c.monitors["monitor"]
        if fault == "kill":
            h.kill(victim)
        else:
            victim.signal(signal.SIGSTOP)
        wait_until(lambda: active_term(c) > term, timeout=30,
                   interval=0.02, what="a new lease term")
        seen = time.monotonic() - start
        log = c.monitors["monitor2"].log()
        line = [ln for ln in log.splitlines() if "monitor active" in ln][-1]
        return log_wall_s(line) - wall, seen
    finally:
        if victim and victim.alive():
            victim.signal(signal.SIGCONT)
        h.cleanup()
        h.remove()


def both_once():
    """The write gap when the primary and the active monitor die."""
    h = Harness("bench-etcd-both")
    try:
        c = etcd_formation(h)
        w = Writer(c).start()
        time.sleep(1.0)
        fault_at = time.monotonic()
        h.kill(c.monitors["monitor"])
        c.kill_node("a")
        gap = gap_after(w, fault_at)
        w.wait_more(10)
        w.stop()
        return gap, len(w.missing_on("b"))
    finally:
        h.cleanup()
        h.remove()


def side_by_side(runs):
    """{(fault, store): ([gaps], lost)}, the stores alternating."""
    out = {(f, s): ([], 0) for f, _ in FAULTS for s, _ in STORES}
    for fault, fn in FAULTS:
        for i in range(runs):
            for store, make in STORES:
                gap, missing, fo = run_once(fn, make)
                gaps, lost = out[(fault, store)]
                gaps.append(gap)
                out[(fault, store)] = (gaps, lost + missing)
                print(f"{fault}, {store}: run {i + 1}/{runs}: writes back "
                      f"after {gap:.2f} s, {missing} acknowledged rows "
                      f"missing, {fo} failover(s)", flush=True)
    return out


def repeat(fn, runs, label):
    results = []
    for i in range(runs):
        results.append(fn())
        print(f"{label}: run {i + 1}/{runs}: {results[-1]}", flush=True)
    return results


def row(name, values, target, extra=""):
    med = statistics.median(values)
    return (f"| {name} | {med:.2f} s | {min(values):.2f} s | "
            f"{max(values):.2f} s | {target} |{extra}")


def main(runs=5, parts=("side", "takeover", "idle")):
    results = {}
    if "side" in parts:
        pairs = side_by_side(runs)
        results["side_by_side"] = {f"{f} / {s}": v for (f, s), v in
                                   pairs.items()}
    if "takeover" in parts:
        takeovers = repeat(takeover_once, runs, "monitor takeover")
        lease_path = {
            "without": repeat(lambda: takeover_once("kill", NO_API), runs,
                              "monitor takeover, no HTTP API"),
            "frozen": repeat(lambda: takeover_once("stop"), runs,
                             "monitor takeover, frozen monitor")}
        both = repeat(both_once, runs, "primary and active monitor killed")
        results.update(takeover=takeovers, lease_path=lease_path, both=both)
    print(json.dumps(results, indent=1))
    if "side" in parts:
        write_side_by_side(pairs, runs)
    if "takeover" in parts:
        write_takeover(takeovers, lease_path, both, runs)
    if "idle" in parts:
        import idle_cost
        idle_cost.main(20.0, store="etcd")


METHOD = (
    "Method: bench/etcd_control_plane.py (`make bench-etcd`), on "
    "loopback. The etcd store: three etcd members (heartbeat 100 ms, "
    "election timeout 1 s) and two monitors of it (defaults: "
    "lease_ttl 2 s, monitor_interval 250 ms, node_down_timeout 3 s), "
    "with a primary and its synchronous standby; the postgres store: "
    "one monitor with its own Postgres and the same two data nodes. "
    "A fresh formation per run; the client of \"Write downtime after "
    "a failure\" above writes through the multi-host URI and every "
    "row it had acknowledged is looked up on the final primary.")


def measured():
    return f"Measured {datetime.datetime.now().strftime('%Y-%m-%d')}."


def write_side_by_side(pairs, runs):
    lines = [
        METHOD,
        "",
        f"Side by side ({runs} runs each, the two stores alternating): the "
        "write gap as the client sees it (longest time between two "
        "acknowledged commits around the fault). Target: the medians of "
        f"the two stores within {TARGET_DIFF_S} s of each other.",
        "",
        "| fault | store | median | min | max | acknowledged rows lost |",
        "|---|---|---|---|---|---|",
    ]
    diffs = []
    for fault, _ in FAULTS:
        meds = []
        for store, _ in STORES:
            gaps, lost = pairs[(fault, store)]
            meds.append(statistics.median(gaps))
            lines.append(f"| {fault} | {store} | {meds[-1]:.2f} s | "
                         f"{min(gaps):.2f} s | {max(gaps):.2f} s | {lost} |")
        diffs.append(f"{fault.lower()}: {meds[1] - meds[0]:+.2f} s")
    lines += ["", "Difference of the medians, etcd minus postgres: "
              + "; ".join(diffs) + f" (target: within {TARGET_DIFF_S} s).",
              "", "The monitors' takeover on this store: [below]"
              "(#monitor-takeover-on-etcd).", "", measured()]
    write_section("## The etcd control plane", "\n".join(lines))


def write_takeover(takeovers, lease_path, both, runs):
    lines = ["The formations of [the etcd control plane]"
             "(#the-etcd-control-plane) above, same method.", ""]
    lines += takeover_section(takeovers, lease_path, runs)
    lines += both_section(both, runs, statistics.median(
        [t for t, _ in takeovers]))
    lines += ["", measured()]
    write_section("## Monitor takeover on etcd", "\n".join(lines))


def takeover_section(takeovers, lease_path, runs):
    logged = [t for t, _ in takeovers]
    seen = [s for _, s in takeovers]
    med = statistics.median(logged)
    verdict = ("met" if med <= TARGET_TAKEOVER_S else
               f"not met: {med:.2f} s")
    return [
        f"Active-monitor takeover ({runs} runs each): the active monitor, "
        "after 1 s of holding the lease, is sent SIGKILL (its etcd lease "
        "is not revoked). \"Lease taken\" runs from the fault to the "
        "time stamp of the monitor standing by's log line \"monitor active "
        "(lease term N)\": from that line on it is active and its decision "
        "cycle (read, health checks, decide, write under the new term) "
        "runs in the same loop turn. \"Seen by the operator\" runs to the "
        "moment `pgkeel show monitors --json`, polled every 20 ms, first "
        "shows the higher term (it includes one run of the CLI). The "
        "monitors run their HTTP API, as the tests' do; the last two rows "
        "measure the lease's own bound: the same kill with the monitors' "
        "HTTP API off, and the active monitor frozen (SIGSTOP) instead. "
        f"Target: a median of {TARGET_TAKEOVER_S:g} s at most ({verdict}).",
        "",
        "| measure | median | min | max | target |",
        "|---|---|---|---|---|",
        row("kill to the lease taken", logged, f"{TARGET_TAKEOVER_S:g} s"),
        row("kill to the new term in `show monitors`", seen, ""),
        row("kill to the lease taken, no HTTP API",
            [t for t, _ in lease_path["without"]],
            f"{TARGET_TAKEOVER_S:g} s"),
        row("freeze to the lease taken",
            [t for t, _ in lease_path["frozen"]], f"{TARGET_TAKEOVER_S:g} s"),
        "",
        "What bounds it: a killed monitor's host refuses connections to "
        "its HTTP API port; the monitor standing by tries one each "
        "monitor_interval (250 ms) and, after two refusals in a row, ends "
        "the lease itself (docs/etcd.md, \"Monitors\"), then takes it. "
        "Without that evidence (no HTTP API, a frozen monitor, a host "
        "gone) the lease's TTL is the bound: it expires lease_ttl after "
        "the last keepalive the holder sent, one each third of lease_ttl "
        "at its next monitor_interval (with lease_ttl 2 s, every 0.75 s), "
        "so 1.25 to 2 s after the fault; etcd's leader revokes it in a "
        "loop that runs every 500 ms, and the revocation wakes the "
        "monitor standing by through its watch. A lease_ttl of 1 s needs "
        "etcd members that grant one: etcd's minimum TTL is 1.5 times "
        "its election timeout, in whole seconds up (2 s for these "
        "members).",
        "",
    ]


def both_section(both, runs, takeover_med):
    gaps = [g for g, _ in both]
    lost = sum(m for _, m in both)
    med = statistics.median(gaps)
    verdict = "met" if med <= TARGET_BOTH_S else f"not met: {med:.2f} s"
    return [
        f"The primary's whole node and the active monitor SIGKILLed at "
        f"once ({runs} runs, etcd store): the write gap as the client "
        f"sees it. Target: {TARGET_BOTH_S:g} s at most ({verdict}).",
        "",
        "| measure | median | min | max | target | acknowledged rows "
        "lost |",
        "|---|---|---|---|---|---|",
        row("write gap", gaps, f"{TARGET_BOTH_S:g} s", f" {lost} |"),
        "",
        "What bounds it: the takeover above, then the new monitor's "
        "failure detection, which starts from fresh memories of every "
        "node at its new term, and the promotion: "
        f"{med - takeover_med:.2f} s more than the takeover's median "
        "here, less than node_down_timeout (3 s), as the crashed node's "
        "port refuses connections (the early decision of [guarantees.md]"
        "(guarantees.md#guarantees), \"When the primary is declared "
        "down\").",
    ]


if __name__ == "__main__":
    # [RUNS] [side|takeover|idle]: every part unless one is named
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5,
         tuple(sys.argv[2:]) or ("side", "takeover", "idle"))
