"""The ``{colophon}`` directive: how this copy of the edition was built.

Writes, at build time, the tools and their versions, the book face and the
PDF's fallback fonts (from :mod:`edition.fonts`), the build date (from
``SOURCE_DATE_EPOCH``, so that two builds of the same sources say the same
thing) and the fixity of each seed, from the catalogue.
"""

from __future__ import annotations

import os
import platform
import tomllib
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..fonts import FONT_NAMES

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
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        moment = datetime.fromtimestamp(int(epoch), timezone.utc)
    else:
        moment = datetime.now(timezone.utc)
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
            "It is set in Charis SIL, a typeface by SIL International released under the SIL "
            "Open Font License 1.1, chosen for its full coverage of Latin and Cyrillic. In the "
            f"PDF, a character Charis SIL lacks would be set in the first of {fallbacks} that "
            "has it, and code in DejaVu Sans Mono; the Noto fonts are Google's, under the same "
            "licence, the DejaVu fonts under their own free licence. The PDF embeds only the "
            "glyphs it uses; the build stops at a character none of these fonts has.",
        ]
        catalog = Path(self.env.srcdir).parent / "seeds" / "catalog.toml"
        if catalog.exists():
            self.env.note_dependency(str(catalog))
            texts = tomllib.loads(catalog.read_text(encoding="utf-8")).get("text", [])
            fixity = "; ".join(f"{t['title']}: SHA-256 {t['sha256']}" for t in texts)
            paras.append("The seed texts are checked against their catalogued checksums at every "
                         f"build: {fixity}.")
        return [nodes.paragraph(text, text) for text in paras]
