"""The HTTP API over TLS, as every node made without --no-ssl serves it:
the node's own certificate (verified by a client that trusts it), plain
HTTP refused, a renewed certificate served
after SIGHUP, http.tls false for plain HTTP."""

import os
import signal
import socket
import ssl

import pytest

from certs import fingerprint, renew_self_signed
from cluster import Cluster, http_formation
from harness import free_port, wait_until
from httpapi import request


def node_files(h, pgdata):
    return os.path.join(h.home, pgdata.lstrip("/"))


def served_fingerprint(port):
    pem = ssl.get_server_certificate(("127.0.0.1", port), timeout=5)
    return fingerprint(pem)


def plain_http_answer(port):
    """What a plain-HTTP client gets from the port: the status line, or
    b"" when the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET /primary HTTP/1.1\r\nHost: a\r\n\r\n")
        try:
            return s.recv(64)
        except (ConnectionResetError, socket.timeout):
            return b""


def test_https_with_the_node_certificate_renewed_by_sighup(h):
    c = http_formation(h)
    a = c.nodes["a"]
    files = node_files(h, a["pgdata"])
    crt, key = (os.path.join(files, f"server.{x}") for x in ("crt", "key"))
    port = c.http["a"]
    # verified against the node's own certificate (its name: 127.0.0.1)
    assert request(port, "/primary", cafile=crt)[0] == 200
    mon_crt = os.path.join(node_files(h, c.monitor_dir), "server.crt")
    assert request(c.http["monitor"], "/formations", cafile=mon_crt)[0] \
        == 200
    # a client that trusts another certificate is refused
    other = os.path.join(node_files(h, c.nodes["b"]["pgdata"]),
                         "server.crt")
    with pytest.raises(Exception) as exc:
        request(port, "/primary", cafile=other)
    assert "CERTIFICATE_VERIFY_FAILED" in str(exc.value)
    # plain HTTP to the HTTPS port gets no answer
    assert not plain_http_answer(port).startswith(b"HTTP/")
    # renewal: new files in place, SIGHUP, the new certificate served
    before = served_fingerprint(port)
    new = renew_self_signed(h, crt, key)
    assert fingerprint(new) != before
    a["proc"].signal(signal.SIGHUP)
    wait_until(lambda: served_fingerprint(port) == fingerprint(new),
               what="the HTTP API to serve the renewed certificate")
    assert request(port, "/primary", cafile=crt)[0] == 200
    assert "HTTP API on 127.0.0.1 port %d (HTTPS)" % port in \
        a["proc"].log()


def test_http_tls_false_serves_plain_http(h):
    c = Cluster(h)
    port = free_port()
    a = c.add_node("a", "--http-port", port, "--http-tls", "false",
                   wait_state="single")
    assert request(port, "/health", scheme="http")[0] == 200
    with pytest.raises(Exception):
        request(port, "/health")  # no TLS handshake on this port
    assert "(plain HTTP)" in a["proc"].log()
    text = h.pgkeel("show", "haproxy-config", "--pgdata", a["pgdata"]).stdout
    assert f"check port {port}\n" in text and "check-ssl" not in text
