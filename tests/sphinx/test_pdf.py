"""The PDF builder on a small book (edition.sphinxext.pdf): notes on the
page of their call in one layout, the same bytes with the speed-ups and
without, the diplomatic edition under a name of its own."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

EPOCH = "1700000000"


@pytest.fixture(autouse=True)
def source_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.mark.sphinx("pdf", testroot="book", srcdir="book-pdf")
def test_the_notes_stand_on_their_calls_page_in_one_layout(app, note_pages):
    app.build()
    assert app.warning.getvalue() == ""
    rendering = app.builder.renderings["small-book.pdf"]
    assert rendering.passes == 1 and rendering.kept == [] and rendering.astray == []
    reader = PdfReader(app.outdir / "small-book.pdf")
    assert rendering.pages == len(reader.pages)
    notes, calls = note_pages(reader, set(app.builder.note_paragraphs))
    assert len(notes) == 3 and notes == calls
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "The editor's note, which names Author ¶2" in text.replace("\n", " ")
    assert "Editor." not in text   # the editor's letters say whose the note is


@pytest.mark.sphinx("pdf", testroot="book", srcdir="book-pdf-fast",
                    confoverrides={"edition_speedups": True})
def test_the_speedups_give_the_same_bytes(app, make_app):
    from edition import compat
    from edition.sphinxext.compat import report

    assert report(app.builder).applied == [c.name for c in (*compat.TYPESETTING, *compat.SPEEDUPS)]
    app.build()
    fast = (app.outdir / "small-book.pdf").read_bytes()
    plain = make_app("pdf", srcdir=app.srcdir, freshenv=True, builddir=app.srcdir / "_plain")
    plain.build()
    assert (plain.outdir / "small-book.pdf").read_bytes() == fast


@pytest.mark.sphinx("pdf", testroot="book", srcdir="book-pdf-diplomatic",
                    confoverrides={"edition_reading": "diplomatic"})
def test_the_diplomatic_edition_has_a_name_of_its_own(app):
    app.build()
    assert sorted(p.name for p in app.outdir.glob("*.pdf")) == ["small-book-diplomatic.pdf"]
