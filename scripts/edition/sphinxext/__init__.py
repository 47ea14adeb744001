"""The edition's Sphinx extension: what the generated chapters need from Sphinx.

``setup(app)`` only registers. Each concern has its own module:
:mod:`.config` (the ``edition_*`` values, one typed dataclass),
:mod:`.warnings` (their kinds), :mod:`.readings` (critical or diplomatic
text), :mod:`.textual` (the textual notes' links), :mod:`.paragraphs` (numbers and
permalinks), :mod:`.notes` (note streams), :mod:`.roles` (``{para}``), :mod:`.toctree` (generated pages optional), :mod:`.citations` (the seeds' own
citations linked to the bibliography), :mod:`.chicago` (the editor's citations and
the reference list in Chicago author–date form), :mod:`.colophon`, :mod:`.reading`
(the builder that only reads), :mod:`.compat` (the changes of
:mod:`edition.compat` a build asks for); one package per format:
:mod:`.html`, :mod:`.epub`, :mod:`.pdf`, :mod:`.tei`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .. import __version__
from . import (
    chicago,
    citations,
    colophon,
    compat,
    config,
    notes,
    paragraphs,
    readings,
    roles,
    textual,
    toctree,
)
from .epub import builder as epub_builder
from .epub import translator as epub_translator
from .html import THEME as HTML_THEME
from .html import cleanup, contents, csp, downloads, home, metadata, webfont
from .html import translator as html_translator
from .pdf import builder as pdf_builder
from .reading import ReadingBuilder
from .tei import builder as tei_builder

STATIC = Path(__file__).parent / "static"


def _styles(app: Sphinx) -> None:
    """The styles of the edition's markup (notes, paragraph numbers, headnotes),
    for the HTML and EPUB builders; the PDF builder has its own print.css."""
    if app.builder.format != "html" or app.builder.name == "pdf":
        return
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("edition.css")
    if app.builder.name == "epub":
        # Paragraph numbers sit inline in the EPUB: no margin to hang them in.
        app.add_css_file("edition-epub.css")


def setup(app: Sphinx) -> dict[str, Any]:
    config.add_config_values(app)
    # The configuration is checked before anything reads it.
    app.connect("builder-inited", config.validate, priority=100)
    app.connect("builder-inited", compat.apply_changes, priority=200)
    app.connect("build-finished", compat.revert_changes, priority=900)
    app.add_transform(textual.TextualNoteLinks)
    app.add_transform(readings.ChooseReading)
    app.add_transform(paragraphs.ParagraphNumbers)
    app.add_transform(notes.NoteStreams)
    app.add_role("para", roles.ParagraphRef())
    app.add_directive("colophon", colophon.Colophon)
    app.add_directive("toctree", toctree.OptionalPagesTocTree, override=True)
    app.connect("doctree-resolved", citations.link_citations)
    # Chicago author–date: bibtex_default_style and bibtex_reference_style "chicago_author_date".
    chicago.register_plugins()
    app.add_post_transform(chicago.UnlabelledReferenceList)
    app.connect("builder-inited", _styles)
    app.add_builder(ReadingBuilder)
    # The hosted HTML: the "edition" theme, notes beside their paragraphs, citation metadata.
    app.add_html_theme("edition", str(HTML_THEME))
    app.set_translator("html", html_translator.EditionHTMLTranslator)
    app.connect("doctree-resolved", home.describe_texts)
    app.connect("doctree-resolved", downloads.link_text_downloads)
    app.connect("build-finished", downloads.ship_sources)
    app.connect("html-page-context", metadata.add_citation_metadata)
    app.connect("html-page-context", csp.add_policy)
    app.connect("html-page-context", config.add_words)
    app.connect("html-page-context", contents.add_page_contents)
    app.connect("build-finished", cleanup.remove_stale_pages)
    app.connect("builder-inited", webfont.link_web_font)
    app.connect("build-finished", webfont.ship_web_font)
    # The EPUB: pop-up notes, a drawn cover, the book face embedded.
    app.add_builder(epub_builder.EpubBuilder, override=True)
    app.set_translator("epub", epub_translator.EpubTranslator)
    app.add_html_theme("edition-epub", str(epub_builder.THEME))
    app.connect("builder-inited", epub_builder.link_book_face)
    # The PDF, set by WeasyPrint.
    app.add_builder(pdf_builder.WeasyPrintPDFBuilder)
    # The TEI: the text, both readings and the apparatus as data.
    app.add_builder(tei_builder.TeiBuilder)
    return {
        "version": __version__,
        "env_version": 3,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
