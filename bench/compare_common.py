"""What the side-by-side benchmark (bench/compare.py) shares between the
three tools: the formation's common interface, the client's adapter, the
wait for a primary with a streaming standby, and the process trees whose
memory and CPU are counted.

Every formation lives in a Harness (tests/lib/harness.py): its own
temporary directory, loopback ports, processes run as the unprivileged
user, and a teardown that stops only the processes it started, by PID.
"""

import os
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

import psycopg2  # noqa: E402

from cluster import query  # noqa: E402,F401
from harness import (Harness, read_postmaster_pid,  # noqa: E402
                     wait_until)
from idle_cost import (children, own_time, reaped_time,  # noqa: E402
                       stat_fields)
from keeper_resources import proc_pss_kb, proc_rss_kb  # noqa: E402

APP_USER, APP_PASSWORD = "app", "app-secret"


def multi_host_dsn(ports, user=APP_USER, password=APP_PASSWORD, timeout=2):
    """A libpq URI over every node that lands on the writable one."""
    return (f"host={','.join(['127.0.0.1'] * len(ports))} "
            f"port={','.join(map(str, ports))} "
            "target_session_attrs=read-write dbname=postgres "
            f"user={user} password={password} connect_timeout={timeout}")




class DsnClient:
    """What tests/lib/cluster.py's Writer needs of a formation: `.sql()`
    through one DSN (the multi-host read-write one: the current primary,
    whichever node that is)."""

    def __init__(self, dsn):
        self.dsn = dsn

    def sql(self, sql, name=None):
        return query(self.dsn, sql)


PROBE_SQL = ("SELECT pg_is_in_recovery(), EXISTS (SELECT 1 FROM "
             "pg_stat_wal_receiver WHERE status = 'streaming')")


def descendants(roots):
    """The roots and every live process under them, each once."""
    seen, todo = set(), [p for p in roots if p]
    while todo:
        pid = todo.pop()
        if pid in seen or not os.path.exists(f"/proc/{pid}"):
            continue
        seen.add(pid)
        todo += children(pid)
    return seen


def memory_kb(pids):
    """(RSS, PSS) summed over pids, in kB."""
    rss = pss = 0
    for pid in pids:
        try:
            rss += proc_rss_kb(pid)
            pss += proc_pss_kb(pid)
        except OSError:
            pass
    return rss, pss


def cpu_snapshot(roots, excluded=()):
    """{pid: (ppid, own ticks, reaped children's ticks)} of the trees of
    roots, less the trees of excluded."""
    snap = {}
    for pid in descendants(roots) - descendants(excluded):
        try:
            snap[pid] = (int(stat_fields(pid)[1]), own_time(pid),
                         reaped_time(pid))
        except (OSError, IndexError):
            pass
    return snap


def cpu_ticks(before, after):
    """CPU ticks the trees spent between two snapshots: the processes'
    own time and that of the children they reaped (a child gone in the
    window is counted through its parent, minus what it had before)."""
    ticks = 0
    for pid, (_, own, reaped) in after.items():
        _, own0, reaped0 = before.get(pid, (0, 0, 0))
        ticks += own - own0 + reaped - reaped0
    for pid, (ppid, own0, reaped0) in before.items():
        if pid not in after and ppid in after:
            ticks -= own0 + reaped0
    return ticks


def idle_cpu_percent(groups, window):
    """{label: % of one core} over `window` seconds for each group of
    (root PIDs, excluded root PIDs), each with all its descendants."""
    before = {k: cpu_snapshot(*v) for k, v in groups.items()}
    t0 = time.monotonic()
    time.sleep(window)
    elapsed = time.monotonic() - t0
    tick = os.sysconf("SC_CLK_TCK")
    return {k: 100.0 * cpu_ticks(before[k], cpu_snapshot(*groups[k]))
            / tick / elapsed for k in groups}


class Formation:
    """A primary and a streaming standby on loopback, managed by one
    tool. Subclasses start it in setup() (returning the seconds until a
    primary has a streaming standby), filling nodes, pgdata and agents,
    and provide switchover() and control_plane(); this class provides
    the client side, the faults and the teardown."""

    tool = "?"

    def __init__(self):
        self.h = Harness(f"compare-{self.tool}")
        self.nodes = {}    # name: port
        self.pgdata = {}   # name: data directory
        self.agents = {}   # name: the harness's Proc of the tool's process

    @property
    def dsn(self):
        return multi_host_dsn(list(self.nodes.values()))

    def client(self):
        return DsnClient(self.dsn)

    def primary(self):
        """The node the read-write URI lands on."""
        port = query(self.dsn, "SELECT inet_server_port()")[0][0]
        return next(n for n, p in self.nodes.items() if p == port)

    def superuser_dsn(self, node):
        return (f"host=127.0.0.1 port={self.nodes[node]} dbname=postgres "
                "user=postgres connect_timeout=2")

    def probe(self, node):
        """(in recovery, its WAL receiver streaming) of node."""
        return tuple(query(self.superuser_dsn(node), PROBE_SQL)[0])

    def streaming_primary(self):
        """The primary, once the other node streams from it (a walsender
        on the primary alone could be pg_basebackup's); else None."""
        try:
            status = {n: self.probe(n) for n in self.nodes}
        except (psycopg2.Error, AssertionError):
            return None
        primaries = [n for n, (rec, _) in status.items() if not rec]
        standbys = [n for n, (rec, rcv) in status.items() if rec and rcv]
        return primaries[0] if len(primaries) == 1 and standbys else None

    def wait_streaming(self, timeout=180):
        """Waits for a primary with a streaming standby; returns it."""
        return wait_until(self.streaming_primary, timeout=timeout,
                          interval=0.1, what=f"{self.tool}: a primary with "
                          "a streaming standby")

    def create_app_role(self, node):
        """The client's role, created on the primary node; returns once
        it logs in on both nodes (libpq tries no other host after an
        authentication failure)."""
        query(self.superuser_dsn(node), f"CREATE ROLE {APP_USER} LOGIN "
              f"PASSWORD '{APP_PASSWORD}'; GRANT ALL ON SCHEMA public "
              f"TO {APP_USER}")
        wait_until(lambda: all(query(multi_host_dsn([p]).replace(
            "target_session_attrs=read-write", ""), "SELECT 1")
            for p in self.nodes.values()), timeout=30,
            what="the client's role on both nodes")

    def postmaster_pid(self, node):
        return read_postmaster_pid(self.pgdata[node])

    def kill_node(self, node):
        """A whole-node crash: the agent (with every process in its
        session) and the postmaster SIGKILLed at once."""
        pm = self.postmaster_pid(node)
        self.agents[node].signal_group(signal.SIGKILL)
        try:
            os.kill(pm, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.agents[node].popen.wait(10)

    def kill_postmaster(self, node):
        """A Postgres crash: the postmaster alone, backends left running."""
        os.kill(self.postmaster_pid(node), signal.SIGKILL)

    def agent_pids(self, node):
        """The tool's process on node (what it forks is found under it)."""
        return [self.agents[node].pid]

    def data_postmasters(self):
        return [self.postmaster_pid(n) for n in self.nodes]

    def teardown(self):
        try:
            self.h.cleanup()
        finally:
            self.h.remove()
