"""The PDF builder: the whole book as one print-oriented HTML page, set by WeasyPrint.

It is Sphinx's single-page HTML builder with a print translator: the
translator writes each footnote's body at its call, inside a
``<span class="footnote">`` that the print stylesheet floats to the foot of the
page (CSS GCPM ``float: footnote``), so WeasyPrint sets every note on the page
of its call.  Headings become the PDF outline (``bookmark-level``), and the
HTML ``<title>``/``<meta>`` become the PDF's document information.

Output: ``<outdir>/<edition_pdf_basename>.pdf`` (and the ``.html`` it was
rendered from, for inspection).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.locale import __
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
PAPER_SIZES = {"a5": "A5", "a4": "A4", "letter": "letter", "6x9": "6in 9in"}


class PrintHTMLTranslator(HTML5Translator):
    """HTML for paged media: notes at their calls, no screen furniture."""

    def __init__(self, document: nodes.document, builder: Any) -> None:
        super().__init__(document, builder)
        self._footnotes = {
            fid: fn for fn in document.findall(nodes.footnote) for fid in fn["ids"]
        }
        self._inline_depth = 0

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        footnote = self._footnotes.get(node.get("refid", ""))
        if footnote is None or footnote.get("edition_printed"):
            super().visit_footnote_reference(node)
            return
        footnote["edition_printed"] = True
        label = html.escape(node.astext(), quote=True)
        classes = " ".join(["footnote", *footnote["classes"]])
        ids = " ".join(footnote["ids"])
        self.body.append(
            f'<span class="{classes}" id="{ids}" data-label="{label}" role="note">'
        )
        self._inline_depth += 1
        for child in footnote.children:
            if not isinstance(child, nodes.label):
                child.walkabout(self)
        self._inline_depth -= 1
        self.body.append("</span>")
        raise nodes.SkipNode

    def visit_title(self, node: nodes.title) -> None:
        super().visit_title(node)
        if isinstance(node.parent, nodes.section) and self.body[-1].startswith("<h"):
            # The PDF outline takes a heading's words, not its note calls or
            # editorial marks ([sic]): print.css reads bookmark-label from here.
            label = html.escape(_plain_title(node), quote=True)
            self.body[-1] = self.body[-1].replace(">", f' data-bookmark="{label}">', 1)

    def visit_footnote(self, node: nodes.footnote) -> None:
        # Set at its call (visit_footnote_reference); an unreferenced footnote
        # would be an error upstream (docutils reports it).
        raise nodes.SkipNode

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        if self._inline_depth:
            self.body.append('<span class="footnote-para">')
        else:
            super().visit_paragraph(node)

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        if self._inline_depth:
            self.body.append("</span>")
        else:
            super().depart_paragraph(node)

    def visit_start_of_file(self, node: addnodes.start_of_file) -> None:
        self.body.append(f'<div class="chapter" data-docname="{html.escape(node["docname"])}">')

    def depart_start_of_file(self, node: addnodes.start_of_file) -> None:
        self.body.append("</div>")


def _plain_title(title: nodes.title) -> str:
    copy = title.deepcopy()
    for node in list(copy.findall(lambda n: isinstance(n, nodes.footnote_reference)
                                  or "editorial" in getattr(n, "get", lambda *_: ())("classes", ()))):
        node.parent.remove(node)
    return " ".join(copy.astext().split())


def _owner(node: nodes.Node) -> addnodes.start_of_file | None:
    while node is not None and not isinstance(node, addnodes.start_of_file):
        node = node.parent
    return node


def _make_ids_unique(tree: nodes.document) -> None:
    """Ids are unique per source document, not per book (docutils numbers
    ``id1``, ``id2``… in each): rename an id that an earlier chapter already
    uses, and every reference to it from inside its own chapter."""
    seen = {i for node in tree.findall(nodes.Element) if _owner(node) is None for i in node["ids"]}
    for sof in tree.findall(addnodes.start_of_file):
        prefix = nodes.make_id(sof["docname"]) + "--"
        own = [n for n in sof.findall(nodes.Element) if _owner(n) is sof]
        renamed: dict[str, str] = {}
        for node in own:
            for old in node["ids"]:
                if old in seen:
                    renamed[old] = prefix + old
            node["ids"] = [renamed.get(i, i) for i in node["ids"]]
            seen.update(node["ids"])
        if not renamed:
            continue
        for node in own:
            if node.get("refid") in renamed:
                node["refid"] = renamed[node["refid"]]
            if node.get("backrefs"):
                node["backrefs"] = [renamed.get(i, i) for i in node["backrefs"]]
            uri = node.get("refuri", "")
            if uri.startswith("#") and uri[1:] in renamed:
                node["refuri"] = "#" + renamed[uri[1:]]


def _collapse_page_anchors(tree: nodes.document) -> None:
    """On one page, ``#document-<doc>#<id>`` (a page URI plus an anchor, as
    cross-document references are made) means ``#<id>``."""
    for ref in tree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if uri.startswith("#") and uri.count("#") > 1:
            ref["refuri"] = uri[uri.rindex("#"):]


class WeasyPrintPDFBuilder(SingleFileHTMLBuilder):
    """Builds the book as one PDF through WeasyPrint."""

    name = "pdf"
    format = "html"
    epilog = __("The PDF is in %(outdir)s.")
    default_translator_class = PrintHTMLTranslator
    search = False

    def init(self) -> None:
        super().init()
        self._print_html: Path | None = None

    def assemble_doctree(self) -> nodes.document:
        tree = super().assemble_doctree()
        _make_ids_unique(tree)
        _collapse_page_anchors(tree)
        return tree

    def handle_page(self, pagename: str, addctx: dict[str, Any],
                    templatename: str = "page.html", *, outfilename: Path | None = None,
                    event_arg: Any = None) -> None:
        if pagename != self.config.root_doc:
            return  # no additional pages in print
        meta = dict(self.config.edition_pdf_metadata)
        title = meta.get("title") or self.config.project
        head = [
            '<meta charset="utf-8">',
            f"<title>{html.escape(title)}</title>",
        ]
        for name in ("author", "description", "keywords", "generator", "dcterms.created"):
            if meta.get(name):
                head.append(f'<meta name="{name}" content="{html.escape(meta[name], quote=True)}">')
        paper = PAPER_SIZES.get(self.config.edition_pdf_paper.lower())
        if paper is None:
            logger.warning("unknown paper size %r; use one of %s",
                           self.config.edition_pdf_paper, ", ".join(PAPER_SIZES),
                           type="edition", subtype="paper")
            paper = "A5"
        css = (HERE / "print.css").read_text(encoding="utf-8")
        document = (
            f'<!DOCTYPE html>\n<html lang="{html.escape(self.config.language or "en")}">\n'
            f"<head>\n{chr(10).join(head)}\n<style>@page {{ size: {paper}; }}\n{css}</style>\n</head>\n"
            f'<body>\n{addctx["body"]}\n</body>\n</html>\n'
        )
        out = Path(self.outdir) / f"{self.config.edition_pdf_basename}.html"
        out.write_text(document, encoding="utf-8")
        self._print_html = out

    def finish(self) -> None:
        self.copy_image_files()
        if self._print_html is None:
            return
        from weasyprint import HTML  # imported late: heavy, and only this builder needs it

        pdf = self._print_html.with_suffix(".pdf")
        logger.info(__("rendering %s with WeasyPrint"), pdf.name)
        HTML(filename=str(self._print_html), base_url=str(self.outdir)).write_pdf(str(pdf))
