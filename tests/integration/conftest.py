"""pytest fixtures for pgkeel's integration tests: `h` is a Harness that
is cleaned up after every test, with every process log printed when the
test failed (tests/lib/harness_fixture.py)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))

from harness_fixture import h, pytest_runtest_makereport  # noqa


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: a long variant of a case `make check` covers "
        "already; run by `make integration-slow`")
