"""TLS on every Postgres connection pgkeel makes or admits: self-signed by
default, verify-full with a CA the test makes with the openssl program,
certificate renewal by SIGHUP, refusals of clients without TLS or with
the wrong CA, and --no-ssl."""

import os
import signal
import stat
import subprocess

import psycopg2
import pytest

from certs import fingerprint, make_ca, make_server_cert, renew_self_signed
from cluster import Cluster, two_node_formation
from harness import wait_until

REPL_USER = "pgkeel_replication"


def served_certificate(port):
    """The PEM certificate a server presents to a new TLS connection."""
    cp = subprocess.run(
        ["openssl", "s_client", "-starttls", "postgres", "-connect",
         f"127.0.0.1:{port}"], input="", capture_output=True, text=True,
        timeout=30)
    out = cp.stdout
    start = out.find("-----BEGIN CERTIFICATE-----")
    end = out.find("-----END CERTIFICATE-----")
    assert start >= 0, cp.stdout + cp.stderr
    return out[start:end + len("-----END CERTIFICATE-----")]


def node_dir(h, pgdata):
    return os.path.join(h.home, pgdata.lstrip("/"))


def connect_error(port, sslmode, user=REPL_USER):
    """The error of a TCP connection to a node as one of pgkeel's roles."""
    with pytest.raises(psycopg2.OperationalError) as exc:
        psycopg2.connect(host="127.0.0.1", port=port, dbname="postgres",
                         user=user, password="not-the-password",
                         sslmode=sslmode, connect_timeout=5)
    return str(exc.value)


# -- tests ------------------------------------------------------------------
def test_self_signed_by_default_encrypts_every_connection(h):
    c = two_node_formation(h)
    a = c.nodes["a"]
    files = node_dir(h, a["pgdata"])
    key = os.path.join(files, "server.key")
    assert os.path.exists(os.path.join(files, "server.crt"))
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert h.psql(c.sock, a["port"], "SHOW ssl") == "on"
    # the standby's WAL receiver streams over TLS
    wait_until(lambda: h.psql(c.sock, a["port"],
                              "SELECT s.ssl FROM pg_stat_replication r "
                              "JOIN pg_stat_ssl s USING (pid)") == "t",
               what="b's replication connection over TLS")
    # the keepers' connections to the store are encrypted too
    rows = c.monitor_sql("SELECT count(*), bool_and(s.ssl) FROM "
                         "pg_stat_activity a JOIN pg_stat_ssl s USING (pid) "
                         "WHERE a.client_addr IS NOT NULL")
    count, all_ssl = rows.split("|")
    assert int(count) >= 2 and all_ssl == "t"
    # pgkeel's pg_hba lines admit TLS only, and refuse its roles without
    with open(os.path.join(a["pgdata"], "pg_hba.conf")) as f:
        hba = f.read()
    block = hba[hba.index("# BEGIN pgkeel"):hba.index("# END pgkeel")]
    lines = [ln for ln in block.splitlines()[1:] if ln]
    assert lines and all(ln.startswith(("hostssl ", "hostnossl "))
                         for ln in lines)
    plain = connect_error(a["port"], "disable")
    assert "no encryption" in plain and "rejects connection" in plain
    over_tls = connect_error(a["port"], "require")
    assert "password authentication failed" in over_tls
    # clients are told to use TLS
    assert "sslmode=require" in c.formation_uri()
    assert "sslmode=require" in c.uri


def test_sighup_renews_the_certificate(h):
    c = Cluster(h)
    a = c.add_node("a", wait_state="single")
    files = node_dir(h, a["pgdata"])
    crt, key = (os.path.join(files, f"server.{x}") for x in ("crt", "key"))
    with open(crt) as f:
        old = f.read()
    assert fingerprint(served_certificate(a["port"])) == fingerprint(old)
    # a new pair, written over the old files
    new = renew_self_signed(h, crt, key)
    assert fingerprint(new) != fingerprint(old)
    a["proc"].signal(signal.SIGHUP)
    wait_until(lambda: fingerprint(served_certificate(a["port"]))
               == fingerprint(new), what="the renewed certificate served")
    assert "reads its configuration and certificate files again" in \
        a["proc"].log()
    c.wait_state("a", "single")


def test_verify_full_with_a_ca_fails_over_and_refuses_the_wrong_ca(h):
    ca = make_ca(h, "ca")
    certs = {n: make_server_cert(h, ca, n) for n in ("monitor", "a", "b",
                                                     "c")}

    def tls(name, ca_file=ca["crt"]):
        return ("--ssl-ca-file", ca_file, "--server-cert",
                certs[name]["crt"], "--server-key", certs[name]["key"])

    c = Cluster(h, extra_monitor_flags=tls("monitor"))
    assert "sslmode=verify-full" in c.uri
    c.add_node("a", *tls("a"), wait_state="single")
    c.add_node("b", *tls("b"))
    c.wait_states({"a": "primary", "b": "secondary"})
    wait_until(lambda: all(r["reachable"] for r in c.state().values()),
               what="the monitor to reach both nodes over verify-full")
    assert c.state()["a"]["formation_health"] == "healthy"
    conf = os.path.join(c.nodes["b"]["pgdata"], "postgresql.pgkeel.conf")
    with open(conf) as f:
        text = f.read()
    assert f"ssl_ca_file = '{ca['crt']}'" in text
    # replication verifies the primary: primary_conninfo carries the CA
    assert "sslmode=''verify-full''" in text
    assert f"sslrootcert=''{ca['crt']}''" in text
    uri = c.formation_uri()
    assert "sslmode=verify-full" in uri and "sslrootcert=" in uri

    # a crash of the primary: b takes over, a comes back by pg_rewind,
    # every connection verified against the CA
    c.kill_node("a")
    c.wait_state("b", "wait_primary", timeout=30)
    c.start_keeper("a")
    c.wait_states({"a": "secondary", "b": "primary"})

    # a node that trusts another CA cannot even register
    other = make_ca(h, "other-ca")
    cp = h.pgkeel("create", "postgres", "--pgdata", h.path("c"), "--pgport",
                  "5999", "--hostname", "127.0.0.1", "--name", "c",
                  "--monitor", c.uri, "--socket-directory", c.sock,
                  *tls("c", other["crt"]), check=False, timeout=60)
    assert cp.returncode != 0
    assert "certificate verify failed" in cp.stderr, cp.stderr
    assert "ssl.ca_file" in cp.stderr
    assert "c" not in c.state()


def test_tls_flags_are_checked(h):
    c = Cluster(h)

    def create(*flags):
        return h.pgkeel("create", "postgres", "--pgdata", h.path("x"),
                        "--monitor", c.uri, "--socket-directory", c.sock,
                        *flags, check=False, timeout=60)

    ca = make_ca(h, "ca")
    crt = make_server_cert(h, ca, "x")
    cases = [
        (("--no-ssl", "--ssl-ca-file", ca["crt"]), "cannot go with"),
        (("--server-cert", crt["crt"]), "go together"),
        (("--ssl-self-signed", "--server-cert", crt["crt"], "--server-key",
          crt["key"]), "not both"),
        (("--ssl-mode", "verify-ca"), "give --ssl-ca-file"),
        (("--ssl-mode", "disable"), "--no-ssl"),
        (("--ssl-ca-file", ca["crt"]), "--server-cert and --server-key"),
        (("--server-cert", crt["crt"], "--server-key", ca["crt"]),
         "server key"),
        # the monitor requires TLS
        (("--no-ssl",), "drop --no-ssl"),
    ]
    for flags, message in cases:
        cp = create(*flags)
        assert cp.returncode != 0, flags
        assert message in cp.stderr, (flags, cp.stderr)
    os.chmod(crt["key"], 0o644)
    cp = create("--server-cert", crt["crt"], "--server-key", crt["key"])
    assert "chmod 600" in cp.stderr
    assert c.state() == {}


def test_no_ssl_warns_and_works(h):
    c = Cluster(h, extra_monitor_flags=("--no-ssl",))
    assert "sslmode=disable" in c.uri
    a = c.add_node("a", "--no-ssl", wait_state="single")
    assert "not encrypted" in a["proc"].log()
    c.add_node("b", "--no-ssl")
    c.wait_states({"a": "primary", "b": "secondary"})
    assert h.psql(c.sock, a["port"], "SHOW ssl") == "off"
    assert h.psql(c.sock, a["port"],
                  "SELECT s.ssl FROM pg_stat_replication r "
                  "JOIN pg_stat_ssl s USING (pid)") == "f"
    with open(os.path.join(a["pgdata"], "pg_hba.conf")) as f:
        assert "\nhost replication " + REPL_USER in f.read()
    assert "sslmode=disable" in c.formation_uri()
