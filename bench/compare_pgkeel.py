"""pgkeel in the side-by-side benchmark (bench/compare.py): a monitor and
two data nodes on loopback with default settings, started as in
tests/lib/cluster.py (`pgkeel create monitor`, then `pgkeel create
postgres --run` for each node)."""

import subprocess
import time

from compare_common import PROBE_SQL, Formation
from cluster import Cluster
from harness import BINARY, read_postmaster_pid

SETTINGS = (
    "pgkeel: a monitor (with its own Postgres) and two data nodes, each "
    "with its keeper; defaults: TLS on, keeper_interval 500ms, "
    "monitor_interval 250ms, node_down_timeout 3s, the standby "
    "synchronous (in synchronous_standby_names on the primary, removed "
    "from it when the standby is down). Node `a` is created first and "
    "`b` once `a` is primary.")


def version():
    out = subprocess.run([BINARY, "--version"], capture_output=True,
                         text=True).stdout.strip()
    return out.splitlines()[0] if out else "pgkeel"


class PgkeelFormation(Formation):
    tool = "pgkeel"

    def setup(self):
        t0 = time.monotonic()
        self.c = c = Cluster(self.h)
        c.add_node("a", wait_state="single")
        c.add_node("b")
        for n in ("a", "b"):
            self.nodes[n] = c.nodes[n]["port"]
            self.pgdata[n] = c.nodes[n]["pgdata"]
            self.agents[n] = c.nodes[n]["proc"]
        self.wait_streaming()
        elapsed = time.monotonic() - t0
        c.wait_states({"a": "primary", "b": "secondary"})
        c.create_app_user()
        return elapsed

    def probe(self, node):
        """Through the Unix socket: superuser by peer authentication."""
        out = self.h.psql(self.c.sock, self.nodes[node], PROBE_SQL)
        return tuple(v == "t" for v in out.split("|"))

    def switchover(self, primary, standby):
        self.h.pgkeel("perform", "switchover", "--pgdata",
                      self.c.monitor_dir)

    def settings(self):
        return SETTINGS

    def control_plane(self):
        return {"monitor": [self.c.monitor.pid],
                "monitor's Postgres": [read_postmaster_pid(
                    self.c.monitor_dir)]}
