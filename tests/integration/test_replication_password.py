"""`pgkeel rotate replication-password`: the formation's replication role
gets a new password with no downtime. The primary's keeper sets it on the
role, every keeper rewrites its replication.pgpass, streaming that is up
stays up, and a standby that reconnects logs in with the new password."""

import os
import stat

import psycopg2

from cluster import Writer, two_node_formation
from harness import wait_until

RECEIVER_SQL = "SELECT pid, status FROM pg_stat_wal_receiver"


def passfile_password(path):
    with open(path) as f:
        return f.read().strip().rsplit(":", 1)[1]


def repl_passfile(c, name):
    return c.h.home + c.nodes[name]["pgdata"] + "/replication.pgpass"


def pg_log(c, name):
    with open(c.h.home + c.nodes[name]["pgdata"] + "/postgres.log",
              errors="replace") as f:
        return f.read()


def replication_login(c, name, password):
    """A replication connection to `name` as the formation's role."""
    try:
        psycopg2.connect(host="127.0.0.1", port=c.nodes[name]["port"],
                         user="pgkeel_replication", password=password,
                         dbname="replication", replication="true",
                         connect_timeout=5).close()
        return True
    except psycopg2.OperationalError as e:
        assert "password authentication failed" in str(e), e
        return False


def receiver(c, name):
    return c.h.psql(c.sock, c.nodes[name]["port"], RECEIVER_SQL).strip()


def test_replication_password_rotates_without_downtime(h):
    c = two_node_formation(h)
    old = passfile_password(repl_passfile(c, "a"))
    assert passfile_password(repl_passfile(c, "b")) == old
    before = receiver(c, "b")
    assert before.endswith("|streaming"), before
    writer = Writer(c)
    writer.start()
    writer.wait_more()

    out = c.mon_pgkeel("rotate", "replication-password", "--pgdata",
                       c.monitor_dir).stdout
    assert "new replication password" in out
    assert old not in out
    new = wait_until(
        lambda: {passfile_password(repl_passfile(c, n)) for n in c.nodes}
        == {c.monitor_sql("SELECT replication_password"
                          " FROM pgkeel.formation")}
        and passfile_password(repl_passfile(c, "a")),
        what="every node's replication.pgpass holding the new password")
    assert new != old
    for n in c.nodes:
        assert stat.S_IMODE(os.stat(repl_passfile(c, n)).st_mode) == 0o600
    wait_until(lambda: replication_login(c, "a", new),
               what="the primary's role taking the new password")
    assert not replication_login(c, "a", old)
    # the walreceiver that was streaming never stopped
    assert receiver(c, "b") == before

    # cut the standby's stream: it reconnects with the new password
    offset = len(pg_log(c, "a"))
    c.h.psql(c.sock, c.nodes["a"]["port"],
             "SELECT pg_terminate_backend(pid) FROM pg_stat_replication")
    wait_until(lambda: receiver(c, "b").endswith("|streaming")
               and receiver(c, "b") != before,
               what="b streaming again on a new connection")
    writer.wait_more()
    writer.stop()
    wait_until(lambda: writer.missing_on("b") == [],
               what="every acknowledged row on b")
    log = pg_log(c, "a")[offset:]
    assert "password authentication failed" not in log
    assert any("replication password rotated" in e["description"]
               for e in c.events())
