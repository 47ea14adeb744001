"""The EPUB's markup: Sphinx's HTML5 writer with EPUB 3 semantics.

Notes are EPUB 3 pop-up notes: the call is ``<a epub:type="noteref"
role="doc-noteref">`` named by its stream ("Editor's note a"), the note an
``<aside epub:type="footnote" role="doc-footnote">`` whose label links back
to the call.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

from ...words import Words
from ..config import words
from ..direction import AutoDirection
from ..notes import STREAMS

STREAM_CLASSES = {f"note-{voice}": voice for voice in STREAMS.values()}


def note_name(node: nodes.footnote_reference, words: Words) -> str:
    """The call's name for a screen reader: "Editor’s note a", "Author’s note 2"."""
    voice = next((STREAM_CLASSES[c] for c in node["classes"] if c in STREAM_CLASSES), None)
    return words(f"note-name.{voice}", mark=node.astext()) if voice else ""


class EpubTranslator(AutoDirection, HTML5Translator):
    """Sphinx's HTML5 writer with EPUB 3 semantics.

    Notes: docutils already marks calls ``role="doc-noteref"`` and notes
    ``role="doc-footnote"``; reading systems open a note as a pop-up only
    when they also carry ``epub:type`` (``noteref``, ``footnote``).  The notes
    of a page stand in a ``section`` named "Notes" rather than docutils'
    ``aside``: a complementary landmark may not hold the notes of the main text.

    Bibliography: docutils marks each entry ``role="doc-biblioentry"``, which
    EPUB 3.3 deprecates (epubcheck RSC-017); the entries are the items of the
    list docutils already wraps them in.
    """

    def visit_section(self, node: nodes.section) -> None:
        # The root page is the book's title page (centred, edition-epub.css).
        if self._on_title_page() and isinstance(node.parent, nodes.document):
            node["classes"].append("title-page")
        super().visit_section(node)

    def visit_compound(self, node: nodes.compound) -> None:
        # The title page lists nothing: the navigation document has the contents.
        if self._on_title_page() and "toctree-wrapper" in node["classes"]:
            raise nodes.SkipNode
        super().visit_compound(node)

    def _on_title_page(self) -> bool:
        return self.builder.current_docname == self.builder.config.root_doc

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        attributes = {"epub:type": "noteref"}
        if name := note_name(node, words(self.builder.env)):
            attributes["aria-label"] = name
        classes = ["footnote-reference", self.settings.footnote_references]
        self.body.append(self.starttag(node, "a", suffix="", classes=classes, role="doc-noteref",
                                       href="#" + node["refid"], **attributes))
        self.body.append('<span class="fn-bracket">[</span>')

    def visit_footnote(self, node: nodes.footnote) -> None:
        style = self.settings.footnote_references
        if not isinstance(node.previous_sibling(), type(node)):
            label = self.attval(words(self.builder.env)("notes"))
            self.body.append(f'<section class="footnote-list {style}" aria-label="{label}">\n')
        self.body.append(self.starttag(node, "aside", classes=[node.tagname, style],
                                       role="doc-footnote", **{"epub:type": "footnote"}))

    def depart_footnote(self, node: nodes.footnote) -> None:
        self.body.append("</aside>\n")
        if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
            self.body.append("</section>\n")

    def visit_citation(self, node: nodes.citation) -> None:
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))
