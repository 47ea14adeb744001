"""The PDF builder: the whole book as one print-oriented HTML page, set by WeasyPrint.

It is Sphinx's single-page HTML builder with a print translator
(:mod:`.translator`) and the print stylesheet (``print.css``): front matter
with roman folios, the contents with page numbers after the rights page,
each text opening on a recto, running heads, notes at the foot of the page
of their call. Headings become the PDF outline (``bookmark-level``), and
the HTML ``<title>``/``<meta>`` the PDF's document information.
:mod:`.render` lays it out and writes it.

Output: ``<outdir>/<edition_pdf_basename>.pdf`` (``-diplomatic`` added for
the diplomatic edition), the ``.html`` it was set from, for inspection, and
its page map (``.pages.json``, :mod:`edition.pagemap`: where each page
begins in the text, for the EPUB's page list).
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.locale import __
from sphinx.util import logging

from ... import copyfit, pagemap, progress
from ...archive import Carried
from ...archive import carried as carried_files
from ...clock import build_moment
from ...compat import CHANGES
from ...compat.pages import paragraph_lines
from ...fonts.faces import (
    BookFace,
    book_face,
    font_faces,  # the book face and its fallbacks, as @font-face rules
    with_book_family,
)
from ...paper import ARCHIVAL_VARIANT, PRINT_VARIANT, page_rules, print_rules
from ...project import TEXTS_FOLDER, Project
from ..compat import report as compat_report
from ..config import UsesEditionConfig, words
from ..epub.cover import cover_lines
from ..tei.builder import tei_name
from ..tei.document import write_tei
from .cover import cover_html, render_cover
from .render import (
    Rendering,
    font_configuration,
    release_font_configurations,
    render_key,
    render_pdf,
    variant_path,
)
from .translator import PrintHTMLTranslator, plain_title

logger = logging.getLogger(__name__)

# Where the archival PDF's TEI is written before the PDF carries it.
CARRIED = ".carried"

HERE = Path(__file__).parent


def _cover_path(book_pdf: Path) -> Path:
    """beria-1953.pdfx-4.pdf → beria-1953.cover.pdf"""
    return book_pdf.with_name(f"{book_pdf.name.split('.')[0]}.cover.pdf")


def _chapters(tree: nodes.Node):
    """(chapter, its own elements) for the book and each chapter, walking down
    the children: the single page's chapters are moved in without their
    nodes' parent pointers being updated, so walking up cannot be trusted."""
    collected: list[tuple[nodes.Node, list[nodes.Element]]] = []

    def walk(node: nodes.Node, own: list[nodes.Element]) -> None:
        for child in node.children if isinstance(node, nodes.Element) else ():
            if isinstance(child, addnodes.start_of_file):
                mine: list[nodes.Element] = [child]
                collected.append((child, mine))
                walk(child, mine)
            elif isinstance(child, nodes.Element):
                own.append(child)
                walk(child, own)

    book: list[nodes.Element] = []
    collected.append((tree, book))
    walk(tree, book)
    return collected


def _make_ids_unique(tree: nodes.document) -> None:
    """Ids are unique per source document, not per book (docutils numbers
    ``id1``, ``id2``… in each, and chapters name notes alike): rename an id
    that an earlier chapter already uses, and every reference to it from
    inside its own chapter."""
    seen: set[str] = set()
    for chapter, own in _chapters(tree):
        prefix = nodes.make_id(chapter.get("docname", "book")) + "--"
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


class WeasyPrintPDFBuilder(UsesEditionConfig, SingleFileHTMLBuilder):
    """Builds the book as one PDF through WeasyPrint."""

    name = "pdf"
    format = "html"
    epilog = __("The PDF is in %(outdir)s.")
    default_translator_class = PrintHTMLTranslator
    search = False

    def init(self) -> None:
        super().init()
        self.renderings: dict[str, Rendering] = {}   # PDF file name → what its render did
        self._print_html: Path | None = None
        self.contents: list[tuple[str, list[tuple[str, str, str]]]] = []   # (title, target, author)
        self.note_paragraphs: dict[str, str] = {}   # note id → class of the paragraph calling it
        self.note_blocks = 0                          # blocks that call notes, so far
        self.contents_after: str | None = None
        self.body_start = ""                          # id of the first text's div: arabic folios from it
        self.fit_keys: set[str] = set()               # the paragraphs' names for copy-fitting
        self._fit_tables: dict[str, dict[str, copyfit.Fit]] = {}   # book/copyfit.toml, read once a build

    def assemble_doctree(self) -> nodes.document:
        tree = super().assemble_doctree()
        _make_ids_unique(tree)
        _collapse_page_anchors(tree)
        self._plan_book(tree)
        return tree

    def _plan_book(self, tree: nodes.document) -> None:
        """Front matter, texts and back matter from the root document's toctrees
        (their captions; the single page keeps their entries but not their
        captions): which chapters are set with roman folios, where arabic
        folios start, where the contents go (after the first front-matter
        chapter, the rights page), and the contents' entries."""
        front_caption = self.front_caption
        chapters = {sof["docname"]: sof for sof in tree.findall(addnodes.start_of_file)}
        root = self.env.get_doctree(self.config.root_doc)
        first_body = True
        for toctree in root.findall(addnodes.toctree):
            caption = toctree.get("caption") or ""
            group = "front" if caption == front_caption else "body"
            entries = []
            for _, docname in toctree["entries"]:
                sof = chapters.get(docname)
                if sof is None:
                    continue
                sof["edition_classes"] = [f"group-{group}"]
                if group == "front" and self.contents_after is None:
                    self.contents_after = docname
                    sof["edition_classes"].append("rights")
                    continue  # the rights page is not listed in the contents
                if group == "body" and first_body:
                    sof["edition_classes"].append("first-body")
                    self.body_start = f"document-{docname}"   # the translator's id of its div
                    first_body = False
                section = next(sof.findall(nodes.section), None)
                if section is not None:
                    title = next(section.findall(nodes.title))
                    author = self._author(docname)
                    if author:
                        # An anthology's furniture: the author under the title
                        # and on the verso's running head (data-author).
                        title["edition_author"] = author
                    entries.append((plain_title(title), section["ids"][0], author))
            self.contents.append((caption, entries))

    def _author(self, docname: str) -> str:
        """A text's author as the catalogue has it ("" for other pages and the anonymous)."""
        if not docname.startswith(f"{TEXTS_FOLDER}/"):
            return ""
        entry = self.edition.text(docname.rsplit("/", 1)[-1])
        return entry.author if entry is not None and entry.has_author else ""

    @property
    def book_face(self) -> BookFace:
        return book_face(self.edition.book_face, Path(self.srcdir))

    @property
    def front_caption(self) -> str:
        """The caption of the toctree whose pages have roman folios."""
        return self.edition.pdf_front_caption or words(self.env)("front-matter")

    def contents_html(self) -> str:
        title = html.escape(words(self.env)("contents"), quote=True)
        parts = ['<nav class="contents" role="doc-toc" id="contents">'
                 f'<h2 class="contents-title" data-bookmark="{title}">{title}</h2>']
        front_caption = self.front_caption
        for caption, entries in self.contents:
            if caption:
                parts.append(f'<p class="contents-group">{html.escape(caption)}</p>')
            parts.append(f'<ul class="{"front" if caption == front_caption else "body"}">')
            for title, target, author in entries:
                by = f'<span class="contents-author">{html.escape(author)}</span> ' if author else ""
                parts.append(f'<li>{by}<a href="#{html.escape(target, quote=True)}">{html.escape(title)}</a></li>')
            parts.append("</ul>")
        parts.append("</nav>")
        return "".join(parts)

    def handle_page(self, pagename: str, addctx: dict[str, Any],
                    templatename: str = "page.html", *, outfilename: Path | None = None,
                    event_arg: Any = None) -> None:
        if pagename != self.config.root_doc:
            return  # no additional pages in print
        meta = dict(self.edition.pdf_metadata)
        title = meta.get("title") or self.config.project
        head = [
            '<meta charset="utf-8">',
            f"<title>{html.escape(title)}</title>",
        ]
        meta.setdefault("dcterms.created", build_moment().strftime("%Y-%m-%dT%H:%M:%SZ"))
        meta.setdefault("dcterms.modified", meta["dcterms.created"])
        for name in ("author", "description", "keywords", "generator", "dcterms.created", "dcterms.modified"):
            if meta.get(name):
                head.append(f'<meta name="{name}" content="{html.escape(meta[name], quote=True)}">')
        paper = self.edition.pdf_paper
        self._fit_tables = copyfit.read(Path(self.srcdir) / copyfit.FILE_NAME)
        fitted = self._fits(paper)
        css = with_book_family((HERE / "print.css").read_text(encoding="utf-8"), self.book_face)
        book = _css_string(self.edition.pdf_running_title or self.config.project)
        # The verso's running head (before print.css, whose blank pages have none).
        settings = page_rules(paper) + "@page :left { @top-left { content: string(book, first-except); } }\n"
        # The running heads' strings (after print.css): each heading that opens
        # a piece (a text, front or back matter, the contents) sets the recto's
        # title and the verso's, which the page it opens does not show
        # (first-except).
        heads = (f"div.chapter h2, nav.contents h2.contents-title "
                 f"{{ string-set: chapter attr(data-bookmark), book {book}; }}\n"
                 # A text's verso carries its author, its recto its title.
                 "div.chapter h2[data-author] { string-set: chapter attr(data-bookmark), book attr(data-author); }\n")
        # Page numbers after cross-references and index entries ("p. 7", "S. 7").
        page = words(self.env)("page")
        after_ref = _css_string(" (" + page + NBSP)
        heads += (f'a.page-ref::after, a.textual-place::after {{ content: {after_ref} target-counter(attr(href), page) ")"; }}\n'
                  f"div.person-index a::after {{ content: {after_ref} target-counter(attr(href), page) \")\"; }}\n")
        half_title = (f'<section class="half-title" role="doc-halftitle">'
                      f"<p>{html.escape(self.config.project)}</p></section>")
        body = addctx["body"]
        # The title page's imprint, at its foot (a running element of the page "title").
        editor = self.edition.editor or self.config.author
        imprint = words(self.env)("imprint", editor=editor[:1].upper() + editor[1:], year=str(build_moment().year))
        imprint = f'<p class="imprint">{html.escape(imprint)}</p>'
        # Before the first toctree: a chapter's forced break would carry its wrapper, and the imprint, over.
        first = body.find('<div class="toctree-wrapper')
        body = body[:first] + imprint + body[first:] if first >= 0 else body + imprint
        document = (
            f'<!DOCTYPE html>\n<html lang="{html.escape(self.config.language or "en")}">\n'
            f"<head>\n{chr(10).join(head)}\n<style>{font_faces(self.book_face)}\n{settings}{css}{heads}{copyfit.stylesheet(fitted)}</style>\n</head>\n"
            f'<body class="paper-{paper}">\n{half_title}\n'
            f'{body}\n</body>\n</html>\n'
        )
        out = Path(self.outdir) / f"{self.edition.basename(self.edition.pdf_basename)}.html"
        out.write_text(document, encoding="utf-8")
        self._print_html = out

    def _fits(self, paper: str, say: bool = True) -> dict[str, copyfit.Fit]:
        """The copy-fitting of this reading on ``paper`` (``book/copyfit.toml``);
        an entry whose paragraph has changed is said, and left out."""
        table = self._fit_tables.get(copyfit.section(self.edition.reading, paper), {})
        stale = sorted(key for key in table if key not in self.fit_keys)
        if stale and say:
            line = (f"pdf: {len(stale)} copy-fitted paragraph(s) of {copyfit.FILE_NAME} changed "
                    f"(first: “{table[stale[0]].begins}”); run `edition copyfit` again")
            logger.info(line)
            progress.current().say(line)
        return {key: fit for key, fit in table.items() if key in self.fit_keys}

    def _printer_fits(self) -> str:
        """The printer's PDF is set from the same print HTML on its own trim:
        the reading PDF's copy-fitting undone, the trim's own applied."""
        paper, trim = self.edition.pdf_paper, self.edition.pdf_trim
        if trim == paper:
            return ""
        undone = "".join(f'[{copyfit.ATTRIBUTE}="{key}"] {{ letter-spacing: normal !important; '
                         "word-spacing: normal !important; padding-top: 0 !important; }\n"
                         for key in self._fits(paper, say=False))
        return undone + copyfit.stylesheet(self._fits(trim), important=True)

    def finish(self) -> None:
        self.copy_image_files()
        if self._print_html is None:
            return
        pdf = self._print_html.with_suffix(".pdf")
        targets = [(pdf, "")]
        variant = self.edition.pdf_variant
        if variant:
            # The archival or accessible variant comes beside the reading PDF.
            targets.append((variant_path(pdf, variant), variant))
        fits = self._printer_fits() if variant == PRINT_VARIANT else ""
        for target, kind in targets:
            carried = self._carried(pdf) if kind == ARCHIVAL_VARIANT else []
            sized = (f"{kind} {self.edition.pdf_trim} {self.edition.pdf_crop_marks} {fits}"
                     if kind == PRINT_VARIANT else kind)
            if carried:   # what the archival PDF carries is part of it
                sized += " " + hashlib.sha256(b"".join(c.name.encode() + b"\0" + c.path.read_bytes()
                                                       for c in carried)).hexdigest()
            key = render_key(self._print_html, sized, self._typesetting_rules())
            stamp = target.with_name(f".{target.name}.key")
            lines_report = self.edition.pdf_lines_report if not kind else ""
            if (target.exists() and stamp.exists() and stamp.read_text("ascii") == key and not lines_report
                    and (kind or pagemap.path_for(target).exists())):
                # The same print HTML, fonts and renderer as the last good
                # build (the staging folder starts from it): the same bytes.
                progress.current().say(f"pdf: {target.name} unchanged (same print HTML, fonts and renderer)")
                if not kind:
                    self._tell_page_map(pagemap.path_for(target))
                continue
            stamp.unlink(missing_ok=True)
            logger.info(__("rendering %s with WeasyPrint"), target.name)
            page_css = None
            if kind == PRINT_VARIANT:
                trim, crop = self.edition.pdf_trim, self.edition.pdf_crop_marks
                page_css = lambda pages, trim=trim, crop=crop: print_rules(trim, pages, crop) + fits  # noqa: E731
            rendering = render_pdf(self._print_html, target, kind, note_paragraphs=self.note_paragraphs,
                                   book=self.book_face, body_start=self.body_start, page_css=page_css,
                                   inspect=_lines_writer(Path(lines_report)) if lines_report else None,
                                   carried=carried,
                                   laid_out=None if kind else lambda pages, pdf=target: self._page_map(pdf, pages))
            if kind == PRINT_VARIANT:
                self._print_cover(target, rendering.pages)
            self.renderings[target.name] = rendering
            for note in rendering.kept:
                logger.info(__("kept note %s with its call: its paragraph starts a page"), note)
            for note in rendering.astray:
                # A block longer than a page, or the passes used up: said, not hidden.
                logger.info(__("note %s is not on the page of its call"), note)
                progress.current().say(f"pdf: note {note} is not on the page of its call")
            stamp.write_text(key, "ascii")
        shutil.rmtree(Path(self.outdir) / CARRIED, ignore_errors=True)   # now inside the archival PDF
        covers = {_cover_path(t).name for t, kind in targets if kind == PRINT_VARIANT}
        self._remove_other_outputs({self._print_html.name, *(t.name for t, _ in targets),
                                    *(f".{t.name}.key" for t, _ in targets), *covers,
                                    pagemap.path_for(pdf).name})
        # WeasyPrint's copies of the book's fonts go with the build that used them.
        release_font_configurations()

    def _page_map(self, pdf: Path, pages: tuple[pagemap.Page, ...]) -> None:
        """The reading PDF's page map, written beside it as soon as its pages
        are laid out, and told."""
        path = pagemap.path_for(pdf)
        pagemap.write(path, pagemap.PageMap(pdf.name, self.edition.pdf_paper, pages))
        self._tell_page_map(path)

    def _tell_page_map(self, path: Path) -> None:
        """The reading PDF's page map, copied where ``edition build`` waits
        for it (``edition_pdf_page_map_early``)."""
        early = self.edition.pdf_page_map_early
        if early:
            partial = Path(f"{early}.partial")
            shutil.copyfile(path, partial)
            os.replace(partial, early)

    def _carried(self, pdf: Path) -> list[Carried]:
        """The files the archival PDF carries: the edition's sources, and its
        TEI, written (with the reading PDF's page breaks) and validated here."""
        project = Project.find(Path(self.srcdir))
        tei = Path(self.outdir) / CARRIED / tei_name(pdf.stem)
        tei.parent.mkdir(exist_ok=True)
        doctrees = {docname: self.env.get_and_resolve_doctree(docname, self) for docname in sorted(self.env.found_docs)}
        page_map = pagemap.path_for(pdf)
        write_tei(self.env, doctrees, tei, page_map if page_map.exists() else None)
        return carried_files(project, words(self.env), tei)

    def _print_cover(self, book_pdf: Path, pages: int) -> None:
        """The printer's cover beside the printer's PDF, its spine sized from the page count."""
        lines = cover_lines(self.edition.epub_cover) or [self.config.project]
        # The EPUB's description (Sphinx's default for it is "unknown"), else the PDF's.
        described = self.config.epub_description if self.config.epub_description != "unknown" else ""
        blurb = described or self.edition.pdf_metadata.get("description") or ""
        editor = self.edition.editor or self.config.author
        document = cover_html(lines, blurb, editor, self.edition.pdf_trim, pages,
                              self.edition.pdf_page_thickness, self.book_face, self.config.language or "en")
        render_cover(document, _cover_path(book_pdf), font_configuration(self.book_face))

    def _remove_other_outputs(self, made: set[str]) -> None:
        """The PDFs (and their print pages and keys) of another name or variant
        than this build's: the build starts from a copy of the last good
        output, and a book renamed in conf.py, or built without the variant
        it had, must not keep the old files beside the new."""
        for path in Path(self.outdir).iterdir():
            if path.is_file() and path.name not in made and (
                    path.suffix in (".pdf", ".html") or path.name.endswith((".pdf.key", ".pages.json"))):
                path.unlink()

    def _typesetting_rules(self) -> tuple[str, ...]:
        """The typesetting rules of edition.compat in force (they decide the layout)."""
        made = compat_report(self)
        return tuple(name for name in made.applied if not CHANGES[name].speedup)


NBSP = "\u00a0"


def _lines_writer(path: Path):
    """Writes, as JSON, where each paragraph's lines fell (edition copyfit reads it)."""
    import dataclasses
    import json

    def write(document: Any) -> None:
        found = paragraph_lines(document, copyfit.ATTRIBUTE)
        path.write_text(json.dumps([dataclasses.asdict(p) for p in found]), encoding="utf-8")

    return write


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
