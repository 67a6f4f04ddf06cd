"""Patroni with etcd in the side-by-side benchmark (bench/compare.py): a
single-member etcd and two Patroni nodes on loopback, from Debian's
packages, with Patroni's default settings (an empty `bootstrap.dcs`
section: ttl, loop_wait, retry_timeout, synchronous_mode as shipped)."""

import json
import subprocess
import time
import urllib.request

from bare_pair import PG_BIN
from compare_common import Formation
from harness import free_port, wait_until

SCOPE = "bench"
SUPERUSER_PASSWORD = "bench-superuser"
REPLICATION_PASSWORD = "bench-replication"
DEFAULT_KEYS = ("ttl", "loop_wait", "retry_timeout", "synchronous_mode",
                "maximum_lag_on_failover", "failsafe_mode")


def version():
    out = subprocess.run(["patroni", "--version"], capture_output=True,
                         text=True).stdout.strip()
    etcd = subprocess.run(["etcd", "--version"], capture_output=True,
                          text=True).stdout.splitlines()[0].strip()
    return f"{out}, {etcd}"


def http_json(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


class PatroniFormation(Formation):
    tool = "Patroni"

    def setup(self):
        """etcd, then both Patroni nodes at once (they race for the
        leader key); the seconds until the leader has a streaming
        replica."""
        t0 = time.monotonic()
        self.start_etcd()
        self.rest = {}
        for n in ("a", "b"):
            self.nodes[n], self.rest[n] = free_port(), free_port()
            self.pgdata[n] = self.h.path(n)
            self.agents[n] = self.h.start(n, ["patroni",
                                              self.write_config(n)])
        leader = self.wait_streaming()
        elapsed = time.monotonic() - t0
        self.create_app_role(leader)
        return elapsed

    def start_etcd(self):
        client, peer = free_port(), free_port()
        self.etcd_port = client
        self.etcd = self.h.start("etcd", [
            "etcd", "--name", "bench", "--data-dir", self.h.mkdir("etcd"),
            "--listen-client-urls", f"http://127.0.0.1:{client}",
            "--advertise-client-urls", f"http://127.0.0.1:{client}",
            "--listen-peer-urls", f"http://127.0.0.1:{peer}",
            "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer}",
            "--initial-cluster", f"bench=http://127.0.0.1:{peer}",
            "--initial-cluster-state", "new"])
        wait_until(lambda: http_json(
            f"http://127.0.0.1:{client}/health")["health"] == "true",
            timeout=30, interval=0.1, what="etcd")

    def write_config(self, n):
        """The node's configuration (JSON, which is YAML too)."""
        port, rest = self.nodes[n], self.rest[n]
        hba = ["local all all peer",
               "host all all 127.0.0.1/32 scram-sha-256",
               "host replication replicator 127.0.0.1/32 scram-sha-256"]
        config = {
            "scope": SCOPE, "name": n,
            "restapi": {"listen": f"127.0.0.1:{rest}",
                        "connect_address": f"127.0.0.1:{rest}"},
            "etcd3": {"host": f"127.0.0.1:{self.etcd_port}"},
            "bootstrap": {"dcs": {}, "pg_hba": hba},
            "postgresql": {
                "listen": f"127.0.0.1:{port}",
                "connect_address": f"127.0.0.1:{port}",
                "data_dir": self.pgdata[n], "bin_dir": PG_BIN,
                "pgpass": self.h.path(f"pgpass-{n}"),
                "authentication": {
                    "superuser": {"username": "postgres",
                                  "password": SUPERUSER_PASSWORD},
                    "replication": {"username": "replicator",
                                    "password": REPLICATION_PASSWORD}},
                "parameters": {"unix_socket_directories":
                               self.h.mkdir("sock")}},
        }
        path = self.h.path(f"patroni-{n}.yml")
        with open(path, "w") as f:
            json.dump(config, f, indent=1)
        return path

    def superuser_dsn(self, node):
        return (f"host=127.0.0.1 port={self.nodes[node]} dbname=postgres "
                f"user=postgres password={SUPERUSER_PASSWORD} "
                "connect_timeout=2")

    def switchover(self, primary, standby):
        self.h.run(["patronictl", "-c", self.h.path("patroni-a.yml"),
                    "switchover", "--leader", primary, "--candidate",
                    standby, "--force", SCOPE])

    def control_plane(self):
        return {"etcd": [self.etcd.pid]}

    def settings(self):
        """The settings that decide failover, from the running cluster
        (the dynamic configuration in etcd, over Patroni's defaults)."""
        dynamic = http_json(f"http://127.0.0.1:{self.rest['a']}/config")
        defaults = json.loads(self.h.run([
            "/usr/bin/python3", "-c", "import json; from patroni.config "
            "import Config; print(json.dumps(Config._Config__DEFAULT_CONFIG"
            ", default=str))"]))
        values = {k: dynamic.get(k, defaults.get(k)) for k in DEFAULT_KEYS}
        return (
            "Patroni: a single-member etcd (v3 API) and two Patroni nodes, "
            "started together, `bootstrap.dcs` left empty; in effect: "
            + ", ".join(f"{k} {json.dumps(v)}" for k, v in values.items())
            + " (asynchronous replication).")
