"""The resources of an idle primary's keeper: resident and proportional
memory and CPU, median of 3 runs, written to docs/benchmarks.md.

    /usr/bin/python3 bench/keeper_resources.py      (part of make bench)
"""

import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

from cluster import two_node_formation  # noqa: E402
from harness import Harness  # noqa: E402
from report import write_section  # noqa: E402


def proc_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def proc_pss_kb(pid):
    """Proportional set size: shared pages divided among their users."""
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def proc_cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def keeper_resources(seconds=20):
    """RSS, PSS and CPU of an idle primary's keeper over `seconds`."""
    h = Harness("bench-res")
    try:
        c = two_node_formation(h)
        pid = c.nodes["a"]["proc"].pid
        time.sleep(2)
        t0, c0 = time.monotonic(), proc_cpu_ticks(pid)
        time.sleep(seconds)
        cpu = (proc_cpu_ticks(pid) - c0) / os.sysconf("SC_CLK_TCK")
        return (proc_rss_kb(pid), proc_pss_kb(pid),
                100.0 * cpu / (time.monotonic() - t0))
    finally:
        h.cleanup()
        h.remove()


def main(runs=3):
    res = [keeper_resources() for _ in range(runs)]
    rss_kb = statistics.median(r[0] for r in res)
    pss_kb = statistics.median(r[1] for r in res)
    cpu_pct = statistics.median(r[2] for r in res)
    print(f"idle keeper: {rss_kb} kB resident, {pss_kb} kB proportional, "
          f"{cpu_pct:.2f} % of a core")
    write_section("## Keeper resources", "\n".join([
        "Method: the keeper of an idle primary (with one synchronous "
        "standby) is watched for 20 s after the formation settled: "
        "resident memory from /proc/PID/status (VmRSS), CPU from "
        "/proc/PID/stat (user + system time), proportional memory (PSS: "
        "each shared page divided among the processes that map it, so "
        "shared libraries count once across the machine) from "
        "/proc/PID/smaps_rollup. Median of 3 runs.",
        "",
        "| measure | median | target |",
        "|---|---|---|",
        f"| resident memory (RSS) | {rss_kb / 1024:.1f} MB | 4 MB |",
        f"| proportional memory (PSS) | {pss_kb / 1024:.1f} MB | 2 MB |",
        f"| CPU while idle | {cpu_pct:.2f} % of a core | 0.1 % |",
        "",
        "The keeper wakes every keeper_interval (500 ms): it observes "
        "Postgres on one local connection it keeps from cycle to cycle "
        "(prepared statements), reports, and reads its formation.",
        "",
        "What stays is mostly the libraries' own: libpq's two connections "
        "and OpenSSL's state for the store's TLS connection (its "
        "algorithm tables, about 300 kB of heap, and libcrypto's "
        "relocated data, about 400 kB), GnuTLS and p11-kit, which libpq's "
        "LDAP library brings (about 100 kB of heap from GnuTLS's start "
        "and their relocated data), and the formation as last read "
        "(100 kB). Before, the table said 4.2 MB, and the same keeper "
        "measured once back to back with this one 5.2 MB against 3.4 MB "
        "(PSS depends on how many other processes share the libraries' "
        "pages at the time): the keeper's structure "
        "lived on the stack (480 kB resident; on the heap now, its four "
        "hook queues untouched until a hook is queued), glibc's compiled "
        "form of the host pattern held about 700 kB of heap (hosts and "
        "names are checked by hand now, held to the patterns by "
        "tests/unit/test_idents.c), and the binary linked libsystemd, "
        "libcurl and libmicrohttpd with their dependencies, which a "
        "keeper of a Postgres store without an HTTP API never uses "
        "(sd_notify is one datagram now; libcurl and libmicrohttpd are "
        "loaded when first used, src/common/dynlib.h). The 2 MB target "
        "is not met: what remains comes with libpq as Debian builds it "
        "(OpenSSL, GSSAPI, LDAP with GnuTLS) and the TLS connection to "
        "the store.",
    ]))


if __name__ == "__main__":
    main()
