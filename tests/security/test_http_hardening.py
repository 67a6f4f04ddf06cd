"""A client that opens many connections and sends nothing (or sends a
request a byte at a time) must not starve the routing checks a load
balancer relies on (docs/security.md, "HTTP API")."""

import os
import socket
import time

from cluster import http_formation
from harness import wait_until
from httpapi import request

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
    assert request(port, "/primary", timeout=1)[0] == 200
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


def get(port, path, headers=None):
    status, _, answer_headers = request(port, path, headers=headers)
    return status, dict(answer_headers)


def auth_file(h, name, line, mode=0o600):
    path = h.path(name)
    with open(path, "w") as f:
        f.write(line + "\n")
    os.chmod(path, mode)
    if h.user:
        os.chown(path, h.user.pw_uid, h.user.pw_gid)
    return path


def test_everything_but_the_routing_checks_takes_credentials(h):
    token = auth_file(h, "token.auth", "token s3cret-token")
    c = http_formation(h, "--http-auth-file", token)
    a, b = c.http["a"], c.http["b"]
    assert get(a, "/primary")[0] == 200  # load balancers need no secret
    assert get(b, "/replica")[0] == 200
    assert get(a, "/health")[0] == 200
    for path in ("/node", "/metrics"):
        code, headers = get(a, path)
        assert code == 401 and "WWW-Authenticate" in headers, path
        assert get(a, path, {"Authorization": "Bearer wrong"})[0] == 401
        assert get(a, path, {"Authorization":
                             "Bearer s3cret-token"})[0] == 200
    assert "s3cret-token" not in h.dump_logs()


def test_an_auth_file_others_can_read_is_refused(h):
    loose = auth_file(h, "loose.auth", "basic ops:pw", mode=0o644)
    c = http_formation(h)
    h.stop(c.nodes["b"]["proc"])
    cp = h.pgkeel("run", "--pgdata", c.nodes["b"]["pgdata"],
                  "--http-auth-file", loose, check=False, timeout=20)
    assert cp.returncode == 3
    assert f"chmod 600 {loose}" in cp.stderr
