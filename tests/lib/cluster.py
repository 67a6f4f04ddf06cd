"""A pgkeel formation for tests: a monitor and data nodes started through
the `pgkeel` binary as a user would, plus a client workload that records
every acknowledged commit."""

import json
import os
import shutil
import signal
import threading
import time
import urllib.parse

import psycopg2

from harness import free_port, wait_until

APP_USER = "app"
APP_PASSWORD = "app-secret"


class Cluster:
    """monitor_user runs the monitor as another account (root only), with
    its own directories, so that tests can cut its traffic alone. With
    store="etcd", the state lives in three etcd members (c.etcd) shared
    by two monitors (c.monitors: "monitor" and "monitor2"), of which one
    is active; store_params are parameters of its URI (docs/etcd.md),
    e.g. "lease_ttl=1"."""

    def __init__(self, h, extra_monitor_flags=(), monitor_user=None,
                 store="postgres", etcd_auth=False, store_params=""):
        self.h = h
        self.store = store
        if store == "etcd":
            self._etcd_monitors(extra_monitor_flags, etcd_auth,
                                store_params)
            return
        self.sock = h.mkdir("sock")
        self.mon_user = monitor_user
        if monitor_user:
            mon = h.mkdir("mon", user=monitor_user)
            self.mon_sock = h.mkdir("mon", "sock", user=monitor_user)
            self.mon_env = {"PGKEEL_HOME": h.mkdir("mon", "home",
                                                   user=monitor_user)}
            self.monitor_dir = os.path.join(mon, "monitor")
        else:
            self.mon_sock, self.mon_env = self.sock, None
            self.monitor_dir = h.path("monitor")
        self.monitor_port = free_port()
        self.nodes = {}
        self.mon_pgkeel("create", "monitor", "--pgdata", self.monitor_dir,
                        "--pgport", self.monitor_port, "--hostname",
                        "127.0.0.1", "--socket-directory", self.mon_sock,
                        *extra_monitor_flags)
        self.monitor = self.start_monitor()
        self.uri = self.mon_pgkeel("show", "uri", "--pgdata",
                                   self.monitor_dir,
                                   "--monitor").stdout.strip()
        if monitor_user:
            self.uri = self.operator_passfile_copy()

    def _etcd_monitors(self, extra_monitor_flags, auth, store_params=""):
        """etcd_auth: etcd's authentication on; the operator and the
        monitors are its root user (c.uri names the password file)."""
        from etcd import EtcdCluster
        self.sock = self.h.mkdir("sock")
        self.mon_user, self.mon_env, self.mon_sock = None, None, self.sock
        self.etcd = EtcdCluster(self.h)
        params = [store_params] if store_params else []
        if auth:
            passfile = self.etcd.enable_auth()
            if self.h.user:
                os.chown(passfile, self.h.user.pw_uid, self.h.user.pw_gid)
            params.append(f"user=root&passfile={passfile}")
        self.uri = self.etcd.uri + ("?" + "&".join(params) if params else "")
        self.nodes = {}
        self.monitors = {}
        self.monitor_http = {}  # each monitor's HTTP API port
        for name in ("monitor", "monitor2"):
            self.monitor_http[name] = free_port()
            self.h.pgkeel("create", "monitor", "--pgdata",
                          self.h.path(name), "--store", self.uri,
                          "--hostname", "127.0.0.1", "--http-port",
                          self.monitor_http[name], "--http-tls", "false",
                          *extra_monitor_flags)
        self.monitor_dir = self.h.path("monitor")
        self.monitor = self.start_monitor("monitor")
        self.start_monitor("monitor2", wait_active=False)

    def operator_passfile_copy(self):
        """The operator's URI with a copy of its passfile the test user
        can read, as an operator hands it to another machine."""
        parts = urllib.parse.urlsplit(self.uri)
        query = urllib.parse.parse_qs(parts.query)
        dst = self.h.path("operator.pgpass")
        shutil.copyfile(query["passfile"][0], dst)
        os.chmod(dst, 0o600)
        if self.h.user:
            os.chown(dst, self.h.user.pw_uid, self.h.user.pw_gid)
        query["passfile"] = [dst]
        return urllib.parse.urlunsplit(parts._replace(
            query=urllib.parse.urlencode(query, doseq=True)))

    def mon_pgkeel(self, *args, **kw):
        return self.h.pgkeel(*args, env=self.mon_env, user=self.mon_user,
                             **kw)

    def start_monitor(self, name="monitor", wait_active=True):
        """Runs the monitor (of an etcd store: the one named) and waits
        until it holds the lease, unless told not to."""
        pgdata = self.h.path(name) if self.store == "etcd" \
            else self.monitor_dir
        proc = self.h.start(name, ["pgkeel", "run", "--pgdata", pgdata],
                            env=self.mon_env, user=self.mon_user)
        if self.store == "etcd":
            self.monitors[name] = proc
        if name == "monitor":
            self.monitor = proc
        before = proc.log().count("monitor active")
        if wait_active:
            wait_until(lambda: proc.log().count("monitor active") > before,
                       what=f"{name} to take the lease")
        return proc

    def stop_monitor(self):
        self.h.stop(self.monitor)

    # -- data nodes -----------------------------------------------------
    def add_node(self, name, *flags, wait_state=None, pgdata=None):
        port = free_port()
        pgdata = pgdata or self.h.path(name)
        self.nodes[name] = {"port": port, "pgdata": pgdata, "flags": flags}
        self.nodes[name]["proc"] = self.h.start(name, [
            "pgkeel", "create", "postgres", "--pgdata", pgdata, "--pgport",
            port, "--hostname", "127.0.0.1", "--name", name, "--monitor",
            self.uri, "--socket-directory", self.sock, "--run", *flags])
        if wait_state:
            self.wait_state(name, wait_state)
        return self.nodes[name]

    def start_keeper(self, name):
        node = self.nodes[name]
        node["proc"] = self.h.start(
            name, ["pgkeel", "run", "--pgdata", node["pgdata"]])
        return node["proc"]

    def postmaster_pid(self, name):
        with open(f"{self.nodes[name]['pgdata']}/postmaster.pid") as f:
            return int(f.readline())

    def kill_node(self, name):
        """A whole-node crash: keeper and postmaster SIGKILLed at once."""
        pm = self.postmaster_pid(name)
        self.h.kill(self.nodes[name]["proc"])
        os.kill(pm, signal.SIGKILL)

    # -- state ------------------------------------------------------------
    def state(self):
        rows = json.loads(self.mon_pgkeel("show", "state", "--pgdata",
                                          self.monitor_dir, "--json").stdout)
        return {r["name"]: r for r in rows}

    def events(self):
        return json.loads(self.mon_pgkeel(
            "show", "events", "--pgdata", self.monitor_dir, "--count", "200",
            "--json").stdout)

    def wait_state(self, name, state, timeout=60):
        def reached():
            row = self.state().get(name)
            return row and row["current_state"] == state == \
                row["assigned_state"]
        wait_until(reached, timeout=timeout, what=f"{name} to reach {state}",
                   show=self.brief_state)

    def wait_assigned(self, expected, timeout=60):
        def reached():
            st = self.state()
            return all(st.get(n, {}).get("assigned_state") == s
                       for n, s in expected.items())
        wait_until(reached, timeout=timeout, what=f"assigned {expected}",
                   show=self.brief_state)

    def wait_states(self, expected, timeout=60):
        def reached():
            st = self.state()
            return all(st.get(n, {}).get("current_state") == s and
                       st[n]["assigned_state"] == s
                       for n, s in expected.items())
        wait_until(reached, timeout=timeout, what=f"states {expected}",
                   show=self.brief_state)

    def brief_state(self):
        """{name: (current, assigned)}, for messages at a timeout."""
        return {n: (r["current_state"], r["assigned_state"])
                for n, r in self.state().items()}

    def primary(self):
        for name, row in self.state().items():
            if row["assigned_state"] in ("single", "wait_primary",
                                         "primary"):
                return name
        return None

    def formation_uri(self):
        return self.mon_pgkeel("show", "uri", "--pgdata",
                               self.monitor_dir).stdout.strip()

    def monitor_sql(self, sql):
        """Runs SQL in the store as the monitor's owner, like an operator
        with psql on the monitor's machine."""
        return self.h.psql(self.mon_sock, self.monitor_port, sql,
                           db="pgkeel", user=self.mon_user)

    def show(self, name, param):
        """A Postgres parameter's value on node `name` (SHOW)."""
        return self.h.psql(self.sock, self.nodes[name]["port"],
                           f"SHOW {param}")

    def config(self, *args, check=True):
        """pgkeel config ... with the monitor's --pgdata."""
        return self.h.pgkeel("config", *args, "--pgdata", self.monitor_dir,
                             check=check)

    # -- clients ----------------------------------------------------------
    def create_app_user(self):
        """An application role with a password, created on the primary
        (it replicates): clients authenticate with scram over TCP."""
        primary = self.primary()
        self.h.psql(self.sock, self.nodes[primary]["port"],
                    f"CREATE ROLE {APP_USER} LOGIN PASSWORD "
                    f"'{APP_PASSWORD}'; GRANT ALL ON SCHEMA public TO "
                    f"{APP_USER}")

    def client_dsn(self, name=None, timeout=2):
        if name:
            hosts = f"host=127.0.0.1 port={self.nodes[name]['port']}"
        else:
            ports = ",".join(str(n["port"]) for n in self.nodes.values())
            hosts = (f"host={','.join(['127.0.0.1'] * len(self.nodes))} "
                     f"port={ports} target_session_attrs=read-write")
        return (f"{hosts} dbname=postgres user={APP_USER} "
                f"password={APP_PASSWORD} connect_timeout={timeout}")

    def connect(self, name=None):
        conn = psycopg2.connect(self.client_dsn(name))
        conn.autocommit = True
        return conn

    def sql(self, text, name=None):
        return query(self.client_dsn(name), text)


def query(dsn, text, **connect_kw):
    """Runs one statement on a new autocommit session; its rows, or None
    for a statement that returns none."""
    conn = psycopg2.connect(dsn, **connect_kw)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(text)
            return cur.fetchall() if cur.description else None
    finally:
        conn.close()


def two_node_formation(h, store="postgres", store_params="",
                       monitor_flags=()):
    """A monitor (of an etcd store: two), a primary `a` and a synchronous
    standby `b`, with an application role for clients."""
    c = Cluster(h, store=store, store_params=store_params,
                extra_monitor_flags=monitor_flags)
    c.add_node("a", wait_state="single")
    c.add_node("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    c.create_app_user()
    return c


def http_formation(h, *node_flags):
    """A monitor and nodes a (primary) and b (standby) with their HTTP
    APIs on; c.http maps "monitor", "a" and "b" to the ports."""
    mport = free_port()
    c = Cluster(h, extra_monitor_flags=("--http-port", mport))
    c.http = {"monitor": mport}
    for name in ("a", "b"):
        c.http[name] = free_port()
        c.add_node(name, "--http-port", c.http[name], *node_flags,
                   wait_state="single" if name == "a" else None)
    c.wait_states({"a": "primary", "b": "secondary"})
    c.create_app_user()
    return c


class Writer:
    """Inserts rows with increasing ids through the multi-host URI and
    records which commits were acknowledged and the longest gap between
    two acknowledged commits."""

    def __init__(self, cluster, table="acked", dsn=None):
        self.cluster = cluster
        self.table = table
        self.dsn = dsn  # default: the formation's multi-host URI
        self.acked = []
        self.ack_times = []
        self.errors = 0
        self._stop = threading.Event()
        cluster.sql(f"CREATE TABLE IF NOT EXISTS {table} "
                    "(id bigint PRIMARY KEY, at timestamptz DEFAULT now())")
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()
        wait_until(lambda: len(self.acked) >= 5, what="first writes")
        return self

    def _run(self):
        next_id = 1
        conn = None
        while not self._stop.is_set():
            try:
                if conn is None:
                    conn = (psycopg2.connect(self.dsn) if self.dsn
                            else self.cluster.connect())
                    conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute("SET statement_timeout = '3s'")
                    cur.execute(f"INSERT INTO {self.table} (id) VALUES (%s)",
                                (next_id,))
                self.acked.append(next_id)
                self.ack_times.append(time.monotonic())
                next_id += 1
            except psycopg2.Error:
                self.errors += 1
                next_id += 1  # the outcome of that id is unknown
                try:
                    conn.close()
                except Exception:
                    pass
                conn = None
                time.sleep(0.05)
            time.sleep(0.01)
        if conn is not None:
            conn.close()

    def wait_more(self, count=10, timeout=60):
        target = len(self.acked) + count
        wait_until(lambda: len(self.acked) >= target, timeout=timeout,
                   what=f"{count} more acknowledged writes")

    def stop(self):
        self._stop.set()
        self.thread.join(10)

    def max_gap(self):
        t = self.ack_times
        return max((b - a for a, b in zip(t, t[1:])), default=0.0)

    def missing_on(self, name=None):
        rows = self.cluster.sql(f"SELECT id FROM {self.table}", name)
        present = {r[0] for r in rows}
        return [i for i in self.acked if i not in present]
