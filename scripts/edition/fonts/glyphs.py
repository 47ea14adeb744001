"""Before anything is built: every character the PDF will print has a glyph.

Takes the project's inputs whose text reaches the book — the seeds, the
catalogue, the apparatus, the registers (persons, glossary, chronology) and
the fields of ``refs.bib`` — and the union of the PDF's fonts' character maps
(:func:`edition.fonts.faces.coverage`).  A character no font of the PDF has would
print as an empty box, silently: it is a :class:`GlyphError` naming the file,
the line and column, the character and the fonts.  White space and the
characters no font draws (joiners, variation selectors, direction marks) are
not checked; control characters are refused earlier, when a seed is read.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import EditionError, line_col
from ..project import Project
from ..schema import read_toml
from ..sources.seeds import Seed
from .faces import DEFAULT_BOOK_FACE, BookFace, CodePoints, coverage, font_names, never_drawn

# TOML fields that name things and are never printed.
UNPRINTED_FIELDS = {"id", "slug", "sha256", "key", "bibkey", "person", "term", "kind", "voice"}


class GlyphError(EditionError):
    """A character of the input that none of the PDF's fonts can print."""


def check_glyphs(project: Project, seeds: Iterable[Seed], bibliography=None,
                 book: BookFace = DEFAULT_BOOK_FACE) -> None:
    """Raise :class:`GlyphError` for the first character, in the first file,
    that the PDF's fonts cannot print (``bibliography``: the parsed
    ``refs.bib``, from :func:`edition.apparatus.bibliography.read_bibliography`)."""
    printable = coverage(book)
    names = font_names(book)
    seeds = list(seeds)
    for seed in seeds:
        _check(seed.path, seed.text, seed.text, printable, names)
    # Each has been read, strictly, by its own stage before: here every
    # string of each file is wanted, whatever field it is in.
    editor_files = [project.catalog_path, *(project.apparatus_path(seed.entry.slug) for seed in seeds),
                    *project.register_paths()]
    for path in editor_files:
        if path.exists():
            text = path.read_text(encoding="utf-8")
            _check(path, text, "".join(_toml_strings(read_toml(path, GlyphError))), printable, names,
                   comments="#")
    if bibliography is not None:
        _check(project.refs_bib, project.refs_bib.read_text(encoding="utf-8"),
               "".join(_bib_strings(bibliography)), printable, names, comments="%")


def _check(path: Path, text: str, printed: str, printable: CodePoints, names: tuple[str, ...],
           comments: str = "") -> None:
    """``printed``: the part of ``text`` that reaches the book (all of a
    seed; the printed values of a TOML or BibTeX file, whose lines starting
    with ``comments`` are not)."""
    missing = {ch for ch in set(printed) if ch not in printable and not never_drawn(ch)}
    if not missing:
        return
    places = {ch: _place(text, ch, comments) for ch in missing}
    ch = min(missing, key=lambda c: (places[c] is None, places[c] or 0))
    offset = places[ch]
    raise GlyphError(
        path, f"{describe(ch)} has no glyph in any of the PDF's fonts ({', '.join(names)}): "
        "it would print as an empty box", line_col(text, offset) if offset is not None else "",
        "set a book face that has it: edition_book_face in conf.py")


def _place(text: str, ch: str, comments: str) -> int | None:
    """The first occurrence of ``ch`` outside a comment line, or None where
    the file writes it only as an escape (TOML's \\uE000)."""
    start = text.find(ch)
    while start != -1:
        line_start = text.rfind("\n", 0, start) + 1
        if not (comments and text[line_start:start].lstrip().startswith(comments)):
            return start
        start = text.find(ch, start + 1)
    return None


def describe(ch: str) -> str:
    """``U+E000 (private use)``, ``U+0416 CYRILLIC CAPITAL LETTER ZHE``."""
    name = unicodedata.name(ch, "")
    if not name:
        name = {"Co": "(private use)", "Cn": "(unassigned)", "Cs": "(surrogate)"}.get(
            unicodedata.category(ch), "(no name)")
    return f"U+{ord(ch):04X} {name}"


def _toml_strings(value, field: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if field not in UNPRINTED_FIELDS:
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _toml_strings(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _toml_strings(item, field)


def _bib_strings(bibliography) -> Iterator[str]:
    for entry in bibliography.entries.values():
        yield from entry.fields.values()
        for persons in entry.persons.values():
            yield from (str(person) for person in persons)
