"""The book face shipped with a format, cut to the characters its pages use:
the EPUB's embedded face and the site's web font, one cut for both.

:func:`page_characters` reads a page's text (and its text alternatives);
:func:`cut_faces` writes each face of the book, cut to those characters and
:data:`KEPT_RANGES`, into a folder, and gives the ``@font-face`` rules that
name them. A cut is kept in a cache folder keyed by the font file, the
characters, the features, the flavour and the subsetter, so that most builds
cut nothing.
"""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable

from .faces import BOOK_CSS_FAMILY, BookFace, font_path
from .subset import engine as subset_engine
from .subset import subset_face

# Characters kept besides those the book uses: a reader's notes, a future
# text or a quotation in Russian must not fall back on another face.
# Latin-1 and Latin Extended-A (transliterations), the spacing modifier
# letters (ʹ ʺ of the Library of Congress romanisation), combining marks, the
# whole Cyrillic block, typographic punctuation, № and €.
KEPT_RANGES = (
    (0x0020, 0x007E), (0x00A0, 0x017F), (0x02B0, 0x02FF), (0x0300, 0x036F),
    (0x0400, 0x04FF), (0x2010, 0x2027), (0x2030, 0x203A), (0x20AC, 0x20AC),
    (0x2116, 0x2116), (0x2122, 0x2122),
)
# OpenType features kept besides the subsetter's defaults (kerning, ligatures,
# marks…): the notes' voice labels are set in small capitals.
EXTRA_FEATURES = ("smcp", "c2sc")


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.characters: set[str] = set()

    def handle_data(self, data: str) -> None:
        self.characters.update(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        # Text alternatives and titles are read and shown too.
        for name, value in attrs:
            if name in ("alt", "title", "aria-label", "placeholder", "value") and value:
                self.characters.update(value)


def page_characters(page: str) -> set[str]:
    parser = _PageText()
    parser.feed(page)
    parser.close()
    return parser.characters


def codepoints(pages: Iterable[Path]) -> set[int]:
    """The printable characters of the pages, and the kept ranges."""
    found: set[str] = set()
    for page in pages:
        found |= page_characters(page.read_text(encoding="utf-8"))
    points = {ord(c) for c in found if c.isprintable()}
    for first, last in KEPT_RANGES:
        points.update(range(first, last + 1))
    return points


def cut_faces(book: BookFace, points: set[int], folder: Path, cache: Path, url: str,
              flavor: str = "", display: str = "") -> list[str]:
    """Each face of ``book`` cut to ``points`` into ``folder`` (``flavor``
    "woff2" for the web, none for an EPUB); the ``@font-face`` rules that
    name them at ``url`` (the folder as the stylesheet sees it). Raises
    :class:`~edition.fonts.faces.FontMissing` or
    :class:`~edition.fonts.subset.SubsetError`."""
    folder.mkdir(parents=True, exist_ok=True)
    rules = []
    for face in book.faces:
        name = f"{Path(face.file).stem}.{flavor}" if flavor else face.file
        (folder / name).write_bytes(_cached_cut(font_path(face), points, cache, flavor))
        swap = f" font-display: {display};" if display else ""
        rules.append(f'@font-face {{ font-family: "{BOOK_CSS_FAMILY}"; font-weight: {face.weight}; '
                     f"font-style: {face.style}; src: url({url}/{name});{swap} }}")
    return rules


def _cached_cut(source: Path, points: set[int], cache: Path, flavor: str) -> bytes:
    """:func:`subset_face` (and WOFF2's compression), kept in ``cache``:
    most builds use the characters of the last (and where HarfBuzz's
    subsetter is missing, fontTools' takes a second a face)."""
    key = hashlib.sha256(source.read_bytes())
    key.update(repr((sorted(points), EXTRA_FEATURES, subset_engine(), flavor)).encode())
    suffix = f".{flavor}" if flavor else source.suffix
    cached = cache / f"{source.stem}.{key.hexdigest()[:32]}{suffix}"
    if cached.exists():
        return cached.read_bytes()
    data = subset_face(source, points, EXTRA_FEATURES)
    if flavor:
        data = _compressed(data, flavor)
    cache.mkdir(parents=True, exist_ok=True)
    for stale in cache.glob(f"{source.stem}.*{suffix}"):
        stale.unlink()
    cached.write_bytes(data)
    return data


def _compressed(data: bytes, flavor: str) -> bytes:
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()
