"""Real etcd members for tests: an EtcdCluster of one or more members on
free loopback ports, started through the harness (so that its cleanup
stops them by PID) as the harness's user, each member a Proc that a test
can kill, stop (SIGSTOP) or start again with its data kept."""

import base64
import json
import os
import shutil
import urllib.request

from harness import free_port, wait_until

ETCD = shutil.which("etcd") or "/usr/bin/etcd"


class EtcdCluster:
    def __init__(self, h, members=3, prefix="/pgkeel"):
        self.h = h
        self.prefix = prefix
        self.names = [f"e{i}" for i in range(members)]
        self.client = {n: free_port() for n in self.names}
        self.peer = {n: free_port() for n in self.names}
        self.procs = {}
        self.initial = ",".join(f"{n}=http://127.0.0.1:{self.peer[n]}"
                                for n in self.names)
        for n in self.names:
            self.start(n, state="new")
        self.wait_healthy(self.names)

    @property
    def uri(self):
        """The store URI naming every member."""
        hosts = ",".join(f"127.0.0.1:{self.client[n]}" for n in self.names)
        return f"etcd://{hosts}{self.prefix}"

    def endpoint(self, name):
        return f"http://127.0.0.1:{self.client[name]}"

    def start(self, name, state="existing"):
        """Starts member name (again: its data directory is kept)."""
        self.h.mkdir("etcd")
        data = self.h.path("etcd", name)  # etcd makes it, mode 0700
        self.procs[name] = self.h.start(f"etcd-{name}", [
            ETCD, "--name", name, "--data-dir", data,
            "--listen-client-urls", self.endpoint(name),
            "--advertise-client-urls", self.endpoint(name),
            "--listen-peer-urls", f"http://127.0.0.1:{self.peer[name]}",
            "--initial-advertise-peer-urls",
            f"http://127.0.0.1:{self.peer[name]}",
            "--initial-cluster", self.initial,
            "--initial-cluster-state", state,
            "--initial-cluster-token", "pgkeel-test",
            "--heartbeat-interval", "100", "--election-timeout", "1000"])
        return self.procs[name]

    def healthy(self, name):
        """True when member name answers /health with health true."""
        try:
            with urllib.request.urlopen(self.endpoint(name) + "/health",
                                        timeout=1) as r:
                return json.loads(r.read()).get("health") == "true"
        except (OSError, ValueError):
            return False

    def wait_healthy(self, names, timeout=30):
        wait_until(lambda: all(self.healthy(n) for n in names),
                   timeout=timeout, what=f"etcd members {names} healthy")

    def kill(self, name):
        """SIGKILL of member name."""
        self.h.kill(self.procs[name])

    def get(self, key):
        """The value of key (under the prefix) as text, or None; read
        through the first member that answers (auth off)."""
        body = json.dumps({"key": base64.b64encode(
            (self.prefix + key).encode()).decode()}).encode()
        for n in self.names:
            try:
                req = urllib.request.Request(
                    self.endpoint(n) + "/v3/kv/range", data=body,
                    headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(req, timeout=2) as r:
                    kvs = json.loads(r.read()).get("kvs") or []
                    return (base64.b64decode(kvs[0]["value"]).decode()
                            if kvs else None)
            except OSError:
                continue
        return None


def etcd_available():
    return os.path.exists(ETCD)
