"""A client that opens many connections and sends nothing (or sends a
request a byte at a time) must not starve the routing checks a load
balancer relies on (docs/security.md, "HTTP API")."""

import socket
import time
import urllib.request

from cluster import http_formation
from harness import wait_until

ATTACKER = "127.0.0.2"  # any 127/8 address is this machine's loopback


def attacker_socket(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((ATTACKER, 0))
    s.settimeout(2)
    s.connect(("127.0.0.1", port))
    return s


def still_open(s):
    s.setblocking(False)
    try:
        return s.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True  # nothing to read: the server keeps it open
    except OSError:
        return False


def check_primary(port):
    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/primary",
                                timeout=1) as r:
        assert r.status == 200
    return time.monotonic() - started


def test_half_open_connections_do_not_starve_the_checks(h):
    c = http_formation(h)
    port = c.http["a"]
    held = []
    try:
        for _ in range(64):  # connected, never a byte sent
            held.append(attacker_socket(port))
        for _ in range(4):  # a request that never ends
            s = attacker_socket(port)
            s.sendall(b"GET /primary HTTP/1.1\r\nHost: a\r\n")
            held.append(s)
        for _ in range(5):
            assert check_primary(port) < 1.0
        # the server closed what one client holds beyond its share
        wait_until(lambda: sum(still_open(s) for s in held) <= 8,
                   timeout=5, what="connections beyond the limit closed")
    finally:
        for s in held:
            s.close()
    assert check_primary(port) < 1.0
