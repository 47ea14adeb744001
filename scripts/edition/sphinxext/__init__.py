"""The edition's Sphinx extension: what the generated chapters need from Sphinx.

``setup(app)`` only registers: config values, transforms, the ``{para}``
role, the citation-link handler, the WeasyPrint PDF builder and the EPUB
builder and translator.  Each concern has its own module: :mod:`.readings`
(critical or diplomatic text), :mod:`.paragraphs` (numbers and permalinks),
:mod:`.notes` (note streams), :mod:`.roles`, :mod:`.citations`, :mod:`.pdf`,
:mod:`.epub`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .. import __version__
from . import citations, cleanup, colophon, csp, epub, notes, paragraphs, pdf, readings, roles
from . import html, incremental, speed


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
    speed.cache_entry_points()
    speed.cache_pybtex_plugins()
    app.connect("builder-inited", speed.cache_templates)
    speed.cache_formatted_entries()
    app.connect("builder-inited", speed.load_formatted_entries)
    app.connect("build-finished", speed.save_formatted_entries)
    app.connect("env-get-outdated", incremental.remember_tocs)
    app.connect("write-started", incremental.spare_parents)
    app.connect("build-finished", incremental.restore_parents)
    app.add_config_value("edition_bibliography_doc", "bibliography", "env", str)
    app.add_config_value("edition_pdf_basename", "edition", "env", str)
    app.add_config_value("edition_pdf_paper", "a5", "env", str)
    app.add_config_value("edition_pdf_metadata", {}, "env", dict)
    app.add_config_value("edition_pdf_variant", "", "env", str)
    app.add_config_value("edition_pdf_front_caption", "Front matter", "env", str)
    app.add_config_value("edition_pdf_running_title", "", "env", str)
    app.add_config_value("edition_reading", "critical", "env", str)
    app.add_config_value("edition_text_labels", {}, "env", dict)
    app.add_transform(readings.ChooseReading)
    app.add_transform(paragraphs.ParagraphNumbers)
    app.add_transform(notes.NoteStreams)
    app.add_role("para", roles.ParagraphRef())
    app.add_directive("colophon", colophon.Colophon)
    app.connect("doctree-resolved", citations.link_citations)
    app.connect("builder-inited", _styles)
    app.connect("build-finished", cleanup.remove_stale_pages)
    app.connect("html-page-context", csp.add_policy)
    app.add_builder(pdf.WeasyPrintPDFBuilder)
    app.add_builder(speed.ReadingBuilder)
    app.add_builder(epub.EpubBuilder, override=True)
    app.set_translator("epub", epub.EpubTranslator)
    app.add_config_value("edition_epub_embed_font", True, "epub", bool)
    app.add_config_value("edition_epub_cover", {}, "epub", dict)
    app.add_config_value("edition_epub_authors", [], "epub", list)
    app.add_config_value("edition_epub_identifiers", {}, "epub", dict)
    app.add_config_value("edition_epub_landmarks", {"bodymatter": "texts/", "bibliography": "bibliography",
                                                    "index": "generated/persons"}, "epub", dict)
    app.add_config_value("edition_epub_accessibility_summary", "", "epub", str)
    app.add_html_theme("edition-epub", str(epub.THEME))
    app.connect("builder-inited", epub.link_book_face)
    # The hosted HTML: the "edition" theme, notes in the margin, citation metadata.
    app.add_config_value("edition_html_citations", {}, "html", dict)
    app.add_html_theme("edition", str(html.THEME))
    app.set_translator("html", html.EditionHTMLTranslator)
    app.connect("html-page-context", html.add_citation_metadata)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
