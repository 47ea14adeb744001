"""The hosted HTML edition: notes in the margin, citable paragraphs, citation metadata.

Takes the doctrees the other modules have prepared (note streams, paragraph
numbers) and gives the ``html`` builder's markup; EPUB and PDF have their own
translators (:mod:`edition.sphinxext.epub`, :mod:`edition.sphinxext.pdf`).

- :class:`EditionHTMLTranslator` writes each note once, right after the
  block that calls it (as the PDF translator writes it at its call): a
  paragraph and the ``<aside class="sidenote">`` of its notes (in one
  ``div.sidenotes``) share a ``div.with-notes``, which the stylesheet lays
  out with the notes in the right margin, level with the paragraph, on wide
  screens, and as notes that open below their paragraph when their call is
  followed (``:target``) on narrow ones.  The paragraph's words stay its own
  (no note text inside the ``<p>``, so screen readers read the paragraph
  whole, then its notes), there is no end list repeating the notes, and no
  id twice.
  Every numbered paragraph of a text is followed by a "Cite" disclosure
  (``<details>``: no script needed) giving the paragraph's citation with its
  anchor; the theme's script adds a copy button.
- :mod:`.metadata` puts Highwire Press ``citation_*`` tags into the head of
  each text's page.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator

from ...anchors import parse_anchor
from ...sources.catalog import CatalogEntry
from ...words import Words, words_for
from ..config import edition_config, words
from ..direction import AutoDirection

TEXT_PREFIX = "texts/"


def text_entry(env: Any, docname: str) -> CatalogEntry | None:
    """The catalogue entry of the text on page ``docname``, if it is a text."""
    if not docname.startswith(TEXT_PREFIX):
        return None
    return edition_config(env).text(docname[len(TEXT_PREFIX):])


def page_url(config: Any, docname: str, anchor: str = "") -> str:
    """The page's address: absolute under ``html_baseurl`` when that is set,
    else relative to the site's root (the script makes it absolute)."""
    url = f"{docname}.html" + (f"#{anchor}" if anchor else "")
    base = (config.html_baseurl or "").rstrip("/")
    return f"{base}/{url}" if base else url


def paragraph_citation(entry: CatalogEntry, number: str, words: Words = words_for(None)) -> str:
    """``Furr, “Title” (2005), ¶35`` — then ", in <book>, <address>"."""
    head = words("quote", text=entry.title)
    if entry.has_author:
        head = f"{entry.author.split()[-1]}, {head}"
    return f"{head} ({entry.date[:4]}), ¶{number}"


class EditionHTMLTranslator(AutoDirection, HTML5Translator):
    """HTML for reading on screen: notes beside their paragraphs, citable paragraphs."""

    def __init__(self, document: nodes.document, builder: Any) -> None:
        super().__init__(document, builder)
        self._footnotes = {fid: fn for fn in document.findall(nodes.footnote)
                           for fid in fn["ids"]}
        self._placed: set[str] = set()
        self._after_block: list[tuple[nodes.footnote, str]] = []
        self._note_depth = 0
        self._wrapped: list[bool] = []
        self._docname = getattr(builder, "current_docname", "") or ""
        self._words = words(builder.env)
        self._text = text_entry(builder.env, self._docname)
        # Sphinx's page writes the viewport's <meta> itself; docutils' would be a second.
        self.meta = [tag for tag in self.meta if 'name="viewport"' not in tag]

    # -- notes ------------------------------------------------------------------

    def depart_footnote_reference(self, node: nodes.footnote_reference) -> None:
        super().depart_footnote_reference(node)
        footnote = self._footnotes.get(node.get("refid", ""))
        if footnote is None or footnote["ids"][0] in self._placed or self._note_depth:
            return  # a second call of a note links to it where it stands
        self._placed.add(footnote["ids"][0])
        self._after_block.append((footnote, node["ids"][0] if node["ids"] else ""))

    def _calls_notes(self, node: nodes.Element) -> bool:
        """Whether the block holds the first call of a note (which follows it)."""
        return any(ref.get("refid") in self._footnotes
                   and self._footnotes[ref["refid"]]["ids"][0] not in self._placed
                   for ref in node.findall(nodes.footnote_reference))

    def _write_note(self, footnote: nodes.footnote, call_id: str) -> None:
        self.body.append(self.starttag(footnote, "aside", "", CLASS="sidenote",
                                       role="doc-footnote"))
        label = next((c.astext() for c in footnote.children if isinstance(c, nodes.label)), "")
        mark = self.encode(label)
        if call_id:
            mark = (f'<a class="sidenote-mark" role="doc-backlink" href="#{call_id}"'
                    f' title="{self.attval(self._words("paragraph.back-to-call"))}">{mark}</a> ')
        else:
            mark = f'<span class="sidenote-mark">{mark}</span> '
        # The mark stands before the note's words (the stylesheet runs it
        # into the first paragraph); the paragraphs are the note's own words.
        self.body.append(mark)
        body = [c for c in footnote.children if not isinstance(c, nodes.label)]
        self._note_depth += 1
        for child in body:
            child.walkabout(self)
        self._note_depth -= 1
        self.body.append("</aside>\n")

    def _flush_notes(self) -> None:
        pending, self._after_block = self._after_block, []
        if not pending:
            return
        # One box for the block's notes, set in the margin beside it (out of
        # the text's flow: the text never moves for its notes); edition.js
        # moves a box down below the one before it, and shows a note cut
        # short with a button to open it, which these words name.
        more, less = self._words("note-toggle.more"), self._words("note-toggle.less")
        self.body.append(f'<div class="sidenotes" data-more="{self.attval(more)}" '
                         f'data-less="{self.attval(less)}">\n')
        for footnote, call_id in pending:
            self._write_note(footnote, call_id)
        self.body.append("</div>\n")

    def visit_footnote(self, node: nodes.footnote) -> None:
        if node["ids"] and node["ids"][0] in self._placed:
            raise nodes.SkipNode  # written after the block of its call
        # A note nothing calls (docutils has reported it): where it stands.
        self.body.append('<aside class="footnote-list">\n')
        self.body.append(self.starttag(node, "aside", classes=["footnote"], role="doc-footnote"))

    def depart_footnote(self, node: nodes.footnote) -> None:
        self.body.append("</aside>\n</aside>\n")

    # -- paragraphs ---------------------------------------------------------------

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        # A paragraph is wrapped with what follows it: its notes (which the
        # stylesheet sets in the margin level with the paragraph) and, in a
        # text, its "Cite" box.
        wrap = not self._note_depth and (self._citable(node) or self._calls_notes(node))
        self._wrapped.append(wrap)
        if wrap:
            classes = ["para-block"] if self._citable(node) else []
            if self._calls_notes(node):
                classes.append("with-notes")
            self.body.append(f'<div class="{" ".join(classes)}">\n')
        super().visit_paragraph(node)

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        super().depart_paragraph(node)
        if not self._note_depth:
            self._flush_notes()
        if self._citable(node):
            self._write_paragraph_citation(node)
        if self._wrapped.pop():
            self.body.append("</div>\n")

    def _citable(self, node: nodes.paragraph) -> bool:
        return (self._text is not None and not self._note_depth
                and "numbered" in node["classes"]
                and any(parse_anchor(i) for i in node["ids"]))

    def _write_paragraph_citation(self, node: nodes.paragraph) -> None:
        anchor = next(i for i in node["ids"] if parse_anchor(i))
        number = parse_anchor(anchor).number
        config = self.builder.config
        citation = paragraph_citation(self._text, number, self._words)
        url = page_url(config, self._docname, anchor)
        absolute = "true" if config.html_baseurl else "false"
        e, w = self.encode, self._words
        self.body.append(
            '<details class="para-cite">'
            f'<summary>{e(w("paragraph.cite"))}<span class="visually-hidden"> '
            f'{e(w("paragraph.cite-hidden", number=number))}</span></summary>'
            '<div class="para-cite-body">'
            f'<p class="para-cite-text">{e(citation)}, {e(w("paragraph.cite-in"))} <cite>{e(config.project)}</cite>, '
            f'<span class="para-cite-url" data-anchor="{e(anchor)}" data-absolute="{absolute}">'
            f'{e(url)}</span></p>'
            f'<button type="button" class="para-cite-copy" data-copied="{e(w("paragraph.copied"))}" '
            f'data-selected="{e(w("paragraph.selected"))}" hidden>{e(w("paragraph.copy"))}</button>'
            ' <span class="para-cite-status" role="status"></span>'
            "</div></details>\n"
        )

    # -- headings and other blocks that may hold a note's call ----------------------

    def depart_title(self, node: nodes.title) -> None:
        super().depart_title(node)
        if not self._note_depth:
            self._flush_notes()

    def visit_title(self, node: nodes.title) -> None:
        super().visit_title(node)
        if (isinstance(node.parent, addnodes.compact_paragraph)
                and node.parent.get("toctree")):
            # A toctree caption is a heading (role="heading"), which must say
            # its level: the captions sit under the page's h1 or the
            # sidebar's h2 "Contents".
            for index in range(len(self.body) - 1, max(len(self.body) - 4, -1), -1):
                if 'role="heading"' in self.body[index]:
                    self.body[index] = self.body[index].replace(
                        'role="heading"', 'role="heading" aria-level="2"', 1)
                    break

    def dispatch_departure(self, node: nodes.Node) -> None:
        super().dispatch_departure(node)
        # Any other block holding a call (a line of verse, a table cell…):
        # its notes follow it.
        if (self._after_block and not self._note_depth
                and isinstance(node, nodes.Body) and not isinstance(node, nodes.Inline)):
            self._flush_notes()

    # -- the bibliography -------------------------------------------------------------

    def visit_citation(self, node: nodes.citation) -> None:
        # docutils marks entries doc-biblioentry (deprecated in DPUB-ARIA 1.1)
        # inside a role="list": a list's items are list items.
        super().visit_citation(node)
        self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')
