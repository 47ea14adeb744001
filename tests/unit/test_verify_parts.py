"""Verify's parts without a build: the expected words of a text, the
alignment that names each kind of difference, and the PDF's lines read back
in reading order."""

from __future__ import annotations

import pytest

from edition.render.chapters import prepare
from edition.verify.compare import compare
from edition.verify.expected import Word, expected
from edition.verify.pdf import _logical

DUNAYEVSKAYA = "dunayevskaya-beria-purge"


def words_at(*texts: str) -> list[Word]:
    return [Word(w, i) for i, w in enumerate(" ".join(texts).split())]


@pytest.mark.parametrize(("got", "kinds"), [
    ("a b c d e f", []),
    ("a b d e f", [("lost", ("c",), ())]),
    ("a b c x d e f", [("extra", (), ("x",))]),
    ("a b C d e f", [("changed", ("c",), ("C",))]),
    ("d e f a b c", [("reordered", ("d", "e", "f"), ())]),
    ("a b c d e f f", [("extra", (), ("f",))]),
    ("", [("lost", ("a", "b", "c", "d", "e", "f"), ())]),
])
def test_compare_names_each_kind_of_difference(got, kinds):
    seed = "a b c d e f"
    found = compare("html", "t", "text", seed, words_at(seed), got.split())
    assert [(d.kind, d.expected, d.actual) for d in found] == kinds


def test_expected_words_follow_the_apparatus(project):
    """The critical text replaces each emended reading and each omitted run
    (by the marker […]); the diplomatic text keeps the seed's words."""
    chapters = {c.seed.entry.slug: c for c in prepare(project)}
    blog = chapters["blog-genuine-desire"]
    critical = " ".join(w.text for w in expected(blog).text)
    diplomatic = " ".join(w.text for w in expected(blog, diplomatic=True).text)
    assert "Stalin chose to quell" in critical and "Stalin choose to quell" in diplomatic
    assert "Leave a Reply" not in critical and "[…]" in critical
    assert "Leave a Reply" in diplomatic and "[…]" not in diplomatic
    # Dunayevskaya's two notes are verified as notes of their own, without their numbers.
    notes = expected(chapters[DUNAYEVSKAYA]).notes
    assert sorted(notes) == ["1", "2"]
    assert [w.text for w in notes["1"][:2]] == ["Koje-do", "was"]


@pytest.mark.parametrize("visual, reading", [
    # A Hebrew phrase in an English line, the line's full stop after it.
    ("Hebrew: םלוע םולש.", "Hebrew: שלום עולם."),
    # The last line of a paragraph set right to left: full stop at the left
    # end, the year's digits left to right.
    (".דוע אלו 1953 תנשב", "בשנת 1953 ולא עוד."),
    # A Latin word inside a right-to-left line keeps its own order.
    ("םלוע hello םולש", "שלום hello עולם"),
    # Hebrew points stay with their letter (each after it, as _lines puts them).
    ("ם" + "ו" + "ל\u05b9" + "ש\u05b8\u05c1", "ש\u05b8\u05c1" + "ל\u05b9" + "ו" + "ם"),
])
def test_a_pdf_line_is_read_in_reading_order(visual, reading):
    """The PDF's glyphs stand in visual order; verify reads them as the seed
    has them (the inverse of the Unicode bidirectional algorithm)."""
    chars = [{"text": ch} for ch in visual]
    assert "".join(c["text"] for c in _logical(chars)) == reading
