"""Attacks on the state store by someone holding one data node's files,
and by a local user reading the process list: each must fail with
nothing changed (docs/security.md, "Roles of the state store")."""

import os
import re
import stat

import psycopg2
import pytest

from cluster import Cluster, two_node_formation
from harness import wait_until

OPERATOR_DENIED = (psycopg2.errors.InsufficientPrivilege,)


def node_home(h, c, name):
    return h.home + c.nodes[name]["pgdata"]


def node_uri(h, c, name):
    """What an attacker who copied node `name`'s files connects with."""
    home = node_home(h, c, name)
    with open(os.path.join(home, "pgkeel.ini")) as f:
        uri = re.search(r"^monitor = (.*)$", f.read(), re.M).group(1)
    sep = "&" if "?" in uri else "?"
    return f"{uri}{sep}passfile={home}/store.pgpass"


def connect(uri):
    conn = psycopg2.connect(uri)
    conn.autocommit = True
    return conn


def snapshot(c):
    """Everything an attack could change."""
    return (c.monitor_sql("SELECT id, name, host, port, goal_state,"
                          " candidate_priority, replication_quorum,"
                          " maintenance, drop_requested, restart_requested,"
                          " reinit_requested FROM pgkeel.node ORDER BY id"),
            c.monitor_sql("SELECT number_sync_standbys, strict_sync, paused,"
                          " switchover_to, failover_requested"
                          " FROM pgkeel.formation"),
            c.monitor_sql("SELECT count(*) FROM pgkeel.pg_param"),
            c.monitor_sql("SELECT count(*) FROM pgkeel.slot"),
            c.monitor_sql("SELECT count(*) FROM pgkeel.scheduled"),
            c.monitor_sql("SELECT string_agg(rolname, ',' ORDER BY rolname)"
                          " FROM pg_roles WHERE rolname LIKE 'pgkeel%'"))


ATTACKS = [
    # 2: every operator action, as a node: the functions left, and the
    # table writes the operator's own actions make (src/store/
    # pgstore_change.c)
    "INSERT INTO pgkeel.pg_param VALUES ('default', 'archive_command',"
    " 'id')",
    "UPDATE pgkeel.formation SET pgbackrest_stanza = 'elsewhere'",
    "SELECT pgkeel.drop_node('default', 'a')",
    "SELECT pgkeel.set_maintenance('default', 'a', true)",
    "SELECT pgkeel.request('default', 'failover', '')",
    "SELECT pgkeel.request('default', 'switchover', '')",
    "SELECT pgkeel.request('default', 'switchover', 'b')",
    "SELECT 1 FROM pgkeel.formation FOR UPDATE",
    "UPDATE pgkeel.formation SET paused = true",
    "UPDATE pgkeel.formation SET failover_requested = true",
    "UPDATE pgkeel.node SET candidate_priority = 0",
    "UPDATE pgkeel.node SET maintenance = true, drop_requested = true",
    "UPDATE pgkeel.node SET restart_requested = restart_requested + 1,"
    " reinit_requested = restart_requested + 1",
    "INSERT INTO pgkeel.scheduled (formation, what, at)"
    " VALUES ('default', 'switchover', now())",
    "UPDATE pgkeel.scheduled SET outcome = 'cancelled'",
    "SELECT nextval('pgkeel.scheduled_id_seq')",
    "INSERT INTO pgkeel.event (formation, description)"
    " VALUES ('default', 'forged')",
    # 3/8: registration, to take an identity or to pin WAL with slots:
    # what the operator's registration writes (src/store/
    # pgstore_register.c), and the role maker
    "INSERT INTO pgkeel.node (formation, name, host, port)"
    " VALUES ('default', 'ghost', '127.0.0.9', 7399)",
    "INSERT INTO pgkeel.node (formation, name, host, port)"
    " VALUES ('default', 'ghost', '127.0.0.1', {a_port})",
    "INSERT INTO pgkeel.formation (name) VALUES ('other')",
    "SELECT nextval('pgkeel.node_id_seq')",
    "SELECT pgkeel.create_node_role({a_id})",
    # writes and secrets outside the functions
    "UPDATE pgkeel.node SET goal_state = 'demoted'",
    "UPDATE pgkeel.lease SET term = term + 1",
    "INSERT INTO pgkeel.slot VALUES ('default', 'pin_wal', 'physical')",
    "UPDATE pgkeel.slot SET kind = NULL",
    "SELECT rolpassword FROM pg_authid",
    "ALTER ROLE pgkeel_node_1 PASSWORD 'taken'",
    "GRANT pgkeel_operator TO CURRENT_USER",
]


def test_a_node_credential_cannot_act_beyond_its_node(h):
    c = two_node_formation(h)
    before = snapshot(c)
    a_id = c.state()["a"]["node_id"]
    conn = connect(node_uri(h, c, "b"))
    cur = conn.cursor()
    for sql in ATTACKS:
        with pytest.raises(psycopg2.Error) as err:
            cur.execute(sql.format(a_port=c.nodes["a"]["port"], a_id=a_id))
        assert isinstance(err.value, OPERATOR_DENIED), (sql, err.value)
    # a report for another node is refused: b cannot pose as a
    with pytest.raises(psycopg2.errors.InvalidAuthorizationSpecification):
        cur.execute("SELECT pgkeel.report(%s, 'demoted', false, true,"
                    " false, '0/0', 1, false, '', 0, false, false, 0, 0,"
                    " 1000)", (a_id,))
    conn.rollback()
    # ... nor through the report that carries a veto
    with pytest.raises(psycopg2.errors.InvalidAuthorizationSpecification):
        cur.execute("SELECT pgkeel.report(%s, 'demoted', false, true,"
                    " false, '0/0', 1, false, '', 0, false, false, 0, 0,"
                    " 1000, true)", (a_id,))
    conn.rollback()
    # the beats' channel is secret: b cannot read its name, so it cannot
    # make a's keeper look alive to the monitor (src/store/pgstore_wait.c)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cur.execute("SELECT name FROM pgkeel.beat_channel")
    channel = c.monitor_sql("SELECT name FROM pgkeel.beat_channel")
    assert re.fullmatch(r"pgkeel_beat_[0-9a-f]{32}", channel), channel
    cur.execute("SELECT string_agg(prosrc, ' ') FROM pg_proc")
    assert channel not in cur.fetchone()[0]
    conn.close()
    assert snapshot(c) == before
    assert c.state()["a"]["current_state"] == "primary"


# The operator's credential writes the columns its actions change
# (src/store/pgstore_migrate_policy.c) and nothing the monitor or the
# nodes own: goals, reports, passwords, secrets, the lease, past events.
OPERATOR_CANNOT = [
    "UPDATE pgkeel.node SET goal_state = 'demoted'",
    "UPDATE pgkeel.node SET reported_state = 'primary', lsn = '1/0'",
    "SELECT secret FROM pgkeel.node",
    "UPDATE pgkeel.formation SET replication_password = 'known'",
    "UPDATE pgkeel.lease SET term = term + 1",
    "UPDATE pgkeel.event SET description = 'rewritten'",
    "DELETE FROM pgkeel.event",
    "DELETE FROM pgkeel.node",
]


def test_the_operator_writes_what_its_actions_change_and_no_more(h):
    c = two_node_formation(h)
    before = snapshot(c)
    conn = connect(c.uri)
    cur = conn.cursor()
    for sql in OPERATOR_CANNOT:
        with pytest.raises(psycopg2.Error) as err:
            cur.execute(sql)
        assert isinstance(err.value, OPERATOR_DENIED), (sql, err.value)
    conn.close()
    assert snapshot(c) == before
    assert c.state()["a"]["current_state"] == "primary"


def test_registration_takes_the_operator_and_never_hands_out_identities(h):
    c = two_node_formation(h)
    before = snapshot(c)
    # a node's own URI cannot register a new node
    cp = h.pgkeel("create", "postgres", "--pgdata", h.path("c"),
                  "--pgport", "7399", "--hostname", "127.0.0.1",
                  "--monitor", node_uri(h, c, "b"), check=False)
    assert cp.returncode != 0
    assert "permission denied" in cp.stderr
    # the operator cannot take over a's identity by registering its
    # host and port again, nor smuggle a line into pg_hba.conf: neither
    # through pgkeel (the shared rule) nor by writing the rows itself
    cp = h.pgkeel("create", "postgres", "--pgdata", h.path("d"),
                  "--pgport", str(c.nodes["a"]["port"]), "--hostname",
                  "127.0.0.1", "--monitor", c.uri, check=False)
    assert cp.returncode != 0
    assert "already registered" in cp.stderr, cp.stderr
    for host, port in (("127.0.0.1", c.nodes["a"]["port"]),
                       ("127.0.0.1/32 trust\nhost all all 0.0.0.0/0 trust",
                        7398)):
        conn = connect(c.uri)
        with pytest.raises(psycopg2.Error) as err:
            conn.cursor().execute(
                "INSERT INTO pgkeel.node (formation, name, host, port)"
                " VALUES ('default', 'x', %s, %s)", (host, port))
        conn.close()
        assert isinstance(err.value, (psycopg2.errors.UniqueViolation,
                                      psycopg2.errors.CheckViolation)), \
            err.value
    # nor give a's role a password of its own drawing: the role maker
    # serves a node row inserted by the caller's own transaction only,
    # even one the operator just wrote to
    a_id = c.state()["a"]["node_id"]
    conn = connect(c.uri)
    cur = conn.cursor()
    for prelude in ("", "UPDATE pgkeel.node SET candidate_priority ="
                    " candidate_priority WHERE id = %(id)s;"):
        cur.execute("BEGIN")
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute(prelude + "SELECT pgkeel.create_node_role(%(id)s)",
                        {"id": a_id})
        cur.execute("ROLLBACK")
    conn.close()
    assert snapshot(c) == before
    def seq():
        return int(c.monitor_sql("SELECT report_seq FROM pgkeel.node"
                                 " WHERE name = 'a'"))
    first = seq()
    wait_until(lambda: seq() > first,
               what="a to keep reporting with its own identity")


def test_operator_actions_from_a_data_node_need_the_operator(h):
    c = two_node_formation(h)
    cp = h.pgkeel("perform", "switchover", "--pgdata",
                  c.nodes["b"]["pgdata"], check=False)
    assert cp.returncode != 0
    assert "operator" in cp.stderr
    cp = h.pgkeel("config", "set", "postgresql.work_mem", "8MB",
                  "--pgdata", c.nodes["a"]["pgdata"], check=False)
    assert cp.returncode != 0
    assert "data node's own credential" in cp.stderr, cp.stderr
    assert "show uri --monitor" in cp.stderr, cp.stderr
    assert c.monitor_sql("SELECT count(*) FROM pgkeel.pg_param") == "0"
    # with the operator's URI, from the node's machine, it works
    h.pgkeel("perform", "switchover", "--pgdata", c.nodes["b"]["pgdata"],
             "--monitor", c.uri)
    c.wait_states({"a": "secondary", "b": "primary"})


def secrets_of(h, c):
    found = {}
    for path in [os.path.join(h.home + c.monitor_dir, "operator.pgpass")] + \
            [os.path.join(node_home(h, c, n), "store.pgpass")
             for n in c.nodes]:
        with open(path) as f:
            found[path] = f.read().strip().rsplit(":", 1)[1]
    row = c.monitor_sql("SELECT replication_password || ' ' ||"
                        " health_password FROM pgkeel.formation")
    found["replication"], found["health"] = row.split()
    assert all(len(s) >= 16 for s in found.values()), found.keys()
    return found


def private_files(h, c):
    files = [os.path.join(dp, f)
             for d in [h.home + c.monitor_dir] +
             [node_home(h, c, n) for n in c.nodes]
             for dp, _, fs in os.walk(d) for f in fs]
    return [f for f in files if f.endswith((".pgpass", ".ini", ".state"))]


def test_no_secret_in_the_process_list_logs_or_show(h):
    c = two_node_formation(h)
    secrets = secrets_of(h, c)
    cmdlines, environs = [], []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        for what, into in (("cmdline", cmdlines), ("environ", environs)):
            try:
                with open(f"/proc/{pid}/{what}", "rb") as f:
                    into.append(f.read().replace(b"\0", b" ").decode(
                        errors="replace"))
            except OSError:
                pass
    assert any("pgkeel" in line for line in cmdlines)
    shown = []
    for args in (("show", "state"), ("show", "events"), ("show", "uri"),
                 ("show", "settings"), ("show", "uri", "--monitor")):
        for extra in ((), ("--json",)):
            shown.append(h.pgkeel(*args, *extra, "--pgdata",
                                  c.monitor_dir).stdout)
    logs = h.dump_logs()
    for name, secret in secrets.items():
        for where, texts in (("process list", cmdlines),
                             ("environments", environs), ("show", shown),
                             ("logs", [logs])):
            assert not any(secret in t for t in texts), (name, where)
    for path in private_files(h, c):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))
    with open(os.path.join(node_home(h, c, "a"), "pgkeel.ini")) as f:
        ini = f.read()
    assert "pgkeel_operator" not in ini  # the operator's URI is not kept
    assert not any(s in ini for s in secrets.values())
    # the standby streams with the replication password from its passfile
    passfile = os.path.join(node_home(h, c, "b"), "replication.pgpass")
    assert passfile_password(passfile) == secrets["replication"]
    with open(os.path.join(c.nodes["b"]["pgdata"],
                           "postgresql.pgkeel.conf")) as f:
        conf = f.read()
    assert f"passfile=''{passfile}''" in conf
    assert secrets["replication"] not in conf


def test_a_dropped_node_loses_its_store_role(h):
    c = two_node_formation(h)
    b_id = c.state()["b"]["node_id"]
    role = f"pgkeel_node_{b_id}"
    assert c.monitor_sql(f"SELECT count(*) FROM pg_roles"
                         f" WHERE rolname = '{role}'") == "1"
    h.pgkeel("drop", "node", "--name", "b", "--pgdata", c.monitor_dir)
    wait_until(lambda: c.monitor_sql(
        f"SELECT count(*) FROM pg_roles WHERE rolname = '{role}'") == "0",
        what="the dropped node's role to go")
    with pytest.raises(psycopg2.OperationalError):
        connect(node_uri(h, c, "b"))


def passfile_password(path):
    with open(path) as f:
        return f.read().strip().rsplit(":", 1)[1]


def old_password_connects(h, uri, user, password):
    """Whether a copy of an old credential still opens a session."""
    path = h.path(f"old-{user}.pgpass")
    with open(path, "w") as f:
        f.write(f"*:*:*:{user}:{password}\n")
    os.chmod(path, 0o600)
    base = re.sub(r"[?&]passfile=[^&]*", "", uri)
    sep = "&" if "?" in base else "?"
    try:
        connect(f"{base}{sep}passfile={path}").close()
        return True
    except psycopg2.OperationalError:
        return False


def test_store_passwords_rotate_without_downtime(h):
    c = two_node_formation(h)
    b_id = c.state()["b"]["node_id"]
    b_pass = os.path.join(node_home(h, c, "b"), "store.pgpass")
    op_pass = os.path.join(h.home + c.monitor_dir, "operator.pgpass")
    old_b, old_op = passfile_password(b_pass), passfile_password(op_pass)

    def keeper_session():
        return c.monitor_sql("SELECT string_agg(pid::text, ',') FROM"
                             " pg_stat_activity WHERE usename ="
                             f" 'pgkeel_node_{b_id}'")
    session = keeper_session()
    assert session
    h.pgkeel("rotate", "password", "--pgdata", c.nodes["b"]["pgdata"])
    h.pgkeel("rotate", "password", "--pgdata", c.monitor_dir)
    assert passfile_password(b_pass) != old_b
    assert passfile_password(op_pass) != old_op
    assert stat.S_IMODE(os.stat(b_pass).st_mode) == 0o600
    # open sessions stayed up; old copies no longer open new ones
    assert keeper_session() == session
    assert not old_password_connects(h, node_uri(h, c, "b"),
                                     f"pgkeel_node_{b_id}", old_b)
    assert not old_password_connects(h, c.uri, "pgkeel_operator", old_op)
    # the new ones do: the keeper restarted reports, the operator acts
    h.stop(c.nodes["b"]["proc"])
    c.start_keeper("b")
    c.wait_states({"a": "primary", "b": "secondary"})
    connect(node_uri(h, c, "b")).close()
    h.pgkeel("perform", "switchover", "--pgdata", c.nodes["b"]["pgdata"],
             "--monitor", c.uri)
    c.wait_states({"a": "secondary", "b": "primary"})


def test_a_service_refuses_secrets_others_can_read(h):
    c = Cluster(h)
    c.stop_monitor()
    path = os.path.join(h.home + c.monitor_dir, "operator.pgpass")
    os.chmod(path, 0o644)
    cp = h.pgkeel("run", "--pgdata", c.monitor_dir, check=False)
    assert cp.returncode == 3
    assert f"chmod 600 {path}" in cp.stderr
    os.chmod(path, 0o600)
    c.start_monitor()
