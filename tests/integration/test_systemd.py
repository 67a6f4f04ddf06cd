"""pgkeel under systemd, without a running systemd (docs/systemd.md): the
units `pgkeel show systemd` prints pass `systemd-analyze verify`, and
`pgkeel run` sends READY=1, then WATCHDOG=1 every cycle, then STOPPING=1
to the socket NOTIFY_SOCKET names, from its own process only (Postgres,
which speaks the same protocol, must not inherit the socket). Started
without GNUTLS_NO_IMPLICIT_INIT, as outside the unit, `pgkeel run`
executes itself again with it set (common/svcenv.h): the same process,
the rest of its environment as it was given."""

import os
import pwd
import select
import socket
import struct
import subprocess

from cluster import Cluster
from harness import free_port, wait_until

CREDS = struct.Struct("3i")  # struct ucred: pid, uid, gid
GNUTLS_OFF = "GNUTLS_NO_IMPLICIT_INIT"


def verify(h, text, name):
    """systemd-analyze verify; it exits 0 even on unknown keys or values
    it cannot parse, so its warnings count as failures too."""
    path = h.path(name)
    with open(path, "w") as f:
        f.write(text)
    cp = subprocess.run(["systemd-analyze", "verify", "--man=no", path],
                        capture_output=True, text=True, timeout=60)
    assert cp.returncode == 0 and cp.stderr == "" and cp.stdout == "", (
        f"systemd-analyze verify {name}:\n{cp.stdout}{cp.stderr}\n{text}")


def settings(text):
    """key: value of each setting; the values of a key given more than
    once (Environment=) joined by newlines."""
    out = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            out[key] = out[key] + "\n" + value if key in out else value
    return out


def create_monitor(h):
    pgdata = h.path("monitor")
    h.pgkeel("create", "monitor", "--pgdata", pgdata, "--pgport",
             free_port(), "--hostname", "127.0.0.1", "--socket-directory",
             h.mkdir("sock"))
    return pgdata


def test_node_unit_passes_systemd_analyze(h):
    pgdata = create_monitor(h)
    unit = h.pgkeel("show", "systemd", "--pgdata", pgdata).stdout
    s = settings(unit)
    assert s["Type"] == "notify"
    assert s["ExecStart"] == f"{h.binary} run --pgdata {pgdata}"
    assert s["User"] == (h.user or pwd.getpwuid(os.getuid())).pw_name
    assert s["Environment"] == f"PGKEEL_HOME={h.home}\n{GNUTLS_OFF}=1"
    assert s["KillMode"] == "mixed"
    assert s["Restart"] == "on-failure"
    assert int(s["WatchdogSec"].rstrip("s")) > 60
    assert int(s["TimeoutStopSec"].rstrip("s")) > int(
        s["WatchdogSec"].rstrip("s"))
    verify(h, unit, "pgkeel-monitor.service")


def test_template_unit_passes_systemd_analyze(h):
    unit = h.pgkeel("show", "systemd", "--template").stdout
    assert settings(unit)["ExecStart"] == f"{h.binary} run --pgdata %f"
    assert settings(unit)["Environment"] == f"{GNUTLS_OFF}=1"
    instance = subprocess.run(
        ["systemd-escape", "--path", "/var/lib/postgresql/15/node_a"],
        capture_output=True, text=True, check=True).stdout.strip()
    verify(h, unit, f"pgkeel@{instance}.service")


def test_a_path_systemd_would_expand_is_quoted(h):
    pgdata = create_monitor(h)
    odd = h.path("50% $HOME")
    os.symlink(h.binary, odd)
    unit = h.pgkeel("show", "systemd", "--pgdata", pgdata, "--exec",
                    odd).stdout
    assert settings(unit)["ExecStart"] == (
        f'"{h.path("50%% $HOME")}" run --pgdata {pgdata}')
    verify(h, unit, "odd.service")


class NotifySocket:
    """The unix datagram socket systemd would listen on, writable by the
    unprivileged user pgkeel runs as; records each message's sender."""

    def __init__(self, h):
        self.path = h.path("notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        os.chmod(self.path, 0o666)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.messages = []  # (sender pid, text)

    def drain(self):
        while select.select([self.sock], [], [], 0)[0]:
            data, anc, _, _ = self.sock.recvmsg(
                4096, socket.CMSG_SPACE(CREDS.size))
            pid = None
            for level, kind, payload in anc:
                if level == socket.SOL_SOCKET and \
                        kind == socket.SCM_CREDENTIALS:
                    pid = CREDS.unpack(payload[:CREDS.size])[0]
            self.messages.append((pid, data.decode()))
        return self.messages

    def count(self, line):
        return sum(1 for _, text in self.drain()
                   if line in text.splitlines())

    def close(self):
        self.sock.close()


def environ(pid):
    with open(f"/proc/{pid}/environ", "rb") as f:
        return dict(item.decode().split("=", 1)
                    for item in f.read().split(b"\0") if item)


def check_started_again(h, proc):
    """The process the test started (its PID, this binary) runs with
    GnuTLS's variable set and its environment otherwise as given."""
    assert os.readlink(f"/proc/{proc.pid}/exe") == h.binary
    with open(f"/proc/{proc.pid}/comm") as f:  # as ps and top name it
        assert f.read().strip() == "pgkeel"
    env = environ(proc.pid)
    assert env.pop(GNUTLS_OFF, None) == "1", (
        f"{GNUTLS_OFF} not set in pgkeel's environment: {env}")
    assert env == h.env(proc.env)


def check_notifications(h, proc, ready_log):
    """READY=1 first, WATCHDOG=1 again and again while the loop runs,
    STOPPING=1 on SIGTERM; all from proc itself, started again with
    GnuTLS's variable set."""
    sock = proc.notify
    wait_until(lambda: sock.count("READY=1") == 1, what="READY=1")
    wait_until(lambda: ready_log in proc.log(), what=ready_log)
    check_started_again(h, proc)
    postmaster = wait_until(lambda: running_postgres(h, proc.pgdata),
                            what="Postgres started by this run")
    seen = sock.count("WATCHDOG=1")
    wait_until(lambda: sock.count("WATCHDOG=1") >= seen + 5,
               what="five more WATCHDOG=1")
    assert sock.count("STOPPING=1") == 0
    h.stop(proc)
    wait_until(lambda: sock.count("STOPPING=1") == 1, what="STOPPING=1")
    texts = [text for _, text in sock.drain()]
    assert texts[0].splitlines()[0] == "READY=1"
    assert texts[-1].splitlines()[0] == "STOPPING=1"
    senders = {pid for pid, _ in sock.drain()}
    assert senders == {proc.pid}, (
        f"notifications from {senders}, expected only pgkeel "
        f"({proc.pid}), not its Postgres ({postmaster}): {sock.drain()}")


def running_postgres(h, pgdata):
    return [pid for pid, d in h.postmaster_pids() if d == pgdata]


def stopped_after_a_run(h, name, pgdata, ready_log):
    """`create` leaves Postgres running: one run and a stop first, so that
    the notified run starts Postgres itself, with NOTIFY_SOCKET set."""
    proc = h.start(name + "-first", ["pgkeel", "run", "--pgdata", pgdata])
    wait_until(lambda: ready_log in proc.log(), what=ready_log)
    assert h.stop(proc) == 0
    assert running_postgres(h, pgdata) == []


def start_notified(h, name, pgdata):
    assert running_postgres(h, pgdata) == []
    sock = NotifySocket(h)
    proc = h.start(name, ["pgkeel", "run", "--pgdata", pgdata],
                   env={"NOTIFY_SOCKET": sock.path})
    proc.env = {"NOTIFY_SOCKET": sock.path}
    proc.notify = sock
    proc.pgdata = pgdata
    return proc


def test_monitor_notifies_systemd(h):
    pgdata = create_monitor(h)
    stopped_after_a_run(h, "monitor", pgdata, "monitor active")
    proc = start_notified(h, "monitor", pgdata)
    try:
        check_notifications(h, proc, "monitor active")
    finally:
        proc.notify.close()


def test_a_value_given_is_kept_as_it_is(h):
    """GNUTLS_NO_IMPLICIT_INIT=0 by hand: run neither changes it nor
    executes itself again and again."""
    pgdata = create_monitor(h)
    proc = h.start("monitor", ["pgkeel", "run", "--pgdata", pgdata],
                   env={GNUTLS_OFF: "0"})
    wait_until(lambda: "monitor active" in proc.log(), what="monitor active")
    assert environ(proc.pid) == h.env({GNUTLS_OFF: "0"})
    assert h.stop(proc) == 0


def test_keeper_notifies_systemd(h):
    c = Cluster(h)
    port = free_port()
    pgdata = h.path("node_a")
    h.pgkeel("create", "postgres", "--pgdata", pgdata, "--pgport", port,
             "--hostname", "127.0.0.1", "--name", "node_a", "--monitor",
             c.uri, "--socket-directory", c.sock)
    stopped_after_a_run(h, "node_a", pgdata, "keeper for node 1 (node_a)")
    proc = start_notified(h, "node_a", pgdata)
    try:
        c.wait_state("node_a", "single")
        check_notifications(h, proc, "keeper for node 1 (node_a)")
    finally:
        proc.notify.close()
