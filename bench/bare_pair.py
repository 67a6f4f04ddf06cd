"""A primary and its streaming standby run by Postgres alone, with its
own defaults and no manager: what any formation costs before a manager
adds its own work (bench/idle_cost.py measures it beside pgkeel's)."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))

from harness import free_port, read_postmaster_pid, wait_until  # noqa: E402

PG_BIN = "/usr/lib/postgresql/15/bin"


def start(h):
    """Starts the pair under h's directory (h.cleanup stops both);
    returns their postmasters' PIDs, primary first, once the standby
    streams."""
    sock = h.mkdir("bare-sock")
    primary, standby = h.path("bare-primary"), h.path("bare-standby")
    ports = free_port(), free_port()
    h.run([f"{PG_BIN}/initdb", "-D", primary, "-A", "trust"])
    for datadir, port in ((primary, ports[0]), (standby, ports[1])):
        if datadir == standby:
            h.run([f"{PG_BIN}/pg_basebackup", "-D", standby, "-R", "-h",
                   "127.0.0.1", "-p", ports[0]])
        h.run([f"{PG_BIN}/pg_ctl", "-D", datadir, "-w", "-l",
               f"{datadir}.log", "-o",
               f"-p {port} -k {sock} -c listen_addresses=127.0.0.1", "start"])
    wait_until(lambda: h.psql(sock, ports[1], "SELECT status FROM"
                              " pg_stat_wal_receiver") == "streaming",
               what="the bare standby to stream")
    return read_postmaster_pid(primary), read_postmaster_pid(standby)
