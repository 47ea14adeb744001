"""The PDF's fonts and the check that they can print every character of the
inputs (edition/fonts.py, edition/glyphs.py), without building: the font
stack print.css names is the one the builder embeds, what no font draws is
not checked, comments are not printed, and the character maps are read once.
The builds that print mixed scripts, and refuse what no font has, are in
test_hostile_inputs.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edition.fonts import faces as fonts
from edition.fonts.glyphs import GlyphError, describe
from edition.render.chapters import prepare

SEED = "A Title\n\nA paragraph.\n"


def test_print_css_names_the_font_stack_of_the_faces_module():
    css = (Path(fonts.__file__).parents[1] / "sphinxext" / "pdf" / "print.css").read_text("utf-8")
    html_rule = re.search(r"\bhtml \{ font: [^ ]+ ([^;]+);", css).group(1)
    families = list(dict.fromkeys(f.family for f in fonts.stack()))
    book = fonts.DEFAULT_BOOK_FACE
    css_families = [f.strip().strip('"') for f in html_rule.split(",")]
    assert css_families[0] == fonts.BOOK_CSS_FAMILY
    assert [book.family, *css_families[1:]] == families
    code_rule = re.search(r"code, kbd, pre, tt \{ font-family: ([^;]+);", css).group(1)
    assert [f.strip().strip('"') for f in code_rule.split(",")] == [fonts.MONOSPACE_FACE.family,
                                                                    *css_families]


def test_every_face_is_an_installed_file_named_in_an_at_font_face_rule():
    rules = fonts.font_faces()
    for face in (*fonts.stack(), fonts.MONOSPACE_FACE):
        assert fonts.font_path(face).is_file()
        assert f'font-family: "{face.family}"' in rules and fonts.font_path(face).as_uri() in rules
    # Regular and bold (and italic) of the book face, each script's fallback after it.
    assert fonts.stack()[0].family == "Charis SIL" and fonts.font_names()[-1] == "Noto Color Emoji"


@pytest.mark.parametrize("text", ["Лаврентий", "λόγος", "שָׁלוֹם", "بيريا", "बेरिया", "貝利亞 ベリヤ 베리야",
                                  "👩🏽\u200d🔬 🇺🇦 1\ufe0f\u20e3", "x\u0336 q\u0307\u0323", "☭ → ½"])
def test_the_fonts_have_every_character_of_the_scripts_the_book_may_quote(text):
    printable = fonts.coverage()
    assert [describe(ch) for ch in text if ch not in printable and not fonts.never_drawn(ch)] == []


def test_the_character_maps_are_read_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fonts.coverage.cache_clear()
    try:
        first = fonts.coverage()
        (kept,) = (tmp_path / "edition").glob("glyphs-*.json")
        fonts.coverage.cache_clear()
        assert fonts.coverage() == first and "\ue000" not in first and "Ж" in first
    finally:
        fonts.coverage.cache_clear()
    assert kept.stat().st_size < 100_000


def test_what_no_font_draws_needs_no_glyph(make_project):
    # Joiners, a variation selector, a direction mark, a soft hyphen, a no-break space.
    seed = "A Title\n\nA\u200d paragraph\ufe0f with\u200f a soft\u00adhyphen\u00a0here.\n"
    prepare(make_project({"one": seed.encode()}))


def test_a_comment_is_not_printed_but_a_note_is(make_project):
    note = '# \ue000 in a comment\n[[note]]\nid = "n"\nanchor = "paragraph"\ntext = "A note."\n'
    proj = make_project({"one": SEED.encode()}, {"one": note})
    prepare(proj)
    proj.apparatus_path("one").write_text(note.replace("A note.", "A note \\uE000."), "utf-8")
    with pytest.raises(GlyphError) as error:
        prepare(proj)
    # Written as an escape: the file and the character, no place to point at.
    assert str(error.value).startswith(f"{proj.apparatus_path('one')}: U+E000 (private use) has no glyph")


def test_a_bibliography_field_the_pdf_cannot_print_names_its_line(make_project):
    bib = "% \ue000 a comment\n@book{x,\n  title = {A \ue001 title},\n  year = {2000},\n}\n"
    proj = make_project({"one": SEED.encode()}, refs_bib=bib)
    with pytest.raises(GlyphError) as error:
        prepare(proj)
    assert str(error.value).startswith(f"{proj.refs_bib}:3:14: U+E001 (private use) has no glyph")


def test_a_book_names_its_own_face():
    noto = fonts.font_path(next(f for f in fonts.FALLBACK_FACES if f.file == "NotoSerif-Regular.ttf"))
    spec = {"family": "Noto Serif", "regular": str(noto), "italic": str(noto.with_name("NotoSerif-Italic.ttf")),
            "credit": "by Google, under the SIL Open Font License 1.1"}
    assert fonts.check_book_face(spec) is None
    book = fonts.book_face(spec, Path("/nowhere"))
    assert [(f.weight, f.style) for f in book.faces] == [("normal", "normal"), ("normal", "italic")]
    assert book.face("bold") == book.faces[0]   # a style it lacks: its regular
    assert fonts.stack(book)[0].path == str(noto)
    assert f'font-family: "Noto Serif"; font-weight: normal; font-style: normal; src: url({noto.as_uri()})' \
        in fonts.font_faces(book)
    assert fonts.with_book_family('html { font: 10pt "Book Face", "X"; }', book) == 'html { font: 10pt "Noto Serif", "X"; }'
    assert "Ж" in fonts.coverage(book)
    relative = fonts.book_face({"family": "Mine", "regular": "fonts/Mine.ttf"}, Path("/book"))
    with pytest.raises(fonts.FontMissing, match=r"/book/fonts/Mine.ttf not found: correct edition_book_face"):
        fonts.font_path(relative.faces[0])
    assert "needs at least" in fonts.check_book_face({"family": "X"})
    assert "unknown key(s) bolder" in fonts.check_book_face({"family": "X", "regular": "x", "bolder": "y"})
