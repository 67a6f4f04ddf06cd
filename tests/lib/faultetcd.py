"""The etcd store in the fault suite (FaultFormation(h, store="etcd")):
three etcd members e0, e1, e2 and two monitors of them, "monitor" and
"monitor2", each a host of the formation's Network (netns.py), so that a
test can cut a monitor or the data nodes off from some members or all.
Members listen on their own address only (client port 2379, peer port
2380); the test process reaches them through the client's namespace.
See docs/etcd.md."""

import json
import subprocess

from etcd import ETCD
from harness import wait_until

CLIENT_PORT, PEER_PORT = 2379, 2380
MEMBERS = ("e0", "e1", "e2")
MONITORS = ("monitor", "monitor2")
HEALTH = (
    "import json, sys, urllib.request\n"
    "with urllib.request.urlopen(sys.argv[1] + '/health', timeout=1) as r:\n"
    "    print(json.loads(r.read()).get('health'))\n")


class EtcdControlPlane:
    def __init__(self, f):
        """f: the FaultFormation being built (its network, harness, the
        monitor's host and the client's, which the operator uses)."""
        self.f = f
        self.members = {n: f.net.add_host(n) for n in MEMBERS}
        self.hosts = {"monitor": f.mon, "monitor2": f.net.add_host("monitor2")}
        self.uri = self._uri(MEMBERS)
        # The test's own CLI calls: each is a new handle that asks the
        # members in the URI's order, and a member cut off from the
        # majority (e0 in scenario 15) holds a read until the call's
        # time is out; the formation's processes keep theirs.
        self.operator_uri = self._uri(reversed(MEMBERS))
        self.procs = {}
        f.h.mkdir("etcd")
        for name in MEMBERS:
            self._start_member(name)
        for name in MEMBERS:
            wait_until(lambda: self.healthy(name), timeout=60,
                       what=f"etcd member {name} healthy")
        self.dirs = {}
        for name in MONITORS:
            self.dirs[name] = f.h.path(name)
            f._pgkeel_in(self.hosts[name], "create", "monitor", "--pgdata",
                         self.dirs[name], "--store", self.uri, "--hostname",
                         self.hosts[name].addr)
        self.monitors = {}
        self.start_monitor("monitor", "monitor active")
        self.start_monitor("monitor2", "standing by")

    def _uri(self, names):
        hosts = ",".join(f"{self.members[n].addr}:{CLIENT_PORT}"
                         for n in names)
        return f"etcd://{hosts}/pgkeel"

    def _start_member(self, name):
        host = self.members[name]
        url = f"http://{host.addr}"
        initial = ",".join(f"{n}=http://{m.addr}:{PEER_PORT}"
                           for n, m in self.members.items())
        self.procs[name] = self.f._run_in(host, f"etcd-{name}", [
            ETCD, "--name", name, "--data-dir", self.f.h.path("etcd", name),
            "--listen-client-urls", f"{url}:{CLIENT_PORT}",
            "--advertise-client-urls", f"{url}:{CLIENT_PORT}",
            "--listen-peer-urls", f"{url}:{PEER_PORT}",
            "--initial-advertise-peer-urls", f"{url}:{PEER_PORT}",
            "--initial-cluster", initial, "--initial-cluster-state", "new",
            "--initial-cluster-token", "pgkeel-faults",
            "--heartbeat-interval", "100", "--election-timeout", "1000"])

    def healthy(self, name):
        """True when member name says it is healthy (it has a leader),
        asked from the client's namespace."""
        cp = subprocess.run(self.f.client_host.exec_argv(
            ["/usr/bin/python3", "-c", HEALTH,
             f"http://{self.members[name].addr}:{CLIENT_PORT}"]),
            capture_output=True, text=True, timeout=30)
        return cp.returncode == 0 and cp.stdout.strip() == "true"

    def start_monitor(self, name, wait_for):
        """Runs monitor name in its namespace; waits until its log says
        wait_for ("monitor active", "standing by") once more."""
        log = self.monitors[name].log() if name in self.monitors else ""
        before = log.count(wait_for)
        proc = self.f._run_in(self.hosts[name], name, [
            self.f.h.binary, "run", "--pgdata", self.dirs[name]])
        self.monitors[name] = proc
        wait_until(lambda: proc.log().count(wait_for) > before,
                   what=f"{name}'s log to say {wait_for!r}")
        return proc

    # -- the monitors' lease, as the store shows it ---------------------------
    def listed(self):
        """`show monitors --json`: [{"name", "active", "term", ...}]."""
        return json.loads(self.f.operator("show", "monitors",
                                          "--json").stdout)

    def active(self):
        """(name of the active monitor, its term), or (None, 0)."""
        pids = {str(p.pid): n for n, p in self.monitors.items()}
        for m in self.listed():
            if m["active"]:
                return pids.get(m["name"].rsplit(":", 1)[-1]), m["term"]
        return None, 0
