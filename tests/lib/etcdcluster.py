"""etcd members on loopback for the tests of the etcd store driver
(src/store/etcdstore.h): started by the harness (so stopped by PID with
the test), each ready once its /health answers."""

import json
import os
import secrets
import subprocess
import urllib.request

from harness import free_port, wait_until

ETCD = "/usr/bin/etcd"


def healthy(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health",
                                timeout=2) as r:
        return json.loads(r.read()).get("health") == "true"


class EtcdCluster:
    """n members on loopback ports, under the harness's directory."""

    def __init__(self, h, n=1):
        self.h = h
        self.names = [f"etcd{i}" for i in range(n)]
        self.client = [free_port() for _ in self.names]
        self.peer = [free_port() for _ in self.names]
        initial = ",".join(f"{name}=http://127.0.0.1:{port}"
                           for name, port in zip(self.names, self.peer))
        self.procs = []
        for name, cport, pport in zip(self.names, self.client, self.peer):
            self.procs.append(h.start(name, [
                ETCD, "--name", name, "--data-dir", h.mkdir(name),
                "--listen-client-urls", f"http://127.0.0.1:{cport}",
                "--advertise-client-urls", f"http://127.0.0.1:{cport}",
                "--listen-peer-urls", f"http://127.0.0.1:{pport}",
                "--initial-advertise-peer-urls", f"http://127.0.0.1:{pport}",
                "--initial-cluster", initial,
                "--initial-cluster-state", "new"]))
        for port in self.client:
            wait_until(lambda: healthy(port), timeout=60,
                       what=f"etcd on port {port} to be healthy")

    def members(self):
        return ",".join(f"127.0.0.1:{p}" for p in self.client)

    def uri(self, prefix="/pgkeel"):
        return f"etcd://{self.members()}{prefix}"

    def pids(self):
        return [p.pid for p in self.procs if p.alive()]

    def etcdctl(self, *args, user=None):
        cmd = ["/usr/bin/etcdctl", "--endpoints", self.members()]
        if user:
            cmd += ["--user", user]
        cp = subprocess.run(cmd + list(args), capture_output=True,
                            text=True, timeout=30,
                            env=self.h.env({"ETCDCTL_API": "3"}))
        assert cp.returncode == 0, cp.stdout + cp.stderr
        return cp.stdout

    def enable_auth(self):
        """etcd's authentication on, with a root user whose password is in
        a private file: returns that file's path."""
        password = secrets.token_hex(16)
        self.etcdctl("user", "add", "root",
                     f"--new-user-password={password}")
        self.etcdctl("auth", "enable")
        path = self.h.path("root.pass")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(password + "\n")
        return path
