"""The build clock (edition.clock): SOURCE_DATE_EPOCH when it is set, now
when it is not, and an error, never today, when it is not a number."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from edition.clock import build_epoch, build_moment
from edition.errors import EditionError


def test_the_sources_date_when_given(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_epoch() == 1700000000
    assert build_moment() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)


@pytest.mark.parametrize("unset", [None, "", "  "])
def test_now_when_not(monkeypatch, unset):
    if unset is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", unset)
    assert abs(build_epoch() - time.time()) < 5


@pytest.mark.parametrize("bad", ["yesterday", "-5", "1.5e9", "17000000x"])
def test_a_value_that_is_not_seconds_is_one_clear_error(monkeypatch, bad):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", bad)
    with pytest.raises(EditionError, match=r"^SOURCE_DATE_EPOCH: .* is not a whole number of seconds"):
        build_moment()
