"""pgkeel config check: every check of a healthy node and of its monitor
passes; a secret file others can read and a port another program took
are named, with what to do, and exit 3."""

import os
import socket

from cluster import two_node_formation
from harness import wait_until

CHECKS = ("configuration", "timeouts", "secret files", "postgres binaries",
          "data directory", "port", "tls files", "store", "registration")


def check(c, name, **kw):
    return c.h.pgkeel("config", "check", "--pgdata",
                      c.nodes[name]["pgdata"], **kw)


def test_config_check_passes_then_names_what_is_wrong(h):
    c = two_node_formation(h)
    cp = check(c, "b")
    for name in CHECKS:
        assert f"ok    {name}" in cp.stdout, (name, cp.stdout)
    out = h.pgkeel_json("config", "check", "--pgdata",
                        c.nodes["b"]["pgdata"])
    assert out["ok"] is True
    assert {x["check"] for x in out["checks"]} == set(CHECKS)
    mon = c.mon_pgkeel("config", "check", "--pgdata", c.monitor_dir)
    assert "FAIL" not in mon.stdout and "ok    store" in mon.stdout

    ini = os.path.join(h.home, c.nodes["b"]["pgdata"].lstrip("/"),
                       "pgkeel.ini")
    os.chmod(ini, 0o644)
    try:
        cp = check(c, "b", check=False)
        assert cp.returncode == 3, cp.stdout
        assert "FAIL  secret files" in cp.stdout and ini in cp.stdout
    finally:
        os.chmod(ini, 0o600)

    # b stopped, and another program on its port
    h.stop(c.nodes["b"]["proc"])
    wait_until(lambda: "free" in check(c, "b").stdout,
               what="b's port free once its Postgres stopped")
    squatter = socket.socket()
    squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    squatter.bind(("127.0.0.1", c.nodes["b"]["port"]))
    squatter.listen(1)
    try:
        cp = check(c, "b", check=False)
        assert cp.returncode == 3, cp.stdout
        assert "FAIL  port" in cp.stdout and "another program" in cp.stdout
        # the store still has b registered
        assert "ok    registration" in cp.stdout
    finally:
        squatter.close()
