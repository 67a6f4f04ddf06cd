"""pytest fixtures for the fault suite: `h` is a Harness, as in the
integration tests, that also removes the network namespaces a test
created, after its processes are stopped. The suite needs root (network
namespaces, iptables) and skips without it."""

import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))

from harness import Harness  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "fast: the scenarios `make check` runs too")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def h(request):
    if os.geteuid() != 0:
        pytest.skip("the fault suite needs root for network namespaces")
    harness = Harness(request.node.name)
    yield harness
    failed = getattr(request.node, "rep_call", None)
    failed = failed is not None and failed.failed
    try:
        harness.cleanup()
    finally:
        for net in getattr(harness, "networks", []):
            net.remove()
        for mnt in getattr(harness, "mounts", []):
            subprocess.run(["umount", mnt], capture_output=True)
        if failed:
            sys.stdout.write(harness.dump_logs())
        if failed and os.environ.get("PGKEEL_KEEP_FAILED"):
            sys.stdout.write(f"\nkept {harness.root}\n")
        else:
            harness.remove()
