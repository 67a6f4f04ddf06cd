"""Helpers for tests that drive one Postgres node through `pgkeel do`."""

import json
import os

import psycopg2

from harness import free_port, wait_until

PASSWORD = "test-secret"


class Node:
    """A data directory, its port, and the flags every operation needs."""

    def __init__(self, h, name, port=None, pgdata=None):
        self.h = h
        self.name = name
        self.port = port or free_port()
        self.pgdata = pgdata or h.path(name)
        self.sockdir = h.mkdir("sock")
        self.upstream = None

    def flags(self, extra=()):
        f = ["--pgdata", self.pgdata, "--pgport", self.port, "--name",
             self.name, "--socket-directory", self.sockdir,
             "--replication-password", PASSWORD, "--allow-hosts",
             "127.0.0.1", "--listen-addresses", "127.0.0.1"]
        if self.upstream:
            f += ["--upstream-host", "127.0.0.1", "--upstream-port",
                  self.upstream.port, "--upstream-slot",
                  "pgkeel_" + self.name]
        return f + list(extra)

    def do(self, op, *extra, check=True):
        return self.h.pgkeel("do", op, *self.flags(extra), check=check)

    def observe(self):
        return json.loads(self.do("observe").stdout)

    def trust_tests(self):
        """Lets the tests connect as postgres over TCP: a user's own line
        placed right below pgkeel's block (first match wins), then a
        reload."""
        path = os.path.join(self.pgdata, "pg_hba.conf")
        text = open(path).read()
        marker = "# END pgkeel managed block\n"
        line = "host all postgres 127.0.0.1/32 trust\n"
        text = text.replace(marker, marker + line) if marker in text \
            else line + text
        with open(path, "w") as f:
            f.write(text)
        os.kill(self.postmaster_pid(), 1)
        wait_until(self.accepts_writes_or_reads, timeout=10,
                   what=f"test access to {self.name}")

    def postmaster_pid(self):
        with open(os.path.join(self.pgdata, "postmaster.pid")) as f:
            return int(f.readline())

    def connect(self, **kw):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port,
                                user="postgres", dbname="postgres",
                                connect_timeout=3, **kw)
        conn.autocommit = True
        return conn

    def sql(self, query, args=None):
        with self.connect() as conn, conn.cursor() as cur:
            cur.execute(query, args)
            rows = cur.fetchall() if cur.description else None
        conn.close()
        return rows

    def value(self, query, args=None):
        return self.sql(query, args)[0][0]

    def accepts_writes_or_reads(self):
        try:
            self.value("SELECT 1")
            return True
        except psycopg2.Error:
            return False

    def accepts_writes(self):
        try:
            return not self.value("SELECT pg_is_in_recovery()")
        except psycopg2.Error:
            return False

    def wait_rows(self, table, count, timeout=30):
        return wait_until(
            lambda: self.value(f"SELECT count(*) FROM {table}") == count,
            timeout=timeout, what=f"{count} rows in {table} on {self.name}")
