"""Verify's parts without a build: the expected words of a text, the
alignment that names each kind of difference, and the PDF's lines read back
in reading order, emoji on their lines."""

from __future__ import annotations

import pytest

from edition.render.chapters import prepare
from edition.verify.compare import compare
from edition.verify.expected import Word, expected
from edition.verify.pdf import _in_line_order, _logical, _on_baselines, _run, _tokens

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


# -- emoji in the PDF ------------------------------------------------------------------

def glyphs(text: str, x: float, baseline: float, start: int = 0) -> list[dict]:
    """pdfplumber's characters for a line of words from ``x`` on one baseline,
    as WeasyPrint sets them at 10 pt: a letter 5 pt wide, its box 0.56 em
    above the baseline and 0.44 em below (Charis SIL); an emoji sequence one
    glyph 12.45 pt wide with the whole sequence's text, its box wholly above
    the baseline (Noto Color Emoji); 3 pt between words, none between the
    parts of a word joined by "+".  ``start``: where in the content stream
    the first glyph is drawn."""
    out = []
    for word in text.split(" "):
        for part in word.split("+"):
            emoji = ord(part[0]) > 0x2000
            for ch in [part] if emoji else part:
                width = 12.45 if emoji else 5.0
                top, bottom = (baseline - 10, baseline) if emoji else (baseline - 5.6, baseline + 4.4)
                out.append({"text": ch, "x0": x, "x1": x + width, "top": top, "bottom": bottom,
                            "size": 10.0, "matrix": (0.75, 0, 0, 0.75, x, -baseline),
                            "fontname": "AAAAAA+Noto-Color-Emoji" if emoji else "AAAAAA+Charis-SIL",
                            "drawn": start + len(out)})
                x += width
        x += 3.0
    return out


def read(lines: list[list[dict]]) -> list[str]:
    """The words verify reads off these lines (as pdfplumber makes them)."""
    lines = _on_baselines(lines)
    for line in lines:
        _in_line_order(line)
    return [t.text for t in _tokens(_run(lines))]


def split_by_box_height(*lines: list[dict]) -> list[list[dict]]:
    """The lines as pdfplumber makes them: by the top of each glyph's box,
    so that a line's emoji (whose boxes stand 4.4 pt higher than its
    letters') come as a line of their own, before it."""
    out: list[list[dict]] = []
    for line in lines:
        tops: dict[float, list[dict]] = {}
        for c in line:
            tops.setdefault(c["top"], []).append(c)
        out += [tops[t] for t in sorted(tops)]
    return out


def test_emoji_are_read_on_their_line_and_in_place():
    """An emoji's box stands higher than the letters' beside it, so
    pdfplumber makes its own line of the emoji of a line: verify reads the
    glyphs of one baseline as one line, each emoji (its whole sequence: a
    skin tone, a flag's two letters, a ZWJ sequence) where it is set."""
    first = glyphs("The 😀 cat 👍🏽 sat. Flags 🇺🇦 and", 56.7, 241.2)
    second = glyphs("ZWJ 👩\u200d🔬 glued:+😀+word too.", 56.7, 255.2, start=len(first))
    lines = split_by_box_height(first, second)
    assert len(lines) == 4 and all(c["text"] > "\u2000" for c in lines[0])
    assert read(lines) == ["The", "😀", "cat", "👍🏽", "sat.", "Flags", "🇺🇦", "and",
                           "ZWJ", "👩\u200d🔬", "glued:😀word", "too."]


@pytest.mark.parametrize(("got", "kind", "words"), [
    # An emoji set on the next line, at its start: not where the seed has it.
    ("The cat sat.|😀 Flags and", "reordered", ("😀",)),
    # An emoji that is not there at all, or not the seed's.
    ("The cat sat.|Flags and", "lost", ("😀",)),
    ("The 👍 cat sat.|Flags and", "changed", ("😀",)),
    # A word beside an emoji, lost.
    ("The 😀 sat.|Flags and", "lost", ("cat",)),
])
def test_an_emoji_or_a_word_beside_one_not_in_its_place_is_a_difference(got, kind, words):
    """Reading each baseline as one line never moves a glyph from one line
    to another: an emoji the PDF sets elsewhere, or not at all, and a word
    lost beside one, are differences as any word's are."""
    seed = "The 😀 cat sat. Flags and"
    first, second = got.split("|")
    one = glyphs(first, 56.7, 241.2)
    lines = split_by_box_height(one, glyphs(second, 56.7, 255.2, start=len(one)))
    found = compare("pdf", "t", "text", seed, words_at(seed), read(lines))
    assert [(d.kind, d.expected) for d in found] == [(kind, words)]
