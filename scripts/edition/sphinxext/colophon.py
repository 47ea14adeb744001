"""The ``{colophon}`` directive: how this copy of the edition was built.

Writes, at build time, the tools and their versions, the book face and the
PDF's fallback fonts (from :mod:`edition.fonts.faces`), the build date (from
the build clock, so that two builds of the same sources say the same thing)
and the fixity of each seed, from the catalogue (``edition_texts``).
"""

from __future__ import annotations

import platform
from importlib import metadata

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..clock import build_moment
from ..fonts.faces import BOOK_FAMILY, FONT_NAMES, MONOSPACE_FACE
from .config import edition_config

TOOLS = (
    ("Sphinx", "sphinx"),
    ("MyST-Parser", "myst-parser"),
    ("sphinxcontrib-bibtex", "sphinxcontrib-bibtex"),
    ("Pybtex", "pybtex"),
    ("Docutils", "docutils"),
    ("WeasyPrint", "weasyprint"),
)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def build_date() -> str:
    moment = build_moment()
    return f"{moment.day} {moment:%B %Y}"


class Colophon(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        from .. import __version__

        tools = ", ".join(f"{name} {_version(dist)}" for name, dist in TOOLS)
        *others, last = FONT_NAMES[1:]
        fallbacks = f"{', '.join(others)} and {last}"
        paras = [
            f"This edition was built on {build_date()} by edition {__version__}, the project's "
            f"own builder, with Python {platform.python_version()} and {tools}. The texts were "
            "converted from plain text to MyST Markdown by the builder; Sphinx made the HTML "
            "edition and the EPUB, and WeasyPrint set the PDF.",
            f"It is set in {BOOK_FAMILY}, a typeface by SIL International released under the SIL "
            "Open Font License 1.1, chosen for its full coverage of Latin and Cyrillic. In the "
            f"PDF, a character {BOOK_FAMILY} lacks would be set in the first of {fallbacks} that "
            f"has it, and code in {MONOSPACE_FACE.family}; the Noto fonts are Google's, under the same "
            "licence, the DejaVu fonts under their own free licence. The PDF embeds only the "
            "glyphs it uses; the build stops at a character none of these fonts has.",
        ]
        texts = edition_config(self.env).texts.values()
        if texts:
            fixity = "; ".join(f"{t['title']}: SHA-256 {t['sha256']}" for t in texts)
            paras.append("The seed texts are checked against their catalogued checksums at every "
                         f"build: {fixity}.")
        return [nodes.paragraph(text, text) for text in paras]
