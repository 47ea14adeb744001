"""The colophon (edition.sphinxext.colophon): the tools and their versions,
the build date from the build clock, and each text's fixity from the
catalogue."""

from __future__ import annotations

from importlib import metadata

import pytest
from bs4 import BeautifulSoup


@pytest.mark.sphinx("html", testroot="book", srcdir="book-colophon")
def test_the_colophon_says_how_and_when_the_book_was_made(app, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    app.build()
    assert app.warning.getvalue() == ""
    text = BeautifulSoup((app.outdir / "colophon.html").read_text("utf-8"), "html.parser").select_one(
        '[role="main"]').get_text(" ", strip=True)
    assert "Made on 14 November 2023 from plain-text copies" in text
    assert f"Sphinx {metadata.version('sphinx')}" in text
    assert f"WeasyPrint {metadata.version('weasyprint')}" in text
    page = BeautifulSoup((app.outdir / "colophon.html").read_text("utf-8"), "html.parser")
    (fixity,) = page.select("p.fixity")
    assert " ".join(fixity.get_text().split()) == f"A Sample: received as sample.txt; SHA-256 {'ab' * 32}"
    assert [c.get_text() for c in fixity.select("code")] == ["sample.txt", "ab" * 32]
    # The face with its credit once, then by its name alone.
    assert "Set in Charis SIL, a typeface by SIL International, under the SIL Open Font License 1.1; " \
        "a character Charis SIL lacks" in text
    # The software's versions in a paragraph of their own (small type in print).
    (software,) = page.select("p.software")
    assert software.get_text().startswith("Software: edition ")
