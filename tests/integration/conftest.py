"""pytest fixtures for pgkeel's integration tests: `h` is a Harness that
is cleaned up after every test, with every process log printed when the
test failed."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))

from harness import Harness  # noqa: E402


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def h(request):
    harness = Harness(request.node.name)
    yield harness
    failed = getattr(request.node, "rep_call", None)
    failed = failed is not None and failed.failed
    try:
        harness.cleanup()
    finally:
        if failed:
            sys.stdout.write(harness.dump_logs())
        if failed and os.environ.get("PGKEEL_KEEP_FAILED"):
            sys.stdout.write(f"\nkept {harness.root}\n")
        else:
            harness.remove()
