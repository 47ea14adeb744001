"""Two editions from one apparatus (edition.sphinxext.readings): the
critical text keeps the emended reading and the omission mark, the
diplomatic the source's own words; a note that goes with the other reading
is dropped, and takes no number; the note recording an emendation is kept
in both."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup


def body(app) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / "index.html").read_text("utf-8"), "html.parser").select_one(
        '[role="main"]')


@pytest.mark.sphinx("html", testroot="readings")
def test_the_critical_reading(app):
    app.build()
    assert app.warning.getvalue() == ""
    text = body(app).get_text(" ", strip=True)
    assert "Stalin chose" in text and "choose" not in text.replace("“choose”", "")
    assert "[…]" in text and "Leave a Reply" not in text.replace("a comment form", "")
    assert [a.get_text().strip("[]") for a in body(app).select("a.note-call")] == ["a", "b"]


@pytest.mark.sphinx("html", testroot="readings", confoverrides={"edition_reading": "diplomatic"})
def test_the_diplomatic_reading(app):
    app.build()
    assert app.warning.getvalue() == ""
    text = body(app).get_text(" ", strip=True)
    assert "Stalin choose [ a ] to quell" in text and "Leave a Reply" in text
    # The emendation's note stays (it records both readings); the omission's goes.
    assert "[…]" not in text and "comment form" not in text
    assert [a.get_text().strip("[]") for a in body(app).select("a.note-call")] == ["a"]
