"""The pytest side of the harness, shared by every suite's conftest: the
`h` fixture (a Harness cleaned up after each test, every process log
printed when the test failed, its directory kept with
PGKEEL_KEEP_FAILED=1) and the hook that lets the fixture see the result.
"""

import os
import sys

import pytest

from harness import Harness


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def harness_for(request, after_cleanup=None):
    """Yields a Harness for the test; after_cleanup(harness) runs once its
    processes are stopped (to remove what they needed)."""
    harness = Harness(request.node.name)
    yield harness
    failed = getattr(request.node, "rep_call", None)
    failed = failed is not None and failed.failed
    try:
        harness.cleanup()
    finally:
        if after_cleanup:
            after_cleanup(harness)
        if failed:
            sys.stdout.write(harness.dump_logs())
        if failed and os.environ.get("PGKEEL_KEEP_FAILED"):
            sys.stdout.write(f"\nkept {harness.root}\n")
        else:
            harness.remove()


@pytest.fixture
def h(request):
    """The plain `h` fixture: a Harness cleaned up after the test."""
    yield from harness_for(request)
