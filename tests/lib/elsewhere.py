"""A data node whose Postgres was started by another process than the
keeper that supervises it, as in the README's quick start (`create
postgres`, then `pgkeel run`): `create postgres` runs under a subreaper
(subreaper.py) that reaps nothing, so the postmaster, orphaned when create
exits, stays a zombie once killed, as under an init that reaps slowly."""

import os
import subprocess
import sys

from harness import free_port, wait_until

SUBREAPER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "subreaper.py")


class Elsewhere:
    """Adds node `name` to cluster c that way; close() reaps."""

    def __init__(self, c, name):
        h = c.h
        port = free_port()
        pgdata = h.path(name)
        c.nodes[name] = {"port": port, "pgdata": pgdata, "flags": ()}
        self.log_path = h.path("logs", f"{name}-create.log")
        with open(self.log_path, "ab") as log:
            self.helper = subprocess.Popen(
                [sys.executable, SUBREAPER, h.binary, "create", "postgres",
                 "--pgdata", pgdata, "--pgport", str(port), "--hostname",
                 "127.0.0.1", "--name", name, "--monitor", c.uri,
                 "--socket-directory", c.sock],
                stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                env=h.env(), cwd=h.root, start_new_session=True,
                **h._user_kwargs())
        wait_until(lambda: "exited 0" in self._log(), timeout=60,
                   what=f"create postgres for {name}")
        c.start_keeper(name)

    def _log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def close(self):
        if self.helper.poll() is None:
            self.helper.stdin.close()
            self.helper.wait(30)


def proc_state(pid):
    """/proc's state letter of pid ("Z" for a zombie), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None
