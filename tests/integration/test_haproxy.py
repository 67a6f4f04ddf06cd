"""HAProxy, configured by `pgkeel show haproxy-config`, in front of a
formation: the read-write port follows the primary across a whole-node
crash, the read-only port reaches a standby; checks over HTTPS, verified
against the CA when the formation has one."""

import time

from certs import make_ca, make_server_cert
from cluster import Cluster, Writer, http_formation
from harness import free_port, wait_until
from haproxy import dsn, served_by, start_haproxy


def test_haproxy_follows_the_primary_and_serves_reads(h):
    c = http_formation(h)
    text, rw, ro = start_haproxy(c)
    assert "option httpchk GET /primary" in text
    # the keepers serve HTTPS (self-signed: HAProxy cannot verify them)
    assert f"check port {c.http['a']} check-ssl verify none" in text
    a_port, b_port = c.nodes["a"]["port"], c.nodes["b"]["port"]
    wait_until(lambda: served_by(rw) == (False, a_port),
               what="the read-write port to reach a")
    wait_until(lambda: served_by(ro) == (True, b_port),
               what="the read-only port to reach b")
    w = Writer(c, dsn=dsn(rw)).start()
    w.wait_more(10)
    killed = time.monotonic()
    c.kill_node("a")
    # a's backends outlive its postmaster for a moment and may still
    # acknowledge a commit: wait until HAProxy routes to b, then take the
    # longest time without an acknowledged write since the crash
    wait_until(lambda: served_by(rw) == (False, b_port),
               what="the read-write port to reach b")
    w.wait_more(10)
    after = [t for t in w.ack_times if t > killed]
    downtime = max(b - a for a, b in zip([killed] + after, after))
    print(f"writes through HAProxy back after {downtime:.2f} s")
    # the failover target (5 s) plus HAProxy's checks (2 x 1 s), with
    # room for a loaded machine; docs/benchmarks.md has the figures
    assert downtime < 15
    w.stop()
    assert w.missing_on("b") == []
    # the old primary comes back as a standby: reads may go to it again
    c.start_keeper("a")
    c.wait_states({"a": "secondary", "b": "primary"})
    wait_until(lambda: served_by(ro) == (True, a_port),
               what="the read-only port to reach a, now a standby")


def test_haproxy_verifies_the_keepers_certificates_against_the_ca(h):
    ca = make_ca(h, "ca")

    def tls(name):
        cert = make_server_cert(h, ca, name)
        return ("--ssl-ca-file", ca["crt"], "--server-cert", cert["crt"],
                "--server-key", cert["key"])

    c = Cluster(h, extra_monitor_flags=tls("monitor"))
    http = free_port()
    c.add_node("a", "--http-port", http, *tls("a"), wait_state="single")
    c.create_app_user()
    text, rw, ro = start_haproxy(c, name="haproxy-ca.cfg")
    assert (f"check port {http} check-ssl verify required "
            f"ca-file '{ca['crt']}'") in text
    wait_until(lambda: served_by(rw) == (False, c.nodes["a"]["port"]),
               what="the read-write port to reach a, its check verified")
