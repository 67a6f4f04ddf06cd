"""A pgkeel formation spread over network namespaces, for the fault
suite: a monitor, data nodes n1..nN and a client, each a "host" of a
Network (netns.py). Every node uses port 5432 on its own address; the
test process talks to each Postgres through its Unix socket (sockets
ignore network namespaces), and to the formation only through pgkeel's
CLI.

The client (tests/faults/client.py) writes through the multi-host URI
from its own namespace; check() then verifies the guarantees of
docs/guarantees.md."""

import json
import os
import signal
import subprocess
import time

from faultetcd import EtcdControlPlane
from harness import wait_until
from netns import Network

PORT = 5432
HTTP_PORT = 8008
APP_USER, APP_PASSWORD = "app", "app-secret"
FAULTS = os.path.join(os.path.dirname(__file__), "..", "faults")
CLIENT = os.path.join(FAULTS, "client.py")
RELAY = os.path.join(FAULTS, "delay_relay.py")
RELAY_PORT = 7999
# One TCP round trip to a Postgres server, before any login: an
# SSLRequest and its one-byte answer; prints the seconds it took.
ROUND_TRIP = (
    "import socket, sys, time\n"
    "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), 10)\n"
    "t = time.monotonic()\n"
    "s.sendall(bytes([0, 0, 0, 8, 4, 210, 22, 47]))\n"
    "s.recv(1)\n"
    "print(time.monotonic() - t)\n")


def descendants(pid):
    """pid and every process below it (by parent links in /proc)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def signal_all(pids, signo):
    for p in pids:
        try:
            os.kill(p, signo)
        except ProcessLookupError:
            pass


def small_disk(h, name, size_mb):
    """A tmpfs of size_mb mounted for the test (unmounted after it), with
    a data directory path inside, owned by the test user."""
    mnt = h.mkdir(name)
    cp = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m",
                         "tmpfs", mnt], capture_output=True, text=True)
    assert cp.returncode == 0, cp.stderr
    h.mounts = getattr(h, "mounts", []) + [mnt]
    h.mkdir(name)  # owner and mode again, on the mounted filesystem
    os.chmod(mnt, 0o700)
    return os.path.join(mnt, "data")


def fill(directory, leave_mb=0, name="filler"):
    """Writes a file until the filesystem is full, or has only leave_mb
    free (as root)."""
    st = os.statvfs(directory)
    free_mb = st.f_bavail * st.f_frsize // (1024 * 1024)
    count = [f"count={free_mb - leave_mb}"] if leave_mb else []
    cp = subprocess.run(["dd", "if=/dev/zero", f"of={directory}/{name}",
                         "bs=1M", *count], capture_output=True, text=True)
    assert leave_mb or "No space left" in cp.stderr, cp.stderr


def listening_ports(host):
    out = subprocess.run(host.exec_argv(["ss", "-Hltn"]), text=True,
                         capture_output=True).stdout
    return {int(ln.split()[3].rsplit(":", 1)[1]) for ln in
            out.splitlines() if ln.strip()}


class FaultFormation:
    def __init__(self, h, standbys=2, node_flags=(), pgdata=None,
                 store="postgres"):
        """pgdata: {node name: data directory} for nodes that need one
        in a special place (a small disk). store="etcd": three etcd
        members and two monitors instead of one monitor with its own
        Postgres (self.etcd, faultetcd.py); self.mon is then the host of
        the monitor that starts active."""
        self.h = h
        self.store = store
        self.pgdata = pgdata or {}
        self.net = Network()
        h.networks = getattr(h, "networks", []) + [self.net]
        self.mon = self.net.add_host("monitor")
        self.client_host = self.net.add_host("client")
        self.node_flags = node_flags
        self.nodes = {}
        self.client = None
        if store == "etcd":
            self.etcd = EtcdControlPlane(self)
            self.uri = self.etcd.uri
            self.monitor = self.etcd.monitors["monitor"]
            # the monitors' health checks come from their own addresses
            net = self.mon.addr.rsplit(".", 1)[0] + ".0/24"
            self.node_flags = ("--hba-network", net, *node_flags)
        else:
            self._create_monitor()
        self.add_node("n1", wait_state="single")
        self._admit_client("n1")  # standbys clone pg_hba.conf with it
        for i in range(standbys):
            self.add_node(f"n{i + 2}")
        self.wait_healthy()
        self.sql_on(self.primary(),
                    f"CREATE ROLE {APP_USER} LOGIN PASSWORD '{APP_PASSWORD}';"
                    f" GRANT ALL ON SCHEMA public TO {APP_USER}")
        self.sql_on(self.primary(), "CREATE TABLE acked (id bigint PRIMARY "
                    "KEY, at timestamptz DEFAULT now())")
        self.sql_on(self.primary(), f"GRANT ALL ON acked TO {APP_USER}")

    # -- processes ------------------------------------------------------------
    def _run_in(self, host, name, argv):
        return self.h.start(name, host.exec_argv(argv, user=self.h.user),
                            as_root=True)

    def _pgkeel_in(self, host, *args):
        cp = subprocess.run(host.exec_argv([self.h.binary, *args],
                                           user=self.h.user),
                            capture_output=True, text=True,
                            env=self.h.env(), cwd=self.h.root, timeout=120)
        assert cp.returncode == 0, cp.stdout + cp.stderr
        return cp

    def _create_monitor(self):
        self.mon_dir = self.h.path("monitor")
        self.mon_sock = self.h.mkdir("monitor-sock")
        net = self.mon.addr.rsplit(".", 1)[0] + ".0/24"
        self._pgkeel_in(self.mon, "create", "monitor", "--pgdata",
                        self.mon_dir, "--pgport", PORT, "--hostname",
                        self.mon.addr, "--socket-directory", self.mon_sock,
                        "--hba-network", net, "--http-port", HTTP_PORT,
                        "--http-listen", self.mon.addr)
        self.start_monitor()
        self.uri = self.h.pgkeel("show", "uri", "--monitor", "--pgdata",
                                 self.mon_dir).stdout.strip()

    def start_monitor(self):
        self.monitor = self._run_in(self.mon, "monitor",
                                    [self.h.binary, "run", "--pgdata",
                                     self.mon_dir])
        wait_until(lambda: "monitor active" in self.monitor.log(),
                   what="the monitor to take the lease")

    def add_node(self, name, wait_state=None):
        host = self.net.add_host(name)
        node = {"host": host,
                "pgdata": self.pgdata.get(name, self.h.path(name)),
                "sock": self.h.mkdir(f"{name}-sock")}
        self.nodes[name] = node
        node["proc"] = self._run_in(host, name, [
            self.h.binary, "create", "postgres", "--pgdata", node["pgdata"],
            "--pgport", PORT, "--hostname", host.addr, "--name", name,
            "--monitor", self.uri, "--socket-directory", node["sock"],
            "--http-port", HTTP_PORT, "--http-listen", host.addr,
            *self.node_flags, "--run"])
        if wait_state:
            self.wait_states({name: wait_state})
        return node

    def _admit_client(self, name):
        path = os.path.join(self.nodes[name]["pgdata"], "pg_hba.conf")
        with open(path, "a") as f:
            f.write(f"host all {APP_USER} {self.client_host.addr}/32 "
                    "scram-sha-256\n")
        self.sql_on(name, "SELECT pg_reload_conf()")

    def start_keeper(self, name):
        node = self.nodes[name]
        node["proc"] = self._run_in(node["host"], name, [
            self.h.binary, "run", "--pgdata", node["pgdata"]])

    def postmaster_pid(self, name):
        with open(os.path.join(self.nodes[name]["pgdata"],
                               "postmaster.pid")) as f:
            return int(f.readline())

    def node_pids(self, name):
        """The keeper and everything below it (Postgres included: the
        keeper is its subreaper)."""
        pids = descendants(self.nodes[name]["proc"].pid)
        try:
            pm = self.postmaster_pid(name)
            pids += [p for p in descendants(pm) if p not in pids]
        except (OSError, ValueError):
            pass
        return pids

    def crash_node(self, name):
        """Whole-node crash: every process of the node SIGKILLed."""
        signal_all(self.node_pids(name), signal.SIGKILL)
        self.nodes[name]["proc"].popen.wait(10)

    def freeze(self, name):
        pids = self.node_pids(name)
        signal_all(pids, signal.SIGSTOP)
        return pids

    def thaw(self, pids):
        signal_all(pids, signal.SIGCONT)

    def delay(self, name, delay_ms):
        """Adds delay_ms in each direction to every TCP connection of the
        node, through a relay in its namespace; returns the relay."""
        host = self.nodes[name]["host"]
        # relayed connections come from the node's own address
        path = os.path.join(self.nodes[name]["pgdata"], "pg_hba.conf")
        with open(path, "a") as f:
            f.write(f"host all,replication all {host.addr}/32 "
                    "scram-sha-256\n")
        self.sql_on(name, "SELECT pg_reload_conf()")
        relay = self.h.start(f"relay-{name}", host.exec_argv(
            ["/usr/bin/python3", RELAY, RELAY_PORT, delay_ms]), as_root=True)
        wait_until(lambda: RELAY_PORT in listening_ports(host),
                   what="the relay to listen")
        host.redirect_tcp(RELAY_PORT, self.h.user.pw_uid)
        # connections to its Postgres (clients, standbys, the monitor's
        # checks) come again through the relay; its keeper's connection
        # to the store stays (new ones take the delay: with TLS, a login
        # over 200 ms round trips takes longer than the default
        # store_timeout, see docs/configuration.md)
        host.reset_connections(PORT)
        rtt = self.round_trip(name)
        assert rtt >= 2 * delay_ms / 1000 * 0.9, \
            f"the relay does not delay: a round trip took {rtt:.3f} s"
        return relay

    def round_trip(self, name):
        """Seconds for a TCP round trip from the monitor's host to node
        name's Postgres."""
        cp = subprocess.run(self.mon.exec_argv(
            ["/usr/bin/python3", "-c", ROUND_TRIP,
             self.nodes[name]["host"].addr, PORT]),
            capture_output=True, text=True, timeout=30)
        assert cp.returncode == 0, cp.stderr
        return float(cp.stdout)

    # -- state ----------------------------------------------------------------
    def operator(self, *args):
        """pgkeel's CLI as the operator runs it: with the monitor's
        directory, or with the etcd URI from the client's namespace (the
        members listen there only)."""
        if self.store == "etcd":
            return self._pgkeel_in(self.client_host, *args, "--monitor",
                                   self.etcd.operator_uri)
        return self.h.pgkeel(*args, "--pgdata", self.mon_dir)

    def state(self):
        rows = json.loads(self.operator("show", "state", "--json").stdout)
        return {r["name"]: r for r in rows}

    def events(self):
        return json.loads(self.operator("show", "events", "--count", "1000",
                                        "--json").stdout)

    def promotions(self):
        return [e for e in self.events()
                if e["old_state"] == "prepare_promotion"
                and e["new_state"] in ("wait_primary", "primary")]

    def wait_failover_from(self, old, what="a failover"):
        """Waits until a node other than old is assigned the primary."""
        wait_until(lambda: self.primary() not in (None, old), what=what)

    def no_failover_for(self, seconds, primary):
        """Holds for `seconds` that nobody was promoted and that primary
        is still the primary."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.promotions() == [], "a standby was promoted"
            time.sleep(0.5)
        assert self.primary() == primary

    def wait_states(self, expected, timeout=60):
        def reached():
            s = self.state()
            return all(n in s and s[n]["current_state"] == st
                       and s[n]["assigned_state"] == st
                       for n, st in expected.items())
        wait_until(reached, timeout=timeout,
                   what=f"states {expected}", show=lambda: {
                       n: r["current_state"] for n, r in self.state().items()})

    def wait_healthy(self, timeout=60):
        """One primary, every other node a secondary, all settled."""
        def healthy():
            s = self.state()
            states = sorted(r["current_state"] for r in s.values()
                            if r["current_state"] == r["assigned_state"])
            return len(states) == len(self.nodes) and states == sorted(
                ["primary"] + ["secondary"] * (len(self.nodes) - 1))
        wait_until(healthy, timeout=timeout,
                   what="one primary and in-sync standbys",
                   show=lambda: {n: (r["current_state"], r["assigned_state"])
                                 for n, r in self.state().items()})

    def primary(self):
        for name, r in self.state().items():
            if r["assigned_state"] in ("single", "wait_primary", "primary"):
                return name
        return None

    def sql_on(self, name, sql):
        return self.h.psql(self.nodes[name]["sock"], PORT, sql)

    # -- the client -----------------------------------------------------------
    def start_client(self):
        hosts = ",".join(n["host"].addr for n in self.nodes.values())
        ports = ",".join([str(PORT)] * len(self.nodes))
        dsn = (f"host={hosts} port={ports} target_session_attrs=read-write "
               f"dbname=postgres user={APP_USER} password={APP_PASSWORD} "
               f"connect_timeout=2")
        self.acks_path = os.path.join(self.h.mkdir("client"), "acks")
        self.client = self._run_in(self.client_host, "client", [
            "/usr/bin/python3", CLIENT, dsn, "acked", self.acks_path])
        wait_until(lambda: len(self.acks()) >= 10, what="first writes")

    def acks(self):
        """[(id, time, server)] of the acknowledged commits so far."""
        try:
            with open(self.acks_path) as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return []
        out = []
        for ln in lines:
            parts = ln.split()
            if len(parts) == 3:
                out.append((int(parts[0]), float(parts[1]), parts[2]))
        return out

    def wait_writes(self, count=10, timeout=60):
        target = len(self.acks()) + count
        wait_until(lambda: len(self.acks()) >= target, timeout=timeout,
                   what=f"{count} more acknowledged writes")

    def stop_client(self):
        self.h.stop(self.client)

    # -- the checker ----------------------------------------------------------
    def check(self, scenario, converge_timeout=60):
        """The guarantees (docs/guarantees.md) after a fault healed: the formation is back
        to one primary with in-sync standbys within converge_timeout;
        every acknowledged commit is on the primary; every node holds
        exactly the primary's rows (no divergent history survived); and
        no two nodes took acknowledged writes in turn more often than
        there were promotions. Prints the client's write downtime."""
        self.wait_healthy(timeout=converge_timeout)
        self.wait_writes(5)
        self.stop_client()
        acks = self.acks()
        primary = self.primary()
        rows = self._ids_on(primary)
        lost = [i for i, _, _ in acks if i not in rows]
        assert lost == [], f"{len(lost)} acknowledged writes lost: {lost[:10]}"
        for name in self.nodes:
            if name != primary:
                self._wait_same_rows(name, rows)
        runs = 1 + sum(1 for a, b in zip(acks, acks[1:]) if a[2] != b[2])
        assert runs <= 1 + len(self.promotions()), \
            f"writes acknowledged by {runs} runs of servers, " \
            f"{len(self.promotions())} promotions: two primaries at once?"
        gap = max((b[1] - a[1] for a, b in zip(acks, acks[1:])), default=0)
        print(f"\n{scenario}: {len(acks)} writes acknowledged, none lost; "
              f"longest write gap {gap:.2f} s")
        return gap

    def _ids_on(self, name):
        out = self.sql_on(name, "SELECT id FROM acked")
        return {int(x) for x in out.split()} if out else set()

    def _wait_same_rows(self, name, rows):
        wait_until(lambda: self._ids_on(name) == rows, timeout=30,
                   what=f"{name} to hold exactly the primary's rows",
                   show=lambda: len(self._ids_on(name) ^ rows))
