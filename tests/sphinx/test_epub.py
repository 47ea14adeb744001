"""The EPUB builder on a small book (edition.sphinxext.epub): pop-up notes
named by their stream, no script, the diplomatic edition under its own
name and identifier."""

from __future__ import annotations

import zipfile

import pytest
from bs4 import BeautifulSoup


@pytest.mark.sphinx("epub", testroot="book", srcdir="book-epub")
def test_notes_are_popup_notes_and_nothing_is_scripted(app):
    app.build()
    assert app.warning.getvalue() == ""
    with zipfile.ZipFile(app.outdir / "small-book.epub") as epub:
        names = epub.namelist()
        text = BeautifulSoup(epub.read("texts/sample.xhtml"), "html.parser")
    assert not any(name.endswith(".js") for name in names) and not text.find("script")
    calls = [(a["epub:type"], a["aria-label"]) for a in text.select('a[role="doc-noteref"]')]
    assert calls == [("noteref", "Editor’s note a"), ("noteref", "Author’s note 1"),
                     ("noteref", "Editor’s note b")]
    assert len(text.select('aside[epub\\:type="footnote"]')) == 3


@pytest.mark.sphinx("epub", testroot="book", srcdir="book-epub-diplomatic",
                    confoverrides={"edition_reading": "diplomatic",
                                   "edition_epub_identifiers": {"diplomatic": "urn:uuid:d"}})
def test_the_diplomatic_edition_is_another_publication(app):
    app.build()
    assert [p.name for p in app.outdir.glob("*.epub")] == ["small-book-diplomatic.epub"]
    with zipfile.ZipFile(app.outdir / "small-book-diplomatic.epub") as epub:
        assert ">urn:uuid:d</dc:identifier>" in epub.read(
            "content.opf").decode("utf-8")
