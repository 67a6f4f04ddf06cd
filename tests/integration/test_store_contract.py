"""The store contract (src/store/store.h) on the postgres driver: the
cases of tests/unit/test_store_contract.c, which the in-memory driver
passes in `make unit`, run against a real monitor's store (its Postgres
up, no monitor process holding the lease)."""

import os
import re
import shutil
import subprocess

from harness import REPO, free_port

SOURCE = os.path.join(REPO, "tests", "unit", "test_store_contract.c")
CONTRACT = os.path.join(REPO, "build", "unit", "test_store_contract")


def test_the_postgres_driver_keeps_the_store_contract(h):
    assert os.path.exists(CONTRACT), \
        "build it first: make build/unit/test_store_contract"
    with open(SOURCE) as f:
        cases = len(re.findall(r"^\s+CASE\(\w+\)", f.read(), re.M))
    binary = os.path.join(h.bindir, "test_store_contract")
    shutil.copy2(CONTRACT, binary)
    sock = h.mkdir("sock")
    monitor = h.path("monitor")
    port = free_port()
    h.pgkeel("create", "monitor", "--pgdata", monitor, "--pgport", port,
             "--hostname", "127.0.0.1", "--socket-directory", sock)
    uri = h.pgkeel("show", "uri", "--pgdata", monitor,
                   "--monitor").stdout.strip()
    cp = subprocess.run(
        [binary], capture_output=True, text=True, timeout=300, cwd=h.root,
        env=h.env({"PGKEEL_STORE_CONTRACT_URI": uri,
                   "PGKEEL_STORE_CONTRACT_SOCKDIR": sock,
                   "PGKEEL_STORE_CONTRACT_PORT": str(port),
                   "PGKEEL_STORE_CONTRACT_DIR": h.mkdir("contract")}),
        **h._user_kwargs())
    out = cp.stdout + cp.stderr
    assert "store contract on the postgres driver" in out, out
    assert cp.returncode == 0, out
    assert f"[  PASSED  ] {cases} test(s)" in out, out
