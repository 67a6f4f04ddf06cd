"""pgkeel side by side with pg_auto_failover and Patroni (with etcd), all
from Debian's packages, each with its default settings.

For each tool and each fault (whole-node crash of the primary, postmaster
crash on the primary, planned switchover), RUNS times: a fresh formation
(a primary and one streaming standby on loopback) is set up and timed,
the same client (tests/lib/cluster.py's Writer) inserts numbered rows
through a multi-host URI over both nodes (target_session_attrs=read-write),
the fault is injected after 1 s of writes, and the write gap, the
acknowledged rows missing on the final primary and whether the primary
changed are recorded. Then each formation is measured idle: the memory of
every process the tool adds per node and of its control plane, and the
CPU of the formation over 20 s. Writes one table to docs/benchmarks.md.

    make bench-compare      (or: /usr/bin/python3 bench/compare.py [RUNS])
"""

import signal
import statistics
import sys
import time

import compare_common as common
import compare_install
import compare_table
from cluster import Writer
from compare_patroni import PatroniFormation
from compare_pgaf import PgafFormation
from compare_pgkeel import PgkeelFormation
from run import gap_after

TOOLS = [PgkeelFormation, PgafFormation, PatroniFormation]
SCENARIOS = ["node", "postmaster", "switchover"]
GAP_TIMEOUT = 150
IDLE_WINDOW = 20.0


def inject(f, scenario, primary):
    standby = next(n for n in f.nodes if n != primary)
    if scenario == "node":
        f.kill_node(primary)
    elif scenario == "postmaster":
        f.kill_postmaster(primary)
    else:
        f.switchover(primary, standby)


def fault_run(cls, scenario):
    """One formation, one fault: setup time, gap, rows lost, failed over."""
    f = cls()
    try:
        setup = f.setup()
        w = Writer(f.client(), dsn=f.dsn).start()
        time.sleep(1.0)
        before = f.primary()
        fault_at = time.monotonic()
        inject(f, scenario, before)
        try:
            gap = gap_after(w, fault_at, timeout=GAP_TIMEOUT)
        except AssertionError:
            w.stop()
            return {"setup": setup, "gap": None, "lost": None,
                    "failed_over": None}
        w.wait_more(10)
        w.stop()
        return {"setup": setup, "gap": gap, "lost": len(w.missing_on()),
                "failed_over": f.primary() != before}
    finally:
        f.teardown()


def own_sets(groups):
    """{label: pids} where each label's trees leave out the trees of the
    labels nested in them (a monitor process and its Postgres)."""
    trees = {k: common.descendants(v) for k, v in groups.items()}
    out = {}
    for k, pids in trees.items():
        nested = [t for m, t in trees.items() if m != k and t < pids]
        out[k] = pids.difference(*nested)
    return out


def agent_memory(f):
    """{node: (RSS kB, PSS kB, processes)} of the tool's own processes."""
    out = {}
    for n in f.nodes:
        pids = common.descendants(f.agent_pids(n)) - common.descendants(
            [f.postmaster_pid(n)])
        out[n] = (*common.memory_kb(pids), len(pids))
    return out


def control_memory(f):
    return {k: (*common.memory_kb(p), len(p))
            for k, p in own_sets(f.control_plane()).items()}


def idle_cpu(f):
    """% of one core over IDLE_WINDOW: the agents (without the Postgres
    they run), the control plane, the data nodes' Postgres (each with
    its children, reaped ones included)."""
    pms = f.data_postmasters()
    agents = [p for n in f.nodes for p in f.agent_pids(n)]
    control = [p for v in f.control_plane().values() for p in v]
    groups = {"agents": (agents, pms), "control plane": (control, []),
              "data nodes' Postgres": (pms, [])}
    res = common.idle_cpu_percent(groups, IDLE_WINDOW)
    res["total"] = sum(res.values())
    return res


def idle_run(cls):
    f = cls()
    try:
        setup = f.setup()
        time.sleep(5)  # settle: first checkpoints, slots, health checks
        return {"setup": setup, "agent_mem": agent_memory(f),
                "control_mem": control_memory(f), "cpu": idle_cpu(f),
                "settings": f.settings()}
    finally:
        f.teardown()


def report_fault(tool, scenario, i, runs, r):
    gap = "no write" if r["gap"] is None else f"{r['gap']:.2f} s"
    print(f"{tool} {scenario} {i + 1}/{runs}: setup {r['setup']:.1f} s, "
          f"gap {gap}, lost {r['lost']}, failed over {r['failed_over']}",
          flush=True)


def measure(runs, idle_runs):
    results = {}
    for cls in TOOLS:
        res = results[cls.tool] = {"faults": {}, "idle": []}
        for scenario in SCENARIOS:
            res["faults"][scenario] = []
            for i in range(runs):
                r = fault_run(cls, scenario)
                res["faults"][scenario].append(r)
                report_fault(cls.tool, scenario, i, runs, r)
        for i in range(idle_runs):
            r = idle_run(cls)
            res["idle"].append(r)
            print(f"{cls.tool} idle {i + 1}/{idle_runs}: setup "
                  f"{r['setup']:.1f} s, cpu {r['cpu']}, agents "
                  f"{r['agent_mem']}, control {r['control_mem']}",
                  flush=True)
    return results


def on_sigterm(signo, frame):
    sys.exit(128 + signo)  # unwinds through every teardown


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    idle_runs = min(runs, 3)
    signal.signal(signal.SIGTERM, on_sigterm)
    compare_install.ensure_packages()
    t0 = time.monotonic()
    results = measure(runs, idle_runs)
    print(f"measured in {(time.monotonic() - t0) / 60:.0f} min")
    compare_table.write(results, runs, idle_runs)
    for tool, res in results.items():
        gaps = [r["gap"] for r in res["faults"]["node"] if r["gap"]]
        if gaps:
            print(f"{tool}: whole-node crash, median gap "
                  f"{statistics.median(gaps):.2f} s")


if __name__ == "__main__":
    main()
