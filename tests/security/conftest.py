"""pytest fixtures for pgkeel's security tests: `h` is a Harness that
is cleaned up after every test, with every process log printed when the
test failed."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))

from harness_fixture import harness_for, pytest_runtest_makereport  # noqa


@pytest.fixture
def h(request):
    yield from harness_for(request)
