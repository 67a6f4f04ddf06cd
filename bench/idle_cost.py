"""The CPU an idle, healthy formation costs: a monitor and two data nodes
(a primary and its synchronous standby, default settings) on loopback.

Once the formation settled, CPU time (user + system, from /proc/PID/stat)
is counted over WINDOW seconds for: the monitor process; each keeper; and
each Postgres (the monitor's and the data nodes'), as the postmaster's
own time, plus its children's, plus the time of the children it reaped
during the window (cutime + cstime): a backend forked and gone within the
window is counted too. Then, in the same run, a primary and its
streaming standby run by Postgres alone (bench/bare_pair.py: Postgres'
defaults, no manager) are counted the same way: what pgkeel adds is the
difference, which its target bounds. Printed as a percentage of one
core, median of 3 runs, and written to docs/benchmarks.md (part of make
bench).

With --store etcd, the formation of `scripts/demo --store etcd`: three
etcd members and two monitors (one active, one standing by) hold the
state, and the data nodes are the same; each member's time is its own
(written to the section "Idle cost of a formation on etcd").

    /usr/bin/python3 bench/idle_cost.py [WINDOW_S] [--store etcd]

PGKEEL_BINARY=/path/to/pgkeel measures another build (e.g. an older one).
"""

import datetime
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

import bare_pair  # noqa: E402
import harness  # noqa: E402
from cluster import two_node_formation  # noqa: E402
from harness import Harness  # noqa: E402
from report import write_section  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    # fields after the command name (which may hold spaces)
    return text[text.rindex(")") + 2:].split()


def own_time(pid):
    s = stat_fields(pid)
    return int(s[11]) + int(s[12])            # utime + stime


def reaped_time(pid):
    s = stat_fields(pid)
    return int(s[13]) + int(s[14])            # cutime + cstime


def children(pid):
    kids = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(k) for k in f.read().split()]
        except OSError:
            pass
    return kids


def tree_time(pid):
    """The postmaster's time, its reaped children's and its live ones'."""
    total = own_time(pid) + reaped_time(pid)
    live = {}
    for kid in children(pid):
        try:
            live[kid] = own_time(kid)
        except OSError:
            pass
    return total, live


def processes(c, store):
    """The processes measured on their own, and the Postgres servers
    measured with their children."""
    if store == "etcd":
        pids = {"monitor (active)": c.monitors["monitor"].pid,
                "monitor (standing by)": c.monitors["monitor2"].pid}
        pms = {}
    else:
        pids = {"monitor process": c.monitor.pid}
        pms = {"monitor's Postgres": harness.read_postmaster_pid(
            c.monitor_dir)}
    for name in ("a", "b"):
        pids[f"keeper {name}"] = c.nodes[name]["proc"].pid
    if store == "etcd":
        for i, pid in enumerate(sorted(c.etcd.pids()), 1):
            pids[f"etcd member {i}"] = pid
    for name in ("a", "b"):
        pms[f"Postgres {name}"] = c.postmaster_pid(name)
    return pids, pms


def merge_members(res):
    """The etcd members as one row: which one leads changes between
    runs."""
    members = [k for k in res if k.startswith("etcd member")]
    if not members:
        return res
    out = {k: v for k, v in res.items() if k not in members}
    out[f"etcd members ({len(members)})"] = sum(res[k] for k in members)
    return out


def tree_ticks(pms, window):
    """The CPU of each Postgres in pms (name: postmaster PID) over window
    seconds, with its children, live and reaped: ticks."""
    trees = {k: tree_time(p) for k, p in pms.items()}
    t0 = time.monotonic()
    time.sleep(window)
    elapsed = time.monotonic() - t0
    out = {}
    for k, p in pms.items():
        t_start, live0 = trees[k]
        t_end, live1 = tree_time(p)
        ticks = t_end - t_start
        for kid, t in live1.items():
            ticks += t - live0.get(kid, 0)
        for kid, t in live0.items():
            if kid not in live1:
                ticks -= t
        out[k] = ticks
    return out, elapsed


def measure_bare(window):
    """The same count for a primary and its standby run by Postgres alone
    (bench/bare_pair.py): both servers, percent of one core."""
    h = Harness("idle-bare")
    try:
        primary, standby = bare_pair.start(h)
        time.sleep(5)  # settle as the formation does
        out, elapsed = tree_ticks({"p": primary, "s": standby}, window)
        return 100.0 * sum(out.values()) / TICK / elapsed
    finally:
        h.cleanup()
        h.remove()


def measure(window, store="postgres"):
    h = Harness("idle-cost")
    try:
        c = two_node_formation(h, store=store)
        if store == "etcd":
            harness.wait_until(
                lambda: "standing by" in c.monitors["monitor2"].log(),
                what="the second monitor to stand by")
        time.sleep(5)  # settle: the first checkpoints, slots, hba reloads
        pids, pms = processes(c, store)
        start = {k: own_time(p) + reaped_time(p) for k, p in pids.items()}
        out, elapsed = tree_ticks(pms, window)
        for k, p in pids.items():
            out[k] = own_time(p) + reaped_time(p) - start[k]
        return merge_members(
            {k: 100.0 * v / TICK / elapsed for k, v in out.items()})
    finally:
        h.cleanup()
        h.remove()


NOTE = (
    "Postgres alone costs what any manager's formation costs first: the "
    "standby's WAL receiver, woken every 100 ms by Postgres 15, the "
    "background writers and the primary's WAL writer. What pgkeel adds "
    "while the formation is steady (its quiet cadence, "
    "docs/architecture.md): the primary's keeper reports twice a second, "
    "its contact with the store being what keeps the primary open (one "
    "statement that reports and reads the formation back only when its "
    "version moved; a report that changed nothing is a beat, a "
    "notification the monitor hears without a read), and observes its "
    "Postgres once a second (one statement); the standby's keeper "
    "observes and reports once a second, woken at once when its WAL "
    "receiver or postmaster ends; the keepers' duties (configuration, "
    "slots, roles, the scan of pg_settings for a parameter waiting for a "
    "restart) come after a change and every 10 s; the monitor decides "
    "once a second (two statements), hears the beats, and tests each "
    "node's connection once a second (an empty query on a session kept "
    "open); the monitor's Postgres writes the keepers' reports "
    "(committed without waiting for the disk) and flushes their WAL once "
    "a second; the standby's status messages every second, and "
    "wal_receiver_timeout 2 s, add a little to replication. Each of these "
    "wakes a process or a backend, and the wake-ups, more than the work "
    "done, make the cost: a keeper's report costs the store about 1 ms "
    "of CPU, an empty query about 0.2 ms. Measured side by side with the "
    "build before the quiet standbys, the slower connection tests and "
    "observations while quiet, and the monitor's Postgres' WAL writer at "
    "1 s (each keeper every 500 ms, the checks every 250 ms), by the time "
    "each process spent on a CPU (/proc/PID/task/*/schedstat, 30 s "
    "windows, alternating, 2 runs each): 1.14 % against 1.66 % in all, "
    "Postgres alone 0.21 % by the same count. Before that, by this "
    "table's method: 1.20 % in all with the monitor's own quiet cadence "
    "and the beats; 1.35 % when a keeper's cycle was a report and a "
    "read; 1.90 % before keepers' store statements were prepared once per "
    "session and a report woke the monitor only when it changed "
    "something; 2.80 % when the keeper scanned pg_settings and ran its "
    "duties every cycle; before that it opened new local connections "
    "every cycle (each data node's Postgres about 14 % of a core), and "
    "the health checks forked a backend per check (about 25 %).")


ETCD_NOTE = (
    "Same method, on the formation `scripts/demo --store etcd` starts: "
    "three etcd members (on loopback, each fsyncing its own log) and two "
    "monitors, one active and one standing by, hold the state; the "
    "members' time is their own, summed (etcd runs no child processes; "
    "which member leads changes between runs). Three members alone, "
    "without a formation, cost about 4.4 % (their Raft heartbeats, every "
    "100 ms). A keeper's cycle is an etcd transaction that writes its "
    "heartbeat key (and its report only when it changed) and a read of "
    "its formation; every write is appended to each member's log and "
    "synced; the active monitor reads each interval, the one standing "
    "by checks the lease each interval.")


def write_etcd_report(window, runs, medians):
    rows = [f"| {k} | {v:.2f} % |" for k, v in medians.items()]
    write_section("## Idle cost of a formation on etcd", "\n".join([
        f"Method: `bench/idle_cost.py {window:.0f} --store etcd`, median "
        f"of {runs} runs, percent of one core; measured "
        f"{datetime.date.today()}.",
        "",
        "| process | median |",
        "|---|---|",
        *rows,
        "",
        ETCD_NOTE,
    ]))


BARE = "Postgres alone: a primary and its standby, no manager"
ADDED = "added by pgkeel: everything less Postgres alone"


def write_report(window, runs, medians):
    rows = [f"| {k} | {v:.2f} % |" for k, v in medians.items()]
    write_section("## Idle cost of a formation", "\n".join([
        f"Method: `bench/idle_cost.py {window:.0f}` starts a monitor and "
        "two data nodes (a primary and its synchronous standby, default "
        "settings, TLS on) on loopback, waits until the formation is "
        f"healthy, then counts {window:.0f} s of CPU time (user + system, "
        "/proc/PID/stat) of the monitor, each keeper, and each Postgres: "
        "the postmaster's own time, its live children's, and the time of "
        "the children it reaped in the window (cutime + cstime), so that "
        f"a backend forked and gone within the window counts. Then, in "
        "the same run, a primary and its streaming standby run by "
        "Postgres alone (bench/bare_pair.py: Postgres' own defaults, no "
        "manager, replication over loopback TCP) are counted the same "
        "way: what any formation of two servers costs before a manager "
        "adds its work (mostly the standby's WAL receiver, which Postgres "
        "15 wakes ten times a second). What pgkeel adds is the "
        "difference. Median of "
        f"{runs} runs, percent of one core; measured "
        f"{datetime.date.today()}. Target: what pgkeel adds at most 1 %.",
        "",
        "| process | median |",
        "|---|---|",
        *rows,
        "",
        NOTE,
    ]))


def main(window=None, runs=3, store="postgres"):
    args = sys.argv[1:]
    if "--store" in args:
        store = args[args.index("--store") + 1]
        del args[args.index("--store"):args.index("--store") + 2]
    if window is None:
        window = float(args[0]) if args else 20.0
    if os.environ.get("PGKEEL_BINARY"):
        harness.BINARY = os.environ["PGKEEL_BINARY"]
    results = []
    for i in range(runs):
        res = measure(window, store)
        res["everything"] = sum(res.values())
        res[BARE] = measure_bare(window)
        res[ADDED] = res["everything"] - res[BARE]
        results.append(res)
        print(f"run {i + 1}/{runs}: " + ", ".join(
            f"{k} {v:.2f} %" for k, v in res.items()), flush=True)
    medians = {k: statistics.median(r[k] for r in results)
               for k in results[0]}
    for k, v in medians.items():
        print(f"{k:22s} {v:6.2f} % of a core")
    if os.environ.get("PGKEEL_BINARY"):
        return
    if store == "etcd":
        write_etcd_report(window, runs, medians)
    else:
        write_report(window, runs, medians)


if __name__ == "__main__":
    main()
