"""pgBackRest with a formation (docs/pgbackrest.md): every node archives
to the formation's stanza across a failover, a standby is cloned from the
backup and catches up from the archive, and a new formation is restored
to a point in time. The repository is a local directory."""

import json
import os
import subprocess

from cluster import Cluster, Writer
from harness import wait_until

STANZA = "main"


class BackRest:
    """The operator's side: pgbackrest.conf (pg1 is the current primary)
    and pgbackrest commands run as the database user."""

    def __init__(self, h, c):
        self.h, self.c = h, c
        self.conf = h.path("pgbackrest.conf")
        self.dirs = {k: h.mkdir("pgbackrest", k)
                     for k in ("repo", "log", "lock", "spool")}

    def point_at(self, name):
        node = self.c.nodes[name]
        with open(self.conf, "w") as f:
            f.write(f"[global]\nrepo1-type=posix\n"
                    f"repo1-path={self.dirs['repo']}\n"
                    f"repo1-retention-full=2\n"
                    f"log-path={self.dirs['log']}\n"
                    f"lock-path={self.dirs['lock']}\n"
                    f"spool-path={self.dirs['spool']}\n"
                    f"log-level-file=detail\nstart-fast=y\n"
                    f"archive-timeout=30\n\n[{STANZA}]\n"
                    f"pg1-path={node['pgdata']}\npg1-port={node['port']}\n"
                    f"pg1-socket-path={self.c.sock}\n")
        if self.h.user:
            os.chown(self.conf, self.h.user.pw_uid, self.h.user.pw_gid)

    def run(self, *args):
        cp = subprocess.run(
            ["pgbackrest", f"--config={self.conf}", f"--stanza={STANZA}",
             *args], capture_output=True, text=True, timeout=180,
            env=self.h.env(), cwd=self.h.root, **self.h._user_kwargs())
        assert cp.returncode == 0, (args, cp.stdout, cp.stderr)
        return cp.stdout


def primary_sql(c, sql):
    return c.h.psql(c.sock, c.nodes[c.primary()]["port"], sql)


def archived(c, segment):
    last = primary_sql(c, "SELECT coalesce(last_archived_wal, '') "
                          "FROM pg_stat_archiver")
    return last[8:] >= segment[8:] if last else False


def test_archive_across_failover_clone_from_backup_and_pitr(h):
    c = Cluster(h)
    br = BackRest(h, c)
    flags = ("--pgbackrest-config", br.conf)
    c.add_node("a", *flags, wait_state="single")
    c.add_node("b", *flags)
    c.wait_states({"a": "primary", "b": "secondary"})
    c.create_app_user()
    br.point_at("a")
    br.run("stanza-create")

    # the stanza turns archiving on everywhere: a restart applies it
    out = c.config("set", "backup.pgbackrest_stanza", STANZA).stdout
    assert "perform restart --rolling" in out
    assert c.config("get", "backup.pgbackrest_stanza").stdout.strip() == \
        STANZA
    refused = c.config("set", "backup.pgbackrest_stanza", "x;rm -rf /",
                       check=False)
    assert refused.returncode != 0 and "must be a name" in refused.stderr
    wait_until(lambda: all(n["pending_restart"]
                           for n in c.state().values()),
               what="both nodes to wait for a restart (archive_mode)")
    h.pgkeel("perform", "restart", "--rolling", "--pgdata", c.monitor_dir)
    c.wait_states({"a": "secondary", "b": "primary"})
    for n in ("a", "b"):
        assert c.show(n, "archive_mode") == "on"
        assert c.show(n, "archive_command") == (
            f"pgbackrest --stanza={STANZA} --config={br.conf} "
            f"--pg1-path={c.nodes[n]['pgdata']} archive-push %p")
    assert "archive-get %f" in c.show("a", "restore_command")

    br.point_at("b")
    br.run("check")
    br.run("backup", "--type=full")

    # writes after the backup, then a whole-node crash of the primary
    w = Writer(c).start()
    w.wait_more(20)
    c.kill_node("b")
    c.wait_state("a", "wait_primary", timeout=30)
    w.wait_more(20)
    assert c.state()["a"]["timeline"] == 3  # 2 came with the switchover
    br.point_at("a")
    br.run("check")  # the new primary archives on its timeline

    # a standby built from the backup, catching up from the archive
    c.add_node("c", *flags, "--clone-method", "pgbackrest")
    c.wait_states({"a": "primary", "c": "secondary"}, timeout=120)
    log = c.nodes["c"]["proc"].log()
    assert "pgbackrest: " in log and "restore command end" in log, log
    assert "pg_basebackup" not in log, log
    w.wait_more(20)
    w.stop()
    wait_until(lambda: w.missing_on("c") == [],
               what="every acknowledged write on the cloned standby")

    # point-in-time recovery into a new formation
    primary_sql(c, "CREATE TABLE pitr (id int); "
                   "INSERT INTO pitr SELECT generate_series(1, 10)")
    target = primary_sql(c, "SELECT clock_timestamp()::text")
    primary_sql(c, "INSERT INTO pitr SELECT generate_series(11, 20)")
    segment = primary_sql(c, "SELECT pg_walfile_name(pg_switch_wal())")
    wait_until(lambda: archived(c, segment), what=f"{segment} archived")
    c.add_node("r", *flags, "--formation", "restored", "--restore-from",
               "pgbackrest", "--restore-stanza", STANZA, "--target-time",
               target)

    def restored_single():
        rows = json.loads(c.mon_pgkeel(
            "show", "state", "--pgdata", c.monitor_dir, "--formation",
            "restored", "--json").stdout)
        return [(r["current_state"], r["assigned_state"]) for r in rows] \
            == [("single", "single")]
    wait_until(restored_single, timeout=120, what="r to reach single")
    port = c.nodes["r"]["port"]
    assert h.psql(c.sock, port, "SELECT count(*), max(id) FROM pitr") == \
        "10|10"
    # a writable primary whose recovery settings will not apply again
    h.psql(c.sock, port, "INSERT INTO pitr VALUES (100)")
    with open(os.path.join(c.nodes["r"]["pgdata"],
                           "postgresql.auto.conf")) as f:
        auto = f.read()
    assert "recovery_target" not in auto and "restore_command" not in auto
