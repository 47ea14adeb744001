"""The ``{colophon}`` directive: how this copy of the edition was built.

Writes, at build time, the tools and their versions, the book face and the
PDF's fallback fonts (from :mod:`edition.fonts.faces`), the build date (from
the build clock, so that two builds of the same sources say the same thing)
and the fixity of each seed, from the catalogue (``edition_texts``).
"""

from __future__ import annotations

import platform
from importlib import metadata
from string import Formatter

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..clock import build_moment
from ..fonts.faces import DEFAULT_BOOK_FACE, MONOSPACE_FACE, book_face, font_names
from ..words import Words
from .config import edition_config, words

TOOLS = (
    ("Sphinx", "sphinx"),
    ("MyST-Parser", "myst-parser"),
    ("sphinxcontrib-bibtex", "sphinxcontrib-bibtex"),
    ("Pybtex", "pybtex"),
    ("Docutils", "docutils"),
    ("WeasyPrint", "weasyprint"),
)


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def build_date(words: Words) -> str:
    """The build's day, as the book's language writes a date (Unicode's patterns, by Babel)."""
    from babel.dates import format_date

    return format_date(build_moment().date(), words("date-format"), locale=words.language)


class Colophon(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        from .. import __version__

        w = words(self.env)
        tools = w.list([f"{name} {_version(dist) or w('colophon.not-installed')}" for name, dist in TOOLS])
        config = edition_config(self.env)
        book = book_face(config.book_face, self.env.srcdir)
        credit = book.credit or (w("colophon.default-face-credit") if book == DEFAULT_BOOK_FACE else "")
        face = f"{book.family}, {credit}" if credit else book.family
        # A colophon names the face and the making in a few lines; the
        # software's versions follow in small type, and the sums in code.
        paras = [
            w("colophon.face", face=face, family=book.family, fallbacks=w.list(list(font_names(book)[1:])),
              mono=MONOSPACE_FACE.family),
            w("colophon.built", date=build_date(w)),
        ]
        out = [nodes.paragraph(text, text) for text in paras]
        software = w("colophon.software", version=__version__, python=platform.python_version(), tools=tools)
        out.append(nodes.paragraph(software, software, classes=["software"]))
        texts = config.texts.values()
        if texts:
            out.append(nodes.paragraph("", w("colophon.fixity")))
            out += [_fixity(w, t) for t in texts]
        return out


def _fixity(w: Words, text: dict[str, str]) -> nodes.paragraph:
    """One text's file name and checksum, both as code: set whole, never hyphenated."""
    para = nodes.paragraph(classes=["fixity"])
    values = {"title": text["title"], "name": text["received_as"], "sum": text["sha256"]}
    for literal, field, _, _ in Formatter().parse(w.table["colophon.received"]):
        if literal:
            para += nodes.Text(literal)
        if field == "title":
            para += nodes.Text(values[field])
        elif field:
            para += nodes.literal(values[field], values[field])
    return para
