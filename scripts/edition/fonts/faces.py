"""The PDF's fonts: the files that set the book, and the characters they can print.

Takes nothing but the installed font files (Debian packages that
``scripts/bootstrap`` installs); gives the ``@font-face`` rules the PDF
builder prepends to its stylesheet (:func:`font_faces`), the faces of the
text's font stack in order (:func:`stack`, whose families ``print.css``
lists), and the set of characters some font of the PDF has a glyph for
(:func:`coverage`, for the pre-render check in :mod:`edition.fonts.glyphs`).

The book face is the book's (``edition_book_face`` in ``conf.py``: its
family and files, :func:`book_face`), by default Charis SIL (Latin,
Cyrillic); the stylesheets name it :data:`BOOK_CSS_FAMILY`, which the
builders replace by its family (:func:`with_book_family`; the PDF's fonts
then carry their own names), so that they need not know which face a book
has.  What it lacks is set from
the next family of the stack that has it: Noto Serif (Greek, more Latin and
Cyrillic), Noto Serif Hebrew, Noto Naskh Arabic, Noto Serif Devanagari,
Noto Serif CJK (Chinese, Japanese, Korean), DejaVu Sans (symbols and other
scripts) and Noto Color Emoji, which WeasyPrint draws as images.  Every file
is named in an ``@font-face`` rule, so the PDF never depends on whatever else
a machine has installed; WeasyPrint embeds only the glyphs the book uses.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/charis"),
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/opentype/noto"),
)


@dataclass(frozen=True)
class Face:
    """One font file of the PDF: its CSS family, weight and style, and the
    Debian package that installs it."""

    family: str
    file: str
    package: str
    weight: str = "normal"
    style: str = "normal"
    name: str = ""   # the font's own name, where the CSS family is not it
    path: str = ""   # a file of the book's own (else ``file`` in FONT_DIRS)


def _family(family: str, stem: str, package: str, italic: bool = False) -> tuple[Face, ...]:
    """A family's regular and bold (and italic) faces, named as Debian installs them."""
    faces = [Face(family, f"{stem}-Regular.ttf", package), Face(family, f"{stem}-Bold.ttf", package, "bold")]
    if italic:
        faces += [Face(family, f"{stem}-Italic.ttf", package, "normal", "italic"),
                  Face(family, f"{stem}-BoldItalic.ttf", package, "bold", "italic")]
    return tuple(faces)


# The book face's family in the stylesheets, whichever face it is.
BOOK_CSS_FAMILY = "Book Face"
STYLES = {"regular": ("normal", "normal"), "italic": ("normal", "italic"),
          "bold": ("bold", "normal"), "bold-italic": ("bold", "italic")}


@dataclass(frozen=True)
class BookFace:
    """The face that sets the book: the PDF sets the text in it, the EPUB
    embeds it, the cover is drawn in it."""

    family: str                 # its own name, as the colophon prints it
    faces: tuple[Face, ...]     # regular first, then whatever of italic, bold, bold italic it has
    credit: str = ""            # who made it, under what licence (the colophon)

    def face(self, weight: str = "normal", style: str = "normal") -> Face:
        """Its regular, italic, bold or bold italic (the regular for a style it lacks)."""
        return next((f for f in self.faces if (f.weight, f.style) == (weight, style)), self.faces[0])


DEFAULT_BOOK_FACE = BookFace(
    "Charis SIL", _family("Charis SIL", "CharisSIL", "fonts-sil-charis", italic=True))
# (Its credit is the colophon's words: colophon.default-face-credit.)


def book_face(spec: dict, base: Path) -> BookFace:
    """The book face ``conf.py`` names (``edition_book_face``: ``family``, the
    ``regular`` file and any of ``italic``, ``bold``, ``bold-italic``, paths
    relative to ``book/``; ``credit``), or Charis SIL."""
    if not spec:
        return DEFAULT_BOOK_FACE
    faces = []
    for key, (weight, style) in STYLES.items():
        if spec.get(key):
            path = (base / str(spec[key])).resolve()
            faces.append(Face(str(spec["family"]), path.name, f"the book's {key} face ({path})",
                              weight, style, path=str(path)))
    return BookFace(str(spec["family"]), tuple(faces), str(spec.get("credit", "")))


def with_book_family(css: str, book: BookFace) -> str:
    """A stylesheet naming :data:`BOOK_CSS_FAMILY`, with the book face's family in its place."""
    return css.replace(f'"{BOOK_CSS_FAMILY}"', f'"{book.family}"')


def check_book_face(spec: object) -> str | None:
    """What is wrong with an ``edition_book_face`` value, or None."""
    if not isinstance(spec, dict) or not spec:
        return None if spec == {} else "must be a dict"
    unknown = set(spec) - {"family", "credit", *STYLES}
    if unknown:
        return f"unknown key(s) {', '.join(sorted(unknown))} (known: family, credit, {', '.join(STYLES)})"
    if not spec.get("family") or not spec.get("regular"):
        return "needs at least 'family' and 'regular' (a font file, relative to book/)"
    return None


# What the book face lacks, in the order of the text's font stack: a
# character is set in the first family that has it.
FALLBACK_FACES = (
    *_family("Noto Serif", "NotoSerif", "fonts-noto-core", italic=True),
    *_family("Noto Serif Hebrew", "NotoSerifHebrew", "fonts-noto-core"),
    *_family("Noto Naskh Arabic", "NotoNaskhArabic", "fonts-noto-core"),
    *_family("Noto Serif Devanagari", "NotoSerifDevanagari", "fonts-noto-core"),
    Face("Noto Serif CJK", "NotoSerifCJK-Regular.ttc", "fonts-noto-cjk"),
    Face("DejaVu Sans", "DejaVuSans.ttf", "fonts-dejavu-core"),
    Face("DejaVu Sans", "DejaVuSans-Bold.ttf", "fonts-dejavu-core", "bold"),
    # Noto Color Emoji under a name of the book's own: under its real name,
    # fontconfig's rules for emoji fonts make Pango set digits and spaces
    # from it too (as coloured pictures).
    Face("Book Emoji", "NotoColorEmoji.ttf", "fonts-noto-color-emoji", name="Noto Color Emoji"),
)
MONOSPACE_FACE = Face("DejaVu Sans Mono", "DejaVuSansMono.ttf", "fonts-dejavu-core")


def stack(book: BookFace = DEFAULT_BOOK_FACE) -> tuple[Face, ...]:
    """Every face of the text's font stack, the book face first."""
    return (*book.faces, *FALLBACK_FACES)


def font_names(book: BookFace = DEFAULT_BOOK_FACE) -> tuple[str, ...]:
    """The fonts by their own names, for people: the book face, then its fallbacks."""
    return tuple(dict.fromkeys(face.name or face.family for face in stack(book)))


class FontMissing(FileNotFoundError):
    """A font file of the PDF is not installed."""


def font_path(face: Face) -> Path:
    if face.path:
        if not Path(face.path).exists():
            raise FontMissing(f"font file {face.path} not found: correct edition_book_face in conf.py")
        return Path(face.path)
    path = next((d / face.file for d in FONT_DIRS if (d / face.file).exists()), None)
    if path is None:
        raise FontMissing(
            f"font file {face.file} not found in {', '.join(map(str, FONT_DIRS))}: "
            f"install the Debian package {face.package} (scripts/bootstrap does)")
    return path


def font_faces(book: BookFace = DEFAULT_BOOK_FACE) -> str:
    """@font-face rules naming the book's font files, so the PDF never falls
    back on whatever else a machine has installed."""
    return "\n".join(
        f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
        f"font-style: {face.style}; src: url({font_path(face).as_uri()}); }}"
        for face in (*stack(book), MONOSPACE_FACE))


def never_drawn(ch: str) -> bool:
    """White space and Unicode's default-ignorable characters (joiners,
    variation selectors, the soft hyphen, direction marks): no font draws
    them, so they need no glyph and never stand in a PDF's text."""
    cp = ord(ch)
    return (ch.isspace() or unicodedata.category(ch) == "Cf" or 0xFE00 <= cp <= 0xFE0F
            or 0xE0100 <= cp <= 0xE01EF or 0x180B <= cp <= 0x180F
            or cp in (0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0))


@dataclass(frozen=True)
class CodePoints:
    """A set of characters kept as sorted code point ranges (the fonts cover
    some 70,000: a set of them took longer to make than a build's check)."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __contains__(self, ch: object) -> bool:
        if not isinstance(ch, str) or len(ch) != 1:
            return False
        cp = ord(ch)
        i = bisect.bisect_right(self.starts, cp) - 1
        return i >= 0 and cp <= self.ends[i]


@functools.lru_cache(maxsize=4)
def coverage(book: BookFace = DEFAULT_BOOK_FACE) -> CodePoints:
    """Every character some font of the PDF has a glyph for.

    Reading the cmaps takes about half a second (the CJK collection is
    large), so the union is kept, as code point ranges, in the user's cache
    folder, keyed by the font files' names, sizes and times."""
    paths = [font_path(face) for face in (*stack(book), MONOSPACE_FACE)]
    key = hashlib.sha256(json.dumps(
        [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths]).encode()).hexdigest()[:16]
    cache = _cache_dir() / f"glyphs-{key}.json"
    try:
        ranges = json.loads(cache.read_text(encoding="ascii"))
    except (OSError, ValueError):
        ranges = _ranges(_cmap_union(paths))
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(ranges), encoding="ascii")
        except OSError:
            pass   # a read-only home: the union is computed again next time
    return CodePoints(tuple(lo for lo, _ in ranges), tuple(hi for _, hi in ranges))


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "edition"


def _cmap_union(paths: list[Path]) -> set[int]:
    from fontTools.ttLib import TTFont  # a dependency of WeasyPrint

    union: set[int] = set()
    for path in paths:
        # The first font of a collection (.ttc) is the one WeasyPrint sets.
        with TTFont(path, fontNumber=0, lazy=True) as font:
            union.update(font.getBestCmap() or {})
    return union


def _ranges(points: set[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for cp in sorted(points):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ranges
