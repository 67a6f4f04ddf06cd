"""Real etcd members for tests: an EtcdCluster of one or more members on
free loopback ports, started through the harness (so that its cleanup
stops them by PID) as the harness's user, each member a Proc that a test
can kill, stop (SIGSTOP) or start again with its data kept; with tls (a
CA and a server certificate of tests/lib/certs.py) clients reach them
over https, and enable_auth turns etcd's authentication on."""

import base64
import json
import os
import secrets
import shutil
import ssl
import subprocess
import urllib.request

from harness import free_port, wait_until

ETCD = shutil.which("etcd") or "/usr/bin/etcd"


class EtcdCluster:
    def __init__(self, h, members=3, prefix="/pgkeel", tls=None):
        self.h = h
        self.prefix = prefix
        self.tls = tls
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
    def members(self):
        """host:port of every member, comma separated."""
        return ",".join(f"127.0.0.1:{self.client[n]}" for n in self.names)

    @property
    def uri(self):
        """The store URI naming every member."""
        return f"etcd://{self.members}{self.prefix}"

    def endpoint(self, name):
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.client[name]}"

    def pids(self):
        """The PIDs of the members alive."""
        return [p.pid for p in self.procs.values() if p.alive()]

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
            "--heartbeat-interval", "100", "--election-timeout", "1000",
            *(["--cert-file", self.tls["cert"]["crt"], "--key-file",
               self.tls["cert"]["key"]] if self.tls else [])])
        return self.procs[name]

    def healthy(self, name):
        """True when member name answers /health with health true."""
        try:
            context = ssl.create_default_context(
                cafile=self.tls["ca"]["crt"]) if self.tls else None
            with urllib.request.urlopen(self.endpoint(name) + "/health",
                                        timeout=1, context=context) as r:
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


    def etcdctl(self, *args, user=None, stdin=None):
        """etcdctl (API v3) on the members, as user ("name:password",
        passed in the environment: never on a command line)."""
        cmd = ["/usr/bin/etcdctl", "--endpoints", self.members]
        env = {"ETCDCTL_API": "3"}
        if user:
            env["ETCDCTL_USER"] = user
        cp = subprocess.run(cmd + list(args), capture_output=True,
                            text=True, timeout=30, input=stdin,
                            env=self.h.env(env))
        assert cp.returncode == 0, cp.stdout + cp.stderr
        return cp.stdout

    def enable_auth(self):
        """etcd's authentication on, with a root user whose password is in
        a private file: returns that file's path."""
        password = secrets.token_hex(16)
        self.etcdctl("user", "add", "root", "--interactive=false",
                     stdin=password + "\n")
        self.etcdctl("auth", "enable")
        path = self.h.path("root.pass")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(password + "\n")
        return path


def etcd_available():
    return os.path.exists(ETCD)


def both_stores(*etcd_marks):
    """For pytest.mark.parametrize("store", ...): the postgres store, and
    etcd (with etcd_marks besides) when etcd-server is installed."""
    import pytest
    return ["postgres", pytest.param("etcd", marks=[pytest.mark.skipif(
        not etcd_available(), reason="etcd-server is not installed"),
        *etcd_marks])]
