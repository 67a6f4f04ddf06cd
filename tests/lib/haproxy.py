"""HAProxy in front of a formation, configured by `pgkeel show
haproxy-config`: the configuration printed, checked by HAProxy itself,
and HAProxy started on it; and which node answers behind one of its
ports (for tests/integration/test_haproxy.py and test_routing.py)."""

import subprocess

import psycopg2

from cluster import APP_PASSWORD, APP_USER
from harness import free_port

HAPROXY = "/usr/sbin/haproxy"


def dsn(port):
    return (f"host=127.0.0.1 port={port} dbname=postgres user={APP_USER} "
            f"password={APP_PASSWORD} connect_timeout=2")


def served_by(port):
    """(in recovery, server port) of the node behind an HAProxy port."""
    try:
        conn = psycopg2.connect(dsn(port))
    except psycopg2.Error:
        return None
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_is_in_recovery(), inet_server_port()")
            return cur.fetchone()
    except psycopg2.Error:
        return None
    finally:
        conn.close()


def start_haproxy(c, *flags, name="haproxy.cfg"):
    """HAProxy on `show haproxy-config --bind 127.0.0.1` with new read-
    write and read-only ports and flags; asserts that `haproxy -c`
    accepts the configuration. (its text, rw port, ro port)."""
    h = c.h
    rw, ro = free_port(), free_port()
    text = h.pgkeel("show", "haproxy-config", "--pgdata", c.monitor_dir,
                    "--bind", "127.0.0.1", "--rw-port", rw, "--ro-port", ro,
                    *flags).stdout
    path = h.path(name)
    with open(path, "w") as f:
        f.write(text)
    check = subprocess.run([HAPROXY, "-c", "-f", path], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    h.start("haproxy", [HAPROXY, "-db", "-f", path])
    return text, rw, ro
