"""Integration-test harness for pgkeel.

Runs the real `pgkeel` binary exactly as a user would, as an unprivileged
user when the tests run as root (Postgres refuses root), in a temporary
directory with loopback ports chosen free. Every process it starts is
recorded by PID and stopped at the end, together with any Postgres server
whose data directory lives under the test's directory; nothing else is
ever signalled.
"""

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.path.join(REPO, "build", "pgkeel")
DEFAULT_TIMEOUT = 30.0

_used_ports = set()


def second_user(name="pgkeel_mon"):
    """Another unprivileged account (created when missing), for processes
    that must be told apart from the others, e.g. by iptables' owner
    match. Only when running as root."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home",
                        "--shell", "/usr/sbin/nologin", name], check=True)
        return pwd.getpwnam(name)


def test_user():
    """The unprivileged account processes run as when we are root."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("PGKEEL_TEST_USER", "postgres")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise RuntimeError(
            f"running as root needs an unprivileged user '{name}' "
            "(Debian's postgresql package creates it; or set PGKEEL_TEST_USER)")


def free_port():
    """A loopback TCP port that nothing listens on, not handed out before."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _used_ports and port < 60000:
            _used_ports.add(port)
            return port
    raise RuntimeError("no free loopback port found")


def wait_until(condition, timeout=DEFAULT_TIMEOUT, what="condition",
               interval=0.1, show=None):
    """Polls condition() until it returns a truthy value or the deadline
    passes; returns that value, or raises AssertionError naming `what` and
    the last value seen (or what show() returns then)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = condition()
        except Exception as exc:  # a not-yet-ready server raises
            last = exc
        else:
            if last:
                return last
        if time.monotonic() >= deadline:
            if show:
                try:
                    last = show()
                except Exception as exc:
                    last = exc
            raise AssertionError(
                f"timed out after {timeout:.0f}s waiting for {what}; "
                f"last seen: {last!r}")
        time.sleep(interval)


class Proc:
    """A process started by the harness, with its log file."""

    def __init__(self, name, popen, log_path):
        self.name = name
        self.popen = popen
        self.log_path = log_path

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def signal(self, signo):
        if self.alive():
            os.kill(self.popen.pid, signo)

    def signal_group(self, signo):
        """Signals the process and its children (its own session)."""
        try:
            os.killpg(self.popen.pid, signo)
        except ProcessLookupError:
            pass

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""


class Harness:
    """One test's world: a directory, its processes, and their logs."""

    def __init__(self, name="test"):
        self.user = test_user()
        self.root = tempfile.mkdtemp(prefix=f"pgkeel-{name[:40]}-")
        self.home = os.path.join(self.root, "home")
        self.logs = os.path.join(self.root, "logs")
        self.bindir = os.path.join(self.root, "bin")
        for d in (self.home, self.logs, self.bindir):
            os.makedirs(d)
        self.binary = os.path.join(self.bindir, "pgkeel")
        shutil.copy2(BINARY, self.binary)
        os.chmod(self.root, 0o755)
        self._chown_tree(self.root)
        self.procs = []

    # -- files -------------------------------------------------------------
    def _chown_tree(self, path):
        if not self.user:
            return
        for dirpath, dirnames, filenames in os.walk(path):
            for entry in [dirpath] + [os.path.join(dirpath, n)
                                      for n in dirnames + filenames]:
                os.lchown(entry, self.user.pw_uid, self.user.pw_gid)

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def mkdir(self, *parts, user=None):
        p = self.path(*parts)
        os.makedirs(p, exist_ok=True)
        owner = user or self.user
        if owner:
            os.chown(p, owner.pw_uid, owner.pw_gid)
        return p

    # -- running ------------------------------------------------------------
    def env(self, extra=None):
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": self.home,
            "PGKEEL_HOME": self.home,
            "LANG": "C.UTF-8",
            "PGCONNECT_TIMEOUT": "5",
        }
        if extra:
            env.update(extra)
        return env

    def _user_kwargs(self, user=None):
        user = user or self.user
        if not user:
            return {}
        return {"user": user.pw_uid, "group": user.pw_gid,
                "extra_groups": []}

    def pgkeel(self, *args, check=True, timeout=120, env=None, user=None):
        """Runs a pgkeel command to completion; returns CompletedProcess."""
        cp = subprocess.run([self.binary, *map(str, args)],
                            capture_output=True, text=True, timeout=timeout,
                            env=self.env(env), cwd=self.root,
                            **self._user_kwargs(user))
        if check and cp.returncode != 0:
            raise AssertionError(
                f"pgkeel {' '.join(map(str, args))} exited "
                f"{cp.returncode}\nstdout:\n{cp.stdout}\nstderr:\n{cp.stderr}")
        return cp

    def run(self, argv, timeout=120):
        """Runs a program to completion as the test user, in our directory
        (Patroni and pg_autoctl refuse root); returns its output, raises
        RuntimeError naming the command and the end of its stderr."""
        cp = subprocess.run([str(a) for a in argv], capture_output=True,
                            text=True, timeout=timeout, env=self.env(),
                            cwd=self.root, **self._user_kwargs())
        if cp.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, argv))} exited "
                               f"{cp.returncode}: {cp.stderr.strip()[-2000:]}")
        return cp.stdout

    def psql(self, sockdir, port, sql, db="postgres", user=None):
        """Runs SQL through the Unix socket as the test user (a Postgres
        superuser by peer authentication); returns the output rows."""
        cp = subprocess.run(
            ["/usr/bin/psql", "-X", "-v", "ON_ERROR_STOP=1", "-At", "-h",
             sockdir, "-p", str(port), "-d", db, "-c", sql],
            capture_output=True, text=True, timeout=60, env=self.env(),
            **self._user_kwargs(user))
        if cp.returncode != 0:
            raise AssertionError(f"psql failed: {cp.stderr}")
        return cp.stdout.strip()

    def pgkeel_json(self, *args, **kw):
        return json.loads(self.pgkeel(*args, "--json", **kw).stdout)

    def start(self, name, argv, env=None, user=None, as_root=False):
        """Starts a long-running process (argv[0] 'pgkeel' means ours);
        as_root for wrappers that drop privileges themselves."""
        if argv[0] == "pgkeel":
            argv = [self.binary, *argv[1:]]
        log_path = os.path.join(self.logs, f"{name}.log")
        log = open(log_path, "ab")
        popen = subprocess.Popen([str(a) for a in argv], stdout=log,
                                 stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, env=self.env(env),
                                 cwd=self.root, start_new_session=True,
                                 **({} if as_root
                                    else self._user_kwargs(user)))
        log.close()
        proc = Proc(name, popen, log_path)
        self.procs.append(proc)
        return proc

    def stop(self, proc, timeout=20.0):
        """SIGTERM, then SIGKILL after timeout; waits for the exit."""
        if proc.alive():
            proc.signal(signal.SIGTERM)
            try:
                proc.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.signal_group(signal.SIGKILL)
                proc.popen.wait(10)
        proc.signal_group(signal.SIGKILL)  # leftovers in its session
        return proc.popen.returncode

    def kill(self, proc):
        """SIGKILL the process and every child in its session."""
        proc.signal_group(signal.SIGKILL)
        proc.popen.wait(10)

    # -- Postgres servers under our directory --------------------------------
    def postmaster_pids(self):
        """PIDs of live postmasters whose data directories are ours."""
        pids = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            if "postmaster.pid" in filenames:
                pid = read_postmaster_pid(dirpath)
                if pid and pid_alive(pid) and owns_datadir(pid, dirpath):
                    pids.append((pid, dirpath))
            dirnames[:] = [d for d in dirnames if d not in ("base", "pg_wal")]
        return pids

    def cleanup(self):
        for proc in reversed(self.procs):
            try:
                self.stop(proc, timeout=15.0)
            except Exception:
                pass
        for pid, _ in self.postmaster_pids():
            os.kill(pid, signal.SIGQUIT)  # immediate shutdown of our server
        wait_until(lambda: not self.postmaster_pids(), timeout=20,
                   what="our Postgres servers to exit")

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def dump_logs(self):
        out = []
        for proc in self.procs:
            out.append(f"===== {proc.name} (pid {proc.pid}) =====\n"
                       f"{proc.log()}")
        for dirpath, _, filenames in os.walk(self.root):
            for f in filenames:
                if f.endswith(".log") and dirpath != self.logs:
                    p = os.path.join(dirpath, f)
                    with open(p, errors="replace") as fh:
                        out.append(f"===== {p} =====\n{fh.read()[-20000:]}")
        return "\n".join(out)


def read_postmaster_pid(datadir):
    try:
        with open(os.path.join(datadir, "postmaster.pid")) as f:
            return int(f.readline().strip())
    except (OSError, ValueError):
        return None


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def owns_datadir(pid, datadir):
    """True when pid is a process whose working directory is datadir (a
    postmaster chdirs into its data directory) or whose command line names
    it."""
    real = os.path.realpath(datadir)
    try:
        if os.readlink(f"/proc/{pid}/cwd") == real:
            return True
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            args = [a.decode(errors="replace") for a in f.read().split(b"\0")]
    except OSError:
        return False
    return any(a and os.path.realpath(a) == real for a in args)
