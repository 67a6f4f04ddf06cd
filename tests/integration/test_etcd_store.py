"""The store contract (src/store/store.h) on the etcd driver: the cases
of tests/unit/test_store_contract.c run against real etcd members that
the test starts, one member, then three the first of which the URI
names is killed before they run (and, frozen, holds a command no longer
than the store's timeout), one member with etcd's authentication
on, each node with its own etcd user, and one member over TLS
(docs/etcd.md)."""

import os
import re
import shutil
import signal
import subprocess
import time

from certs import make_ca, make_server_cert
from etcd import EtcdCluster
from harness import REPO

SOURCE = os.path.join(REPO, "tests", "unit", "test_store_contract.c")
CONTRACT = os.path.join(REPO, "build", "unit", "test_store_contract")
RBAC = os.path.join(REPO, "build", "unit", "test_etcd_rbac")
STORE_TIMEOUT_S = 1.0  # timeouts.store_timeout's default


def case_count():
    with open(SOURCE) as f:
        return len(re.findall(r"^\s+CASE\(\w+\)", f.read(), re.M))


def contract(h, cluster, prefix, query=""):
    assert os.path.exists(CONTRACT), \
        "build it first: make build/unit/test_store_contract"
    binary = os.path.join(h.bindir, "test_store_contract")
    shutil.copy2(CONTRACT, binary)
    env = h.env({
        "PGKEEL_STORE_CONTRACT_ETCD_URI":
            f"etcd://{cluster.members}{prefix}{query}",
        "PGKEEL_STORE_CONTRACT_DIR": h.mkdir("contract"),
        "PGKEEL_STORE_CONTRACT_ETCD_PIDS":
            ",".join(map(str, cluster.pids()))})
    return subprocess.Popen([binary], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            cwd=h.root, env=env)


def passed(h, p):
    out, _ = p.communicate(timeout=300)
    assert "store contract on the etcd driver" in out, out
    assert p.returncode == 0, out
    assert f"[  PASSED  ] {case_count()} test(s)" in out, out
    return out


def test_the_etcd_driver_keeps_the_store_contract(h):
    cluster = EtcdCluster(h, 1)
    passed(h, contract(h, cluster, "/contract"))


def test_calls_go_on_through_the_members_left(h):
    cluster = EtcdCluster(h, 3)
    # the first member of the URI, the one every handle tries first, dies
    cluster.kill(cluster.names[0])
    passed(h, contract(h, cluster, "/failover"))


def test_a_silent_first_member_holds_a_call_one_share_of_its_time(h):
    cluster = EtcdCluster(h, 3)
    # a formation of one node, in the key layout of docs/etcd.md
    for key, value in (
            ("/formations/frozen", ""),
            ("/f/frozen/config", '{"health":"healthy",'
             '"number_sync_standbys":1,"switchover_to":-1}'),
            ("/f/frozen/nodes/1/spec", '{"host":"127.0.0.1","id":1,'
             '"name":"a","port":5432}')):
        cluster.etcdctl("put", "--", cluster.prefix + key, value)
    # the first member of the URI stops answering without refusing:
    # a call to it runs out of time rather than failing at once
    cluster.procs[cluster.names[0]].signal(signal.SIGSTOP)
    try:
        assert not cluster.healthy(cluster.names[0])  # it is silent
        start = time.monotonic()
        rows = h.pgkeel_json("show", "state", "--monitor", cluster.uri,
                             "--formation", "frozen")
        took = time.monotonic() - start
    finally:
        cluster.procs[cluster.names[0]].signal(signal.SIGCONT)
    assert [r["name"] for r in rows] == ["a"], rows
    # store_timeout is 1 s by default (docs/configuration.md)
    assert took < STORE_TIMEOUT_S + 1, f"show state took {took:.1f} s"


def test_with_authentication_each_node_writes_its_own_keys_alone(h):
    cluster = EtcdCluster(h, 1)
    passfile = cluster.enable_auth()
    root = f"?user=root&passfile={passfile}"
    # every case again, each node with its own etcd user
    passed(h, contract(h, cluster, "/auth", root))
    roles = cluster.etcdctl("role", "list", user=f"root:{_password(passfile)}")
    assert "pgkeel-node-" in roles, roles
    # and what etcd itself refuses to a node's credential
    binary = os.path.join(h.bindir, "test_etcd_rbac")
    shutil.copy2(RBAC, binary)
    cp = subprocess.run(
        [binary], capture_output=True, text=True, timeout=120, cwd=h.root,
        env=h.env({"PGKEEL_ETCD_RBAC_URI": cluster.uri + root,
                   "PGKEEL_ETCD_RBAC_DIR": h.mkdir("rbac")}))
    out = cp.stdout + cp.stderr
    assert cp.returncode == 0, out
    assert "[  PASSED  ] 1 test(s)" in out, out
    assert "SKIPPED" not in out, out


def _password(path):
    with open(path) as f:
        return f.read().strip()


def test_over_tls_the_members_are_verified_with_the_uris_ca(h):
    ca = make_ca(h, "etcd-ca")
    cluster = EtcdCluster(h, 1, tls={"ca": ca,
                                     "cert": make_server_cert(h, ca, "etcd")})
    passed(h, contract(h, cluster, "/tls", f"?cacert={ca['crt']}"))
    # another CA: no member is trusted, nothing is sent in clear
    other = make_ca(h, "other-ca")
    p = contract(h, cluster, "/tls2", f"?cacert={other['crt']}")
    out, _ = p.communicate(timeout=300)
    assert p.returncode != 0, out
    assert "[  FAILED  ] register_then_read_back" in out, out
