"""The table of the side-by-side benchmark (bench/compare.py): the three
tools' medians with min–max, pgkeel's ratio against each, the method, the
settings in effect, the machine and the versions, written as one section
of docs/benchmarks.md."""

import datetime
import os
import platform
import statistics
import subprocess

from bare_pair import PG_BIN
import compare_patroni
import compare_pgaf
import compare_pgkeel
from report import write_section

HEADING = "## Side by side with pg_auto_failover and Patroni"
SCENARIOS = {
    "node": "Whole-node crash of the primary (agent and postmaster SIGKILL)",
    "postmaster": "Postgres crash on the primary (postmaster SIGKILL, "
                  "agent alive)",
    "switchover": "Planned switchover",
}


def span(values, fmt):
    """"median (min–max)" of the values."""
    if not values:
        return "—"
    med = fmt(statistics.median(values))
    if len(values) == 1:
        return med
    return f"{med} ({fmt(min(values))}–{fmt(max(values))})"


def seconds(v):
    return f"{v:.1f} s" if v >= 10 else f"{v:.2f} s"


def mb(kb):
    return f"{kb / 1024:.1f} MB"


def pct(v):
    return f"{v:.2f} %"


def faster(p, o):
    """pgkeel's time p against another tool's o."""
    if p is None or o is None or p <= 0 or o <= 0:
        return "—"
    return f"{o / p:.1f}× faster" if p <= o else f"{p / o:.1f}× slower"


def times(p, o):
    """pgkeel's amount p against another tool's o."""
    if p is None or o is None or o <= 0:
        return "—"
    return f"pgkeel {p / o:.2f}×"


def med(values):
    return statistics.median(values) if values else None


def row(label, measure, cells, ratios):
    return f"| {label} | {measure} | " + " | ".join(cells + ratios) + " |"


def fault_rows(results, tools, scenario):
    runs = {t: results[t]["faults"][scenario] for t in tools}
    gaps = {t: [r["gap"] for r in runs[t] if r["gap"] is not None]
            for t in tools}
    cells = []
    for t in tools:
        cell = span(gaps[t], seconds)
        stuck = sum(r["gap"] is None for r in runs[t])
        if stuck:
            cell += f"; {stuck} run(s) without a write for 150 s"
        cells.append(cell)
    p = med(gaps[tools[0]])
    title = SCENARIOS[scenario]
    lost = [str(sum(r["lost"] or 0 for r in runs[t])) for t in tools]
    over = [f"{sum(bool(r['failed_over']) for r in runs[t])}/"
            f"{len(runs[t])}" for t in tools]
    return [
        row(title, "write gap", cells,
            [faster(p, med(gaps[t])) for t in tools[1:]]),
        row(title, "acknowledged rows lost (all runs)", lost,
            [""] * (len(tools) - 1)),
        row(title, "failed over (runs)", over, [""] * (len(tools) - 1)),
    ]


def setup_times(res):
    return ([r["setup"] for rs in res["faults"].values() for r in rs]
            + [r["setup"] for r in res["idle"]])


def agent_mem(res, i):
    """Per node (mean of the two nodes), median of the idle runs."""
    return med([statistics.mean(v[i] for v in r["agent_mem"].values())
                for r in res["idle"]])


def control_mem(res, i):
    return med([sum(v[i] for v in r["control_mem"].values())
                for r in res["idle"]])


def idle_rows(results, tools):
    out = []
    s = {t: setup_times(results[t]) for t in tools}
    p = med(s[tools[0]])
    out.append(row("Setup", "time to a primary with a streaming standby",
                   [span(s[t], seconds) for t in tools],
                   [faster(p, med(s[t])) for t in tools[1:]]))
    for label, fn, i in (
            ("agent per data node, RSS", agent_mem, 0),
            ("agent per data node, PSS", agent_mem, 1),
            ("control plane, RSS (sum)", control_mem, 0),
            ("control plane, PSS", control_mem, 1)):
        v = {t: fn(results[t], i) for t in tools}
        out.append(row("Memory, idle", label, [mb(v[t]) for t in tools],
                       [times(v[tools[0]], v[t]) for t in tools[1:]]))
    for key in ("total", "agents", "control plane", "data nodes' Postgres"):
        v = {t: med([r["cpu"][key] for r in results[t]["idle"]])
             for t in tools}
        out.append(row("Idle CPU, % of one core", key,
                       [pct(v[t]) for t in tools],
                       [times(v[tools[0]], v[t]) for t in tools[1:]]))
    return out


def plural(n):
    return f"{n} process" if n == 1 else f"{n} processes"


def processes(results, tools):
    """What was counted as each tool's processes, from the first idle run."""
    parts = []
    for t in tools:
        r = results[t]["idle"][0]
        n = max(v[2] for v in r["agent_mem"].values())
        ctl = ", ".join(f"{k} ({plural(v[2])})"
                        for k, v in r["control_mem"].items())
        parts.append(f"{t}: {plural(n)} per data node; control plane: "
                     f"{ctl}")
    return "; ".join(parts) + "."


def versions():
    pg = subprocess.run([f"{PG_BIN}/postgres", "--version"],
                        capture_output=True, text=True).stdout.strip()
    return (f"{compare_pgkeel.version()}; {compare_pgaf.version()}; "
            f"{compare_patroni.version()}; {pg}")


def method(runs, idle_runs):
    return (
        "Method: `make bench-compare` (bench/compare.py) installs "
        "pg_auto_failover and Patroni from Debian's packages when they are "
        "missing and runs each tool with its default settings on "
        "loopback (every server bound to 127.0.0.1), as the unprivileged "
        "`postgres` user. For each tool and fault, "
        f"{runs} run(s): a fresh formation of a primary and one standby "
        "(setup timed from the first command until one node is a primary "
        "and the other's WAL receiver streams from it); the same client "
        "(tests/lib/cluster.py's Writer) inserts a numbered row every "
        "~10 ms through a multi-host URI over both nodes "
        "(`target_session_attrs=read-write`, connect_timeout 2 s) and "
        "records every acknowledged commit; after 1 s of writes the "
        "fault is injected on the primary: both the agent (with every "
        "process of its session) and the postmaster SIGKILLed at once; "
        "the postmaster alone SIGKILLed (its backends left running); or "
        "a switchover (`pgkeel perform switchover`, `pg_autoctl perform "
        "switchover`, `patronictl switchover --force`). The write gap is "
        "the longest time between two acknowledged commits around the "
        "fault; afterwards every acknowledged row is looked up on the "
        "node the URI then writes to, and that node is compared with the "
        "primary before the fault (\"failed over\"). Then, "
        f"{idle_runs} run(s) per tool, a formation left idle and healthy: "
        "5 s to settle, the memory of every process the tool adds on a "
        "data node (its agent and all that the agent forked, not "
        "Postgres) and of its control plane (RSS from /proc/PID/status, "
        "PSS from /proc/PID/smaps_rollup; RSS summed over a Postgres "
        "counts its shared memory once per process, PSS does not), then "
        "20 s of CPU (user + system, /proc/PID/stat) of the agents, the "
        "control plane and the data nodes' Postgres, each process tree "
        "with the children it reaped in the window (cutime + cstime), as "
        "bench/idle_cost.py counts. Medians, with min–max; the setup "
        "time over every run. Ratios are pgkeel's against each tool.")


def write(results, runs, idle_runs):
    tools = list(results)
    lines = [method(runs, idle_runs), "",
             "Settings in effect (each tool's defaults):", ""]
    lines += [f"- {results[t]['idle'][0]['settings']}" for t in tools]
    lines += [
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}; {versions()}; "
        f"measured {datetime.date.today()}.",
        "",
        "| scenario | measure | " + " | ".join(tools) + " | "
        + " | ".join(f"pgkeel vs {t}" for t in tools[1:]) + " |",
        "|---|---|" + "---|" * (2 * len(tools) - 1),
    ]
    for scenario in SCENARIOS:
        lines += fault_rows(results, tools, scenario)
    lines += idle_rows(results, tools)
    lines += ["", "Processes counted: " + processes(results, tools)]
    write_section(HEADING, "\n".join(lines))
