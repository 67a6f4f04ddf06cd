"""pytest fixtures for the fault suite: `h` is a Harness, as in the
integration tests, that also removes the network namespaces and the
mounts a test created, after its processes are stopped. The suite needs
root (network namespaces, iptables) and skips without it."""

import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))

from harness_fixture import harness_for, pytest_runtest_makereport  # noqa


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "fast: the scenarios `make check` runs too")


def remove_networks_and_mounts(harness):
    for net in getattr(harness, "networks", []):
        net.remove()
    for mnt in getattr(harness, "mounts", []):
        subprocess.run(["umount", mnt], capture_output=True)


@pytest.fixture
def h(request):
    if os.geteuid() != 0:
        pytest.skip("the fault suite needs root for network namespaces")
    yield from harness_for(request, remove_networks_and_mounts)
