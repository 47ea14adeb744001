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

import atexit
import html
import os
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.locale import __
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from .. import progress
from . import painting
from ..fonts import font_faces  # the book face and its fallbacks, as @font-face rules
from ..paper import PAPER_SIZES, page_rules
from .direction import ResolvedDirection
from .layout import linear_layout, paced_collector, rewrite_function
from .speed import import_weasyprint

logger = logging.getLogger(__name__)

# The class of a block (paragraph, heading) that calls notes, numbered.
NOTE_BLOCK = "calls-"
# Layout passes at most: the first, then one for each round of notes that a
# page break before their block keeps with their calls (a break can move the
# calls after it in the same chapter, so a round may find new ones).
MAX_PASSES = 4


HERE = Path(__file__).parent


class PrintHTMLTranslator(ResolvedDirection, HTML5Translator):
    """HTML for paged media: notes at their calls, no screen furniture."""

    def __init__(self, document: nodes.document, builder: Any) -> None:
        super().__init__(document, builder)
        self._footnotes = {
            fid: fn for fn in document.findall(nodes.footnote) for fid in fn["ids"]
        }
        self._inline_depth = 0
        self._paragraphs: list[str] = []   # classes of the paragraphs being written

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        footnote = self._footnotes.get(node.get("refid", ""))
        if footnote is None or footnote.get("edition_printed"):
            super().visit_footnote_reference(node)
            return
        footnote["edition_printed"] = True
        if self._paragraphs and self._paragraphs[-1]:
            self.builder.note_paragraphs[footnote["ids"][0]] = self._paragraphs[-1]
        label = html.escape(node.astext(), quote=True)
        classes = " ".join(["footnote", *footnote["classes"]])
        ids = " ".join(footnote["ids"])
        call_classes = " ".join(["note-call", *footnote["classes"]])
        # The call is a link to the note (clickable, and it lets a check find
        # the page of each call); the note floats to the foot of that page.
        self.body.append(
            f'<a class="{call_classes}" href="#{footnote["ids"][0]}" id="{node["ids"][0]}">'
            f"{label}</a>" if node.get("ids") else
            f'<a class="{call_classes}" href="#{footnote["ids"][0]}">{label}</a>'
        )
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
        # A heading that calls a note is kept with it like a paragraph.
        self._paragraphs.append(self._note_block_class(node))
        super().visit_title(node)
        if isinstance(node.parent, nodes.section) and self.body[-1].startswith("<h"):
            # The PDF outline takes a heading's words, not its note calls or
            # editorial marks ([sic]): print.css reads bookmark-label from here.
            label = html.escape(_plain_title(node), quote=True)
            self.body[-1] = self.body[-1].replace(">", f' data-bookmark="{label}">', 1)

    def visit_Text(self, node: nodes.Text) -> None:
        # Line breaks of the MyST source are spaces: written as such, because
        # WeasyPrint's line breaker can strand the word before a newline on a
        # line of its own (tests/test_pdf.py checks that no line is stranded).
        if "\n" in node and not isinstance(node.parent, (nodes.literal_block, nodes.raw)):
            node = nodes.Text(str(node).replace("\n", " "))
        super().visit_Text(node)

    def depart_title(self, node: nodes.title) -> None:
        super().depart_title(node)
        self._paragraphs.pop()

    def _note_block_class(self, node: nodes.Element) -> str:
        """A class by which the renderer can keep a block with the notes it
        calls (see render_pdf); "" for a block that calls none."""
        if next(node.findall(nodes.footnote_reference), None) is None:
            return ""
        self.builder.note_blocks += 1
        name = f"{NOTE_BLOCK}{self.builder.note_blocks}"
        node["classes"].append(name)
        return name

    def visit_footnote(self, node: nodes.footnote) -> None:
        # Set at its call (visit_footnote_reference); an unreferenced footnote
        # would be an error upstream (docutils reports it).
        raise nodes.SkipNode

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        if self._inline_depth:
            self.body.append('<span class="footnote-para">')
            return
        self._paragraphs.append(self._note_block_class(node))
        super().visit_paragraph(node)

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        if self._inline_depth:
            self.body.append("</span>")
        else:
            self._paragraphs.pop()
            super().depart_paragraph(node)

    def visit_start_of_file(self, node: addnodes.start_of_file) -> None:
        docname = node["docname"]
        classes = ["chapter", *node.get("edition_classes", [])]
        self.body.append(f'<div class="{" ".join(classes)}" id="document-{html.escape(docname)}" '
                         f'data-docname="{html.escape(docname)}">')

    def depart_start_of_file(self, node: addnodes.start_of_file) -> None:
        self.body.append("</div>")
        if node["docname"] == self.builder.contents_after:
            self.body.append(self.builder.contents_html())

    def visit_reference(self, node: nodes.reference) -> None:
        # A cross-reference to a paragraph ("Furr ¶35") gets its page number in
        # print (print.css, target-counter); the index of persons has its own.
        target = node.get("refuri", "") or node.get("refid", "")
        if (PARA_TARGET_RE.search(target) and "para-num" not in node["classes"]
                and not any("person-index" in a.get("classes", ()) for a in _ancestors(node))):
            node["classes"].append("page-ref")
        super().visit_reference(node)


PARA_TARGET_RE = re.compile(r"-p\d+$")


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


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
        self.contents: list[tuple[str, list[tuple[str, str]]]] = []
        self.note_paragraphs: dict[str, str] = {}   # note id → class of the paragraph calling it
        self.note_blocks = 0                          # blocks that call notes, so far
        self.contents_after: str | None = None

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
        front_caption = self.config.edition_pdf_front_caption
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
                    first_body = False
                section = next(sof.findall(nodes.section), None)
                if section is not None:
                    title = next(section.findall(nodes.title))
                    entries.append((_plain_title(title), section["ids"][0]))
            self.contents.append((caption, entries))

    def contents_html(self) -> str:
        parts = ['<nav class="contents" role="doc-toc" id="contents"><h2 class="contents-title" data-bookmark="Contents">Contents</h2>']
        front_caption = self.config.edition_pdf_front_caption
        for caption, entries in self.contents:
            if caption:
                parts.append(f'<p class="contents-group">{html.escape(caption)}</p>')
            parts.append(f'<ul class="{"front" if caption == front_caption else "body"}">')
            for title, target in entries:
                parts.append(f'<li><a href="#{html.escape(target, quote=True)}">{html.escape(title)}</a></li>')
            parts.append("</ul>")
        parts.append("</nav>")
        return "".join(parts)

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
        meta.setdefault("dcterms.created", build_timestamp())
        meta.setdefault("dcterms.modified", meta["dcterms.created"])
        for name in ("author", "description", "keywords", "generator", "dcterms.created", "dcterms.modified"):
            if meta.get(name):
                head.append(f'<meta name="{name}" content="{html.escape(meta[name], quote=True)}">')
        paper = self.config.edition_pdf_paper.lower()
        if paper not in PAPER_SIZES:
            logger.warning("unknown paper size %r; use one of %s",
                           self.config.edition_pdf_paper, ", ".join(PAPER_SIZES),
                           type="edition", subtype="paper")
            paper = "a5"
        css = (HERE / "print.css").read_text(encoding="utf-8")
        book = _css_string(self.config.edition_pdf_running_title or self.config.project)
        # The verso's running head (before print.css, whose blank pages have none).
        settings = page_rules(paper) + "@page :left { @top-left { content: string(book, first-except); } }\n"
        # The running heads' strings (after print.css): each heading that opens
        # a piece (a text, front or back matter, the contents) sets the recto's
        # title and the verso's, which the page it opens does not show
        # (first-except).
        heads = (f"div.chapter h2, nav.contents h2.contents-title "
                 f"{{ string-set: chapter attr(data-bookmark), book {book}; }}\n")
        half_title = (f'<section class="half-title" role="doc-halftitle">'
                      f"<p>{html.escape(self.config.project)}</p></section>")
        document = (
            f'<!DOCTYPE html>\n<html lang="{html.escape(self.config.language or "en")}">\n'
            f"<head>\n{chr(10).join(head)}\n<style>{font_faces()}\n{settings}{css}{heads}</style>\n</head>\n"
            f'<body class="paper-{self.config.edition_pdf_paper.lower()}">\n{half_title}\n'
            f'{addctx["body"]}\n</body>\n</html>\n'
        )
        out = Path(self.outdir) / f"{self.config.edition_pdf_basename}.html"
        out.write_text(document, encoding="utf-8")
        self._print_html = out

    def finish(self) -> None:
        self.copy_image_files()
        if self._print_html is None:
            return
        pdf = self._print_html.with_suffix(".pdf")
        targets = [(pdf, "")]
        variant = self.config.edition_pdf_variant
        if variant:
            # The archival or accessible variant comes beside the reading PDF.
            targets.append((variant_path(pdf, variant), variant))
        for target, kind in targets:
            key = render_key(self._print_html, kind)
            stamp = target.with_name(f".{target.name}.key")
            if target.exists() and stamp.exists() and stamp.read_text("ascii") == key:
                # The same print HTML, fonts and renderer as the last good
                # build (the staging folder starts from it): the same bytes.
                progress.current().say(f"pdf: {target.name} unchanged (same print HTML, fonts and renderer)")
                continue
            stamp.unlink(missing_ok=True)
            logger.info(__("rendering %s with WeasyPrint"), target.name)
            moved = render_pdf(self._print_html, target, kind, note_paragraphs=self.note_paragraphs)
            for note in moved:
                logger.info(__("kept note %s with its call: its paragraph starts a page"), note)
            stamp.write_text(key, "ascii")


def render_key(print_html: Path, variant: str) -> str:
    """What a render depends on: the print HTML (with its styles), the font
    files it names, the variant and WeasyPrint's version. Not the moment of
    the build: a PDF kept from an earlier build keeps the date it was made."""
    import hashlib

    weasyprint = import_weasyprint()
    text = print_html.read_bytes()
    digest = hashlib.sha256(re.sub(rb'<meta name="dcterms\.(created|modified)"[^>]*>', b"", text))
    digest.update(repr(named_files(text.decode("utf-8"))).encode())
    digest.update(repr((variant, weasyprint.__version__)).encode())
    return digest.hexdigest()


VARIANTS = ("", "pdf/a-3b", "pdf/ua-1")


def variant_path(pdf: Path, variant: str) -> Path:
    """beria-1953.pdf + pdf/a-3b → beria-1953.pdfa-3b.pdf"""
    return pdf.with_name(f"{pdf.stem}.{variant.replace('/', '')}.pdf")


_PUSHING_NOTES_OUT = "report = not context.in_column and can_break_now and not could_break_before"


def keep_notes_with_their_calls() -> bool:
    """Stop WeasyPrint from sending a page's notes to the next page to make
    room for one more line.

    When a paragraph's line does not fit at the foot of a page and widow or
    orphan control forbids breaking before it, WeasyPrint 70 moves the notes
    already set on that page to the next one (last first) until the line
    fits: the notes then stand a page after their calls (17 of 270 notes on
    the benchmark's 30-text corpus, one in this edition). The book's rule is
    the reverse, the typesetter's: a note stays on the page of its call and
    the lines move, which is what WeasyPrint does anyway on a page without
    notes. The one condition that allows the push (in
    ``weasyprint.layout.block._linebox_layout``) is set to false, once per
    process. If a WeasyPrint release changes that line, nothing is patched
    and :func:`render_pdf`'s re-layout passes keep the notes with their
    calls as before (slower); returns whether the patch is in place.
    """
    import weasyprint.layout.block as block

    return rewrite_function(block, "_linebox_layout", [(_PUSHING_NOTES_OUT, "report = False")])


def prepare_weasyprint() -> None:
    """WeasyPrint's layout as the book needs it (notes kept with their calls)
    and made cheaper (:func:`.layout.linear_layout`); once per process."""
    import_weasyprint()
    keep_notes_with_their_calls()
    linear_layout()


_font_configurations: dict[tuple, Any] = {}


def font_configuration() -> Any:
    """A WeasyPrint font configuration with the book's faces registered
    (a fifth of a second: each font file is copied and given to
    Fontconfig), made once per process and per state of the font files.
    The print HTML names the same faces (:func:`.fonts.font_faces`), which
    WeasyPrint then finds registered; the forked PDF's process makes it
    while the sources are read. One inherited through ``fork`` is not used
    (nor its folder removed): Fontconfig's state is the parent's."""
    import_weasyprint()
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    faces = font_faces()
    key = (os.getpid(), faces, named_files(faces))
    config = _font_configurations.get(key)
    if config is None:
        for (pid, *_), old in _font_configurations.items():
            if pid != os.getpid():
                old._folder = None   # the parent's copies: its to remove
        release_font_configurations()
        config = _font_configurations[key] = FontConfiguration()
        CSS(string=faces, font_config=config)
    return config


def release_font_configurations() -> None:
    """Remove the font files the cached configurations copied (WeasyPrint
    removes them only when a configuration is collected, which a process
    leaving through ``os._exit`` never does)."""
    import shutil

    for config in _font_configurations.values():
        if config._folder is not None:
            shutil.rmtree(config._folder, ignore_errors=True)
            config._folder = None
    _font_configurations.clear()


atexit.register(release_font_configurations)


def named_files(text: str) -> tuple:
    """Each ``file://`` URL a stylesheet or page names (the fonts), with
    its file's size and time (None if it is missing): what a render or a
    font configuration read from disk."""
    from urllib.parse import unquote, urlsplit

    state = []
    for url in sorted(set(re.findall(r"url\((file://[^)]+)\)", text))):
        try:
            stat = Path(unquote(urlsplit(url).path)).stat()
        except OSError:
            state.append((url, None))
        else:
            state.append((url, (stat.st_size, stat.st_mtime_ns)))
    return tuple(state)


@paced_collector()
def render_pdf(print_html: Path, pdf: Path, variant: str = "",
               note_paragraphs: dict[str, str] | None = None) -> list[str]:
    """WeasyPrint: print HTML → PDF (optionally an archival or accessible variant).

    Every note must start on the page of its call. WeasyPrint's
    ``footnote-policy: line`` moves a call's line to the next page when its
    note does not fit, and :func:`keep_notes_with_their_calls` stops it from
    pushing notes away to fit a line, so the first layout is normally right.
    As a safety net (a case neither covers, or a WeasyPrint release where the
    patch does not apply) the renderer then finds each note whose page
    differs from its call's and lays out again with that block starting a
    new page, as a typesetter would; a note still astray is reported.
    (Relaxing the block's widow control instead was tried: on the
    benchmark's 30-text corpus it kept none of 17 such notes, and each pass
    is a whole layout.) Returns the ids of the notes kept by a page break.
    """
    prepare_weasyprint()   # imports WeasyPrint (late: heavy, and only this builder needs it)
    from weasyprint import CSS, HTML

    options = {}
    if variant:
        if variant not in VARIANTS:
            raise ValueError(f"unknown PDF variant {variant!r}; use one of {', '.join(v for v in VARIANTS if v)}")
        options["pdf_variant"] = variant
        if variant == "pdf/ua-1":
            options["pdf_tags"] = True
    source = HTML(filename=str(print_html), base_url=str(print_html.parent))
    note_paragraphs = note_paragraphs or {}
    kept: list[str] = []
    report = progress.current()
    fonts = font_configuration()   # the book's fonts registered once for every pass
    for attempt in range(1, MAX_PASSES + 1):
        blocks = sorted({note_paragraphs[n] for n in kept})
        stylesheets = [CSS(string="\n".join(f".{b} {{ break-before: page; }}" for b in blocks),
                           font_config=fonts)] if blocks else []
        what = "laying out the pages" if attempt == 1 else \
            f"laying out again: {len(blocks)} block(s) calling notes start a page"
        if attempt > 1:
            logger.info(__("pdf: %s"), what)
        with report.stage(f"pdf: {what}"):
            document = source.render(stylesheets=stylesheets, font_config=fonts, **options)
        astray = misplaced_notes(document, note_paragraphs)
        fixable = [n for n in astray if n not in kept]
        if not fixable or attempt == MAX_PASSES:
            for note in astray:
                # A block longer than a page, or the passes used up: said, not hidden.
                logger.info(__("note %s is not on the page of its call"), note)
                report.say(f"pdf: note {note} is not on the page of its call")
            break
        kept.extend(fixable)
    # pdf_identifier=True: an identifier derived from the content, so that
    # two renders of the same HTML give the same bytes.
    with report.stage(f"pdf: writing {pdf.name} ({len(document.pages)} pages)"):
        how = painting.write_pdf(document, str(pdf), pdf_identifier=True, **options)
    logger.info(__("pdf: %s painted in %s"), pdf.name, how)
    return kept


def misplaced_notes(document, note_paragraphs: dict[str, str]) -> list[str]:
    """Notes (ids) that do not start on the page of their call."""
    note_page: dict[str, int] = {}
    call_page: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            if name in note_paragraphs:
                note_page.setdefault(name, index)
        for link in page.links:
            if link[0] == "internal" and link[1] in note_paragraphs:
                call_page.setdefault(link[1], index)
    return [n for n in note_paragraphs if n in note_page and n in call_page
            and note_page[n] != call_page[n]]


def build_timestamp() -> str:
    """The build's date for the PDF metadata: SOURCE_DATE_EPOCH when set."""
    from datetime import datetime, timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = (datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit()
              else datetime.now(timezone.utc))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
