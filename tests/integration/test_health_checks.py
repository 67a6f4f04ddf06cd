"""The monitor's health checks: one long-lived connection per node, logged
in as pgkeel_health (a role that can only log in), pinged every interval;
an idle formation causes no failed login and no new backend per interval,
and a node whose Postgres dies is seen as unreachable at once."""

import os
import signal
import time

from cluster import Cluster, two_node_formation
from harness import wait_until

HEALTH_SQL = ("SELECT pid, backend_start FROM pg_stat_activity "
              "WHERE usename = 'pgkeel_health' ORDER BY pid")


def pg_log(c, name):
    path = c.h.home + c.nodes[name]["pgdata"] + "/postgres.log"
    with open(path, errors="replace") as f:
        return f.read()


def health_sessions(c, name):
    out = c.h.psql(c.sock, c.nodes[name]["port"], HEALTH_SQL)
    return [tuple(line.split("|")) for line in out.splitlines()]


def keeper_sessions(c, name):
    """The local sessions of the node's keeper (application pgkeel)."""
    return c.h.psql(c.sock, c.nodes[name]["port"],
                    "SELECT string_agg(pid::text, ',') FROM pg_stat_activity"
                    " WHERE application_name = 'pgkeel'")


def one_session_each(c):
    sessions = {n: health_sessions(c, n) for n in c.nodes}
    return sessions if all(len(s) == 1 for s in sessions.values()) else None


def test_idle_formation_holds_one_session_per_node(h):
    c = two_node_formation(h)
    first = wait_until(lambda: one_session_each(c), timeout=30,
                       what="one health-check session per node")
    offsets = {n: len(pg_log(c, n)) for n in c.nodes}
    mon_offset = len(c.monitor.log())

    # ~10 s of an idle formation (about 40 monitor intervals, 20 keeper
    # cycles): the same sessions all along, the monitor's and each
    # keeper's own, each check an empty query on its session
    keepers = wait_until(
        lambda: (lambda s: s if all(v and "," not in v for v in s.values())
                 else None)({n: keeper_sessions(c, n) for n in c.nodes}),
        what="one keeper session per node")
    end = time.monotonic() + 10
    while time.monotonic() < end:
        assert {n: health_sessions(c, n) for n in c.nodes} == first
        assert {n: keeper_sessions(c, n) for n in c.nodes} == keepers
        time.sleep(0.5)
    for name in c.nodes:
        text = pg_log(c, name)[offsets[name]:]
        assert "authentication failed" not in text, text
        assert "pgkeel_health" not in text, text
    assert "refused" not in c.monitor.log()[mon_offset:]
    assert all(r["reachable"] for r in c.state().values())

    # the role: log in, nothing else, replicated to the standby
    for name in c.nodes:
        row = h.psql(c.sock, c.nodes[name]["port"],
                     "SELECT rolcanlogin, rolsuper, rolcreatedb, "
                     "rolcreaterole, rolreplication, rolbypassrls, "
                     "rolconnlimit, rolconfig FROM pg_roles "
                     "WHERE rolname = 'pgkeel_health'")
        login, sup, db, role, repl, rls, limit, conf = row.split("|")
        assert (login, sup, db, role, repl, rls) == \
            ("t", "f", "f", "f", "f", "f")
        assert int(limit) == 4
        assert "statement_timeout=1s" in conf
        grants = h.psql(c.sock, c.nodes[name]["port"],
                        "SELECT count(*) FROM pg_auth_members m JOIN "
                        "pg_roles r ON r.oid = m.member "
                        "WHERE r.rolname = 'pgkeel_health'")
        assert grants == "0"
        with open(os.path.join(c.nodes[name]["pgdata"], "pg_hba.conf")) as f:
            # TLS is on by default: hostssl, and no plain connection
            hba = f.read()
            assert "hostssl postgres pgkeel_health 127.0.0.1/32 " \
                "scram-sha-256" in hba
            assert "hostnossl all pgkeel_health all reject" in hba


def test_dead_postgres_is_unreachable_within_an_interval(h):
    # a long interval makes "at once" and "at the next check" different
    c = Cluster(h, extra_monitor_flags=("--monitor-interval", "2s"))
    c.add_node("a", wait_state="single")
    c.add_node("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    wait_until(lambda: one_session_each(c), timeout=30,
               what="one health-check session per node")
    wait_until(lambda: all(r["reachable"] for r in c.state().values()),
               what="every node reachable")

    # the standby's keeper is gone (it would restart its Postgres), then
    # its postmaster is killed: the backend holding the monitor's session
    # exits with it, the monitor logs in again at once and is refused
    h.kill(c.nodes["b"]["proc"])
    killed_at = time.monotonic()
    os.kill(c.postmaster_pid("b"), signal.SIGKILL)
    wait_until(lambda: not c.state()["b"]["reachable"], timeout=10,
               interval=0.05, what="b unreachable")
    seen_after = time.monotonic() - killed_at
    # the monitor decides at the next report of a's keeper (500 ms);
    # waiting for the next check would take up to the 2 s interval
    assert seen_after < 1.2, seen_after
    assert c.state()["a"]["reachable"]


def terminate_health_sessions(c, name):
    c.h.psql(c.sock, c.nodes[name]["port"],
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
             "WHERE usename = 'pgkeel_health'")


def test_new_password_without_downtime_and_refusals_logged_once(h):
    c = two_node_formation(h)
    first = wait_until(lambda: one_session_each(c), timeout=30,
                       what="one health-check session per node")
    keeper_a = c.nodes["a"]["proc"]
    ready = "role pgkeel_health is ready"
    assert keeper_a.log().count(ready) == 1

    # the store's password changes: the primary's keeper alters the role,
    # the open sessions stay, the next login uses the new password
    offset = len(pg_log(c, "a"))
    old = c.monitor_sql("SELECT health_password FROM pgkeel.formation")
    c.mon_pgkeel("rotate", "health-password", "--pgdata", c.monitor_dir)
    assert c.monitor_sql("SELECT health_password FROM pgkeel.formation") \
        not in ("", old)
    wait_until(lambda: keeper_a.log().count(ready) == 2,
               what="the role's new password on the primary")
    assert one_session_each(c) == first
    terminate_health_sessions(c, "a")
    wait_until(lambda: (one_session_each(c) or first)["a"] != first["a"],
               what="a new health-check session on a")
    # a login that raced the new password to the monitor is refused at
    # most once, which still counts as the server answering
    assert pg_log(c, "a")[offset:].count(
        "password authentication failed") <= 1
    assert c.state()["a"]["reachable"]

    # a password the monitor does not know: logins are refused, spaced
    # out (1 s, then twice as long each time) instead of one each
    # interval; in between the monitor only knocks, which Postgres does
    # not log. The node still counts as reachable (its server answers),
    # and the monitor says so once.
    h.psql(c.sock, c.nodes["a"]["port"],
           "ALTER ROLE pgkeel_health PASSWORD 'not-the-stores'")
    offset, mon_offset = len(pg_log(c, "a")), len(c.monitor.log())
    terminate_health_sessions(c, "a")

    def refusals():
        return pg_log(c, "a")[offset:].count("password authentication failed")
    wait_until(lambda: refusals() >= 1, what="a refused login")
    first_refusal = time.monotonic()
    wait_until(lambda: refusals() >= 4, timeout=30,
               what="several refused logins")
    # logins at 0, 1, 3 and 7 s; one each 250 ms interval would have
    # taken 0.75 s
    assert time.monotonic() - first_refusal > 5.0
    assert c.monitor.log()[mon_offset:].count("was refused") == 1
    assert c.state()["a"]["reachable"]
    assert c.state()["a"]["current_state"] == "primary"
    assert "incomplete startup packet" not in pg_log(c, "a")[offset:]
