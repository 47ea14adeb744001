"""The Sphinx tier: the extension's behaviour on small test roots
(``tests/roots/test-*``), each with its own minimal conf.py."""

from __future__ import annotations

import pytest

from edition.compat import guard


@pytest.fixture(autouse=True)
def no_change_outlives_its_test():
    """A build undoes the changes its builder made; an application a test
    made and never built has its changes undone here."""
    yield
    for report in reversed(guard.in_force()):
        guard.revert(report)
