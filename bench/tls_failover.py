"""What TLS costs a failover: the whole-node crash of bench/run.py on a
formation with TLS (the default: self-signed certificates, every
connection encrypted) and on one made with --no-ssl, the two kinds of run
alternating so that the machine's state weighs on both alike. The
medians and their difference go to docs/benchmarks.md, section "Failover
over TLS"; the target is a difference of at most 0.3 s.

    /usr/bin/python3 bench/tls_failover.py [RUNS]
"""

import statistics
import sys

from run import run_once, whole_node_crash
from report import write_section

from cluster import Cluster  # noqa: E402 (run.py set sys.path)

TARGET_S = 0.3


def formation(*flags):
    def make(h):
        c = Cluster(h, extra_monitor_flags=flags)
        c.add_node("a", *flags, wait_state="single")
        c.add_node("b", *flags)
        c.wait_states({"a": "primary", "b": "secondary"})
        c.create_app_user()
        return c
    return make


KINDS = [("TLS (default, self-signed)", formation()),
         ("no TLS (--no-ssl)", formation("--no-ssl"))]


def main(runs=5):
    gaps = {name: [] for name, _ in KINDS}
    lost = {name: 0 for name, _ in KINDS}
    for i in range(runs):
        for name, make in KINDS:
            gap, missing, _ = run_once(whole_node_crash, make)
            gaps[name].append(gap)
            lost[name] += missing
            print(f"whole-node crash, {name}: run {i + 1}/{runs}: writes "
                  f"back after {gap:.2f} s, {missing} acknowledged rows "
                  "missing", flush=True)
    med = {name: statistics.median(g) for name, g in gaps.items()}
    tls, plain = (med[name] for name, _ in KINDS)
    print(f"TLS costs the failover {tls - plain:+.2f} s "
          f"(target at most {TARGET_S} s)")
    lines = [
        "Method: the whole-node crash above (keeper and postmaster of the "
        "primary SIGKILLed, a client writing through the multi-host URI), "
        "on a formation with TLS as `create` sets it up by default and on "
        "one made with `--no-ssl` everywhere; the two alternate, "
        f"{runs} runs each, a fresh formation per run. "
        "bench/tls_failover.py.",
        "",
        "| formation | median | min | max | acknowledged rows lost |",
        "|---|---|---|---|---|",
    ]
    for name, _ in KINDS:
        g = gaps[name]
        lines.append(f"| {name} | {med[name]:.2f} s | {min(g):.2f} s | "
                     f"{max(g):.2f} s | {lost[name]} |")
    lines += ["", f"Difference of the medians: {tls - plain:+.2f} s "
              f"(target: at most {TARGET_S} s)."]
    write_section("## Failover over TLS", "\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
