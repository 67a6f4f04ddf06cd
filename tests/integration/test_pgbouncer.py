"""pgBouncer in front of a formation (docs/pgbouncer.md): the keepers keep
its pool pointed at the primary; a switchover pauses the pool, so that
its clients see a delay and no error; after a whole-node crash writes
through the pool come back once the new primary is promoted; a pause left
behind by a keeper killed mid-way is resumed. pgBouncer runs as a child
of the test, on a free loopback port, with its own files."""

import os
import secrets
import signal
import time

import psycopg2

from cluster import (APP_PASSWORD, APP_USER, Cluster, Writer, http_formation,
                     query)
from harness import free_port, wait_until

PGBOUNCER = "/usr/sbin/pgbouncer"
HAPROXY = "/usr/sbin/haproxy"
ADMIN = "pgb_admin"


class Bouncer:
    """A pgBouncer with an admin user whose password is only in a 0600
    auth_file and a 0600 passfile, and a [databases] file it includes."""

    def __init__(self, h):
        self.h = h
        self.port = free_port()
        self.dir = h.mkdir("pgbouncer")
        self.databases = os.path.join(self.dir, "databases.ini")
        self.passfile = os.path.join(self.dir, "admin.pgpass")
        self.ini = os.path.join(self.dir, "pgbouncer.ini")
        password = secrets.token_hex(12)
        self._write(os.path.join(self.dir, "users.txt"),
                    f'"{ADMIN}" "{password}"\n'
                    f'"{APP_USER}" "{APP_PASSWORD}"\n', 0o600)
        self._write(self.passfile, f"127.0.0.1:{self.port}:pgbouncer:"
                    f"{ADMIN}:{password}\n", 0o600)
        self.admin_uri = (f"postgres://{ADMIN}@127.0.0.1:{self.port}/"
                          f"pgbouncer?passfile={self.passfile}")
        self.proc = None

    def _write(self, path, text, mode=0o644):
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        if self.h.user:
            os.chown(path, self.h.user.pw_uid, self.h.user.pw_gid)

    def start(self, databases):
        """databases: the text of the [databases] file at start."""
        self._write(self.databases, databases)
        self._write(self.ini, f"""[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = {self.dir}/users.txt
admin_users = {ADMIN}
pool_mode = transaction
server_login_retry = 0.1
%include {self.databases}
""")
        self.proc = self.h.start("pgbouncer", [PGBOUNCER, self.ini])
        wait_until(lambda: self.pool() is not None,
                   what="pgBouncer's admin console")
        return self

    def admin(self, sql):
        return query(self.admin_uri, sql, connect_timeout=2)

    def pool(self, name="postgres"):
        """(host, port, paused) of the pool, as SHOW DATABASES says."""
        conn = psycopg2.connect(self.admin_uri, connect_timeout=2)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("SHOW DATABASES")
                cols = [d[0] for d in cur.description]
                for row in cur.fetchall():
                    r = dict(zip(cols, row))
                    if r["name"] == name:
                        return (r["host"], int(r["port"]),
                                bool(int(r["paused"])))
        finally:
            conn.close()
        return None

    def dsn(self):
        return (f"host=127.0.0.1 port={self.port} dbname=postgres "
                f"user={APP_USER} password={APP_PASSWORD} connect_timeout=2")


def show_config(c):
    return c.h.pgkeel("show", "pgbouncer-config", "--pgdata",
                      c.monitor_dir).stdout


def bouncer_formation(h):
    """A formation whose keepers manage a pgBouncer: a (primary) and b."""
    b = Bouncer(h)
    c = Cluster(h)
    flags = ("--pgbouncer-admin-uri", b.admin_uri,
             "--pgbouncer-databases-file", b.databases)
    c.add_node("a", *flags, wait_state="single")
    c.add_node("b", *flags)
    c.wait_states({"a": "primary", "b": "secondary"})
    c.create_app_user()
    b.start(show_config(c))
    return c, b


def port_of(c, name):
    return c.nodes[name]["port"]


def test_show_pgbouncer_config_names_the_primary(h):
    c = Cluster(h)
    c.add_node("a", wait_state="single")
    text = c.h.pgkeel("show", "pgbouncer-config", "--pgdata", c.monitor_dir,
                      "--pgbouncer-database", "app_db").stdout
    assert "[databases]\n" in text
    assert (f"app_db = host=127.0.0.1 port={port_of(c, 'a')} dbname=app_db"
            in text)


def test_switchover_pauses_the_pool_without_errors(h):
    c, b = bouncer_formation(h)
    assert b.pool() == ("127.0.0.1", port_of(c, "a"), False)
    w = Writer(c, dsn=b.dsn()).start()
    w.wait_more(50)
    h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir)
    wait_until(lambda: b.pool() == ("127.0.0.1", port_of(c, "b"), False),
               what="the pool to go to b, resumed")
    w.wait_more(50)
    w.stop()
    print(f"longest pause through pgBouncer: {w.max_gap():.3f} s, "
          f"{w.errors} errors")
    assert w.errors == 0
    assert w.max_gap() <= 1.0
    assert w.missing_on("b") == []
    assert "pgBouncer's pool postgres paused in" in c.nodes["a"]["proc"].log()
    assert "pgBouncer's pool postgres resumed" in c.nodes["b"]["proc"].log()
    # the keeper wrote what `show pgbouncer-config` prints
    with open(b.databases) as f:
        assert f.read() == show_config(c)


def test_whole_node_crash_pool_follows_the_new_primary(h):
    c, b = bouncer_formation(h)
    w = Writer(c, dsn=b.dsn()).start()
    w.wait_more(20)
    killed = time.monotonic()
    c.kill_node("a")

    def promoted():
        return c.state()["b"]["current_state"] in ("wait_primary",
                                                   "primary")
    wait_until(promoted, interval=0.05, what="b to be promoted")
    failover = time.monotonic() - killed
    wait_until(lambda: b.pool() == ("127.0.0.1", port_of(c, "b"), False),
               what="the pool to go to b")
    w.wait_more(20)
    w.stop()
    # a's backends outlive its postmaster for a moment and may still
    # acknowledge a commit: writes are back at the end of the longest
    # gap since the crash
    after = [t for t in w.ack_times if t > killed]
    gaps = list(zip([killed] + after, after))
    start, back = max(gaps, key=lambda g: g[1] - g[0])
    print(f"failover {failover:.2f} s; writes through pgBouncer back "
          f"{back - killed:.2f} s after the crash")
    assert back - killed <= failover + 1.0
    assert w.missing_on("b") == []


def test_pause_left_by_a_killed_keeper_is_resumed(h):
    c, b = bouncer_formation(h)
    # an open transaction holds a server connection: the old primary's
    # keeper waits in PAUSE, and is killed there
    blocker = psycopg2.connect(b.dsn())
    with blocker.cursor() as cur:
        cur.execute("SELECT 1")
    w = Writer(c, dsn=b.dsn()).start()
    h.pgkeel("perform", "switchover", "--pgdata", c.monitor_dir, "--no-wait")
    wait_until(lambda: b.pool()[2], interval=0.02,
               what="the old primary's keeper to send PAUSE")
    keeper = c.nodes["a"]["proc"]
    keeper.signal(signal.SIGKILL)  # the keeper alone, not its Postgres
    keeper.popen.wait(10)
    blocker.rollback()
    blocker.close()
    assert b.pool()[2], "the pool stays paused while the keeper is dead"
    # its service manager starts it again: the switchover goes on, and
    # the new primary's keeper resumes the pool
    c.start_keeper("a")
    c.wait_states({"b": "primary"})
    wait_until(lambda: b.pool() == ("127.0.0.1", port_of(c, "b"), False),
               what="the pool to go to b, resumed")
    w.wait_more(20)
    w.stop()
    assert w.errors == 0
    assert w.missing_on("b") == []
    log = c.nodes["a"]["proc"].log()  # both runs of a's keeper
    assert "paused in" in log and "without pausing" not in log, log
    # a pause nobody resumes (its keeper died for good) is resumed by the
    # primary's keeper at its next cycle
    b.admin("PAUSE postgres")
    wait_until(lambda: b.pool() == ("127.0.0.1", port_of(c, "b"), False),
               timeout=10, what="the primary's keeper to resume the pool")


def test_chain_through_haproxy_follows_the_primary(h):
    """client -> pgBouncer -> HAProxy (`show haproxy-config`) -> node."""
    c = http_formation(h)
    rw, ro = free_port(), free_port()
    cfg = h.path("haproxy.cfg")
    with open(cfg, "w") as f:
        f.write(h.pgkeel("show", "haproxy-config", "--pgdata", c.monitor_dir,
                         "--bind", "127.0.0.1", "--rw-port", rw,
                         "--ro-port", ro).stdout)
    h.start("haproxy", [HAPROXY, "-db", "-f", cfg])
    b = Bouncer(h).start(f"[databases]\npostgres = host=127.0.0.1 port={rw} "
                         "dbname=postgres\n")

    def served_by():
        conn = psycopg2.connect(b.dsn())
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_is_in_recovery(), "
                            "inet_server_port()")
                return cur.fetchone()
        finally:
            conn.close()
    wait_until(lambda: served_by() == (False, port_of(c, "a")),
               what="the chain to reach a")
    w = Writer(c, dsn=b.dsn()).start()
    w.wait_more(10)
    c.kill_node("a")
    wait_until(lambda: served_by() == (False, port_of(c, "b")),
               what="the chain to reach b")
    w.wait_more(10)
    w.stop()
    assert w.missing_on("b") == []
