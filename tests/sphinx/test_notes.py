"""Note streams (edition.sphinxext.notes): the editor's notes lettered, the
source's numbered as the source numbers them, each labelled with its voice;
in HTML each note follows the block that calls it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup


@pytest.mark.sphinx("html", testroot="notes")
def test_three_streams_with_their_own_marks_and_voices(app):
    app.build()
    assert app.warning.getvalue() == ""
    page = BeautifulSoup((app.outdir / "index.html").read_text("utf-8"), "html.parser")
    calls = [(a.get_text().strip("[]"), [c for c in a["class"] if c.startswith("note-") and c != "note-call"])
             for a in page.select("a.note-call")]
    assert calls == [("a", ["note-editor"]), ("1", ["note-author"]), ("2", ["note-transcriber"]),
                     ("b", ["note-editor"])]
    # The source's notes say whose they are; the editor's letters say it for them.
    voices = [(v.get_text() if (v := aside.select_one(".note-voice")) else None)
              for aside in page.select("aside.sidenote")]
    assert voices == [None, "Author. ", "Transcriber. ", None]


@pytest.mark.sphinx("html", testroot="notes")
def test_each_note_follows_the_paragraph_that_calls_it(app):
    app.build()
    page = BeautifulSoup((app.outdir / "index.html").read_text("utf-8"), "html.parser")
    blocks = page.select("div.with-notes")
    assert len(blocks) == 2
    first, second = ([aside.get_text(" ", strip=True) for aside in block.select("aside.sidenote")]
                     for block in blocks)
    assert first == ["a The editor's first note.", "1 Author. The author's own note.",
                     "2 Transcriber. The transcriber's note."]
    assert second == ["b The editor's second note."]
    # The paragraph's own words hold no note text (screen readers read it whole).
    assert "first note" not in blocks[0].p.get_text()
