"""The edition's Sphinx extension: what the generated chapters need from Sphinx.

``setup(app)`` only registers: config values, the citation-link handler,
the WeasyPrint PDF builder and the EPUB translator.  Each concern has its own
module: :mod:`.citations`, :mod:`.pdf`, :mod:`.epub`.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .. import __version__
from . import citations, epub, pdf


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("edition_bibliography_doc", "bibliography", "env", str)
    app.add_config_value("edition_pdf_basename", "edition", "env", str)
    app.add_config_value("edition_pdf_paper", "a5", "env", str)
    app.add_config_value("edition_pdf_metadata", {}, "env", dict)
    app.connect("doctree-resolved", citations.link_citations)
    app.add_builder(pdf.WeasyPrintPDFBuilder)
    app.add_builder(epub.EpubBuilder, override=True)
    app.set_translator("epub", epub.EpubTranslator)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
