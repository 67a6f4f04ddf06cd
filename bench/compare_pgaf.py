"""pg_auto_failover in the side-by-side benchmark (bench/compare.py): a
monitor (`pg_autoctl create monitor --run`) and two Postgres nodes
(`pg_autoctl create postgres --run`) on loopback, from Debian's packages,
with the tool's default settings. The choices pg_autoctl requires are made
as in its quick start: trust authentication between the nodes and
self-signed TLS certificates."""

import subprocess
import time

from bare_pair import PG_BIN
from compare_common import Formation, query
from harness import free_port, read_postmaster_pid, wait_until

COMMON = ["--hostname", "127.0.0.1", "--listen", "127.0.0.1", "--auth",
          "trust", "--ssl-self-signed", "--pgctl", f"{PG_BIN}/pg_ctl"]
MONITOR_GUCS = ("health_check_period", "health_check_timeout",
                "health_check_max_retries", "health_check_retry_delay",
                "node_considered_unhealthy_timeout", "primary_demote_timeout",
                "startup_grace_period")
KEEPER_TIMEOUTS = ("network_partition_timeout", "prepare_promotion_catchup",
                   "prepare_promotion_walreceiver",
                   "postgresql_restart_failure_timeout",
                   "postgresql_restart_failure_max_retries")


def version():
    out = subprocess.run(["pg_autoctl", "--version"], capture_output=True,
                         text=True).stdout
    return out.splitlines()[0].strip()


class PgafFormation(Formation):
    tool = "pg_auto_failover"

    def setup(self):
        """Monitor, then both nodes at once (the monitor makes one the
        primary); the seconds until the primary has a streaming standby."""
        t0 = time.monotonic()
        self.mon_dir, self.mon_port = self.h.path("monitor"), free_port()
        self.monitor = self.h.start("monitor", [
            "pg_autoctl", "create", "monitor", "--pgdata", self.mon_dir,
            "--pgport", self.mon_port, *COMMON, "--run"])
        wait_until(self.monitor_ready, timeout=60, interval=0.1,
                   what="the pg_auto_failover monitor")
        uri = (f"postgres://autoctl_node@127.0.0.1:{self.mon_port}"
               "/pg_auto_failover?sslmode=require")
        for n in ("a", "b"):
            self.nodes[n], self.pgdata[n] = free_port(), self.h.path(n)
            self.agents[n] = self.h.start(n, [
                "pg_autoctl", "create", "postgres", "--pgdata",
                self.pgdata[n], "--pgport", self.nodes[n], "--name", n,
                "--monitor", uri, *COMMON, "--run"])
        self.wait_streaming()
        elapsed = time.monotonic() - t0
        self.wait_settled()
        self.create_app_role(self.primary_by_monitor())
        return elapsed

    def monitor_sql(self, sql):
        return query(f"host=127.0.0.1 port={self.mon_port} "
                     "dbname=pg_auto_failover user=postgres "
                     "connect_timeout=2", sql)

    def monitor_ready(self):
        return self.monitor_sql("SELECT count(*) FROM pg_extension WHERE "
                                "extname = 'pgautofailover'")[0][0] == 1

    def states(self):
        return {r[0]: (r[1], r[2]) for r in self.monitor_sql(
            "SELECT nodename, reportedstate, goalstate "
            "FROM pgautofailover.node")}

    def wait_settled(self, timeout=120):
        """Until the monitor has a primary and a secondary, both reached."""
        def settled():
            st = self.states()
            want = [("primary", "primary"), ("secondary", "secondary")]
            return sorted(st.values()) == want
        wait_until(settled, timeout=timeout, what="pgaf primary/secondary",
                   show=self.states)

    def primary_by_monitor(self):
        return next(n for n, (rep, goal) in self.states().items()
                    if goal == "primary")

    def switchover(self, primary, standby):
        self.h.run(["pg_autoctl", "perform", "switchover", "--pgdata",
                    self.pgdata[standby]])

    def control_plane(self):
        return {"monitor (pg_autoctl)": [self.monitor.pid],
                "monitor's Postgres": [read_postmaster_pid(self.mon_dir)]}

    def settings(self):
        """The defaults that decide failover, read from the running tool."""
        gucs = {r[0]: r[1] + (r[2] or "") for r in self.monitor_sql(
            "SELECT name, setting, unit FROM pg_settings WHERE name = ANY "
            f"(ARRAY{['pgautofailover.' + g for g in MONITOR_GUCS]})")}
        keeper = {t: self.h.run([
            "pg_autoctl", "config", "get", "--pgdata", self.pgdata["a"],
            f"timeout.{t}"]).strip() for t in KEEPER_TIMEOUTS}
        nss = self.h.run(["pg_autoctl", "get", "formation",
                          "number-sync-standbys", "--pgdata",
                          self.pgdata["a"]]).strip()
        ssn = query(self.superuser_dsn(self.primary_by_monitor()),
                    "SHOW synchronous_standby_names")[0][0]
        return (
            "pg_auto_failover: a monitor (pg_autoctl and its Postgres) and "
            "two nodes, each with `pg_autoctl create postgres --run`, "
            "started together; `--auth trust --ssl-self-signed` (the "
            "choices it requires, as in its quick start). Monitor: "
            + ", ".join(f"{k.split('.')[1]} {v}" for k, v in
                        sorted(gucs.items()))
            + "; keeper (s): " + ", ".join(f"{k} {v}" for k, v in
                                            keeper.items())
            + f"; number_sync_standbys {nss}, each node in the replication "
            f"quorum, so replication is synchronous "
            f"(synchronous_standby_names `{ssn}`).")
