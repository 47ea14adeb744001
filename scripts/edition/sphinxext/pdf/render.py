"""The PDF's rendering: print HTML → PDF, by WeasyPrint.

:func:`render_pdf` lays the book out and writes the PDF (and, asked for, an
archival or accessible variant); :func:`render_key` says what a render
depends on, so that an unchanged book is not laid out again;
:func:`font_configuration` registers the book's faces once per process.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from sphinx.locale import __
from sphinx.util import logging

from ... import progress
from ...archive import Carried
from ...clock import build_moment
from ...compat.pages import numbers_to_the_outer_margin, page_starts
from ...fonts.faces import DEFAULT_BOOK_FACE, BookFace, font_faces
from ...pagemap import Page, folio
from ...paper import PDF_VARIANTS, PRINT_VARIANT

logger = logging.getLogger(__name__)

# Layout passes at most: the first, then one for each round of notes that a
# page break before their block keeps with their calls (a break can move the
# calls after it in the same chapter, so a round may find new ones).
MAX_PASSES = 4


def render_key(print_html: Path, variant: str, rules: tuple[str, ...] = ()) -> str:
    """What a render depends on: the print HTML (with its styles), the font
    files it names, the variant, WeasyPrint's version, the typesetting
    rules in force and this module. Not the moment of the build: a PDF kept from an earlier
    build keeps the date it was made."""
    import weasyprint

    text = print_html.read_bytes()
    digest = hashlib.sha256(re.sub(rb'<meta name="dcterms\.(created|modified)"[^>]*>', b"", text))
    digest.update(repr(named_files(text.decode("utf-8"))).encode())
    digest.update(repr((variant, weasyprint.__version__, rules)).encode())
    digest.update(Path(__file__).read_bytes())   # what this module adds after the layout (page labels)
    return digest.hexdigest()


def variant_path(pdf: Path, variant: str) -> Path:
    """beria-1953.pdf + pdf/a-3b → beria-1953.pdfa-3b.pdf"""
    return pdf.with_name(f"{pdf.stem}.{variant.replace('/', '')}.pdf")


_font_configurations: dict[tuple, Any] = {}
_font_folders: dict[int, Path] = {}   # process → the folder its configurations copy fonts into


def font_configuration(book: BookFace = DEFAULT_BOOK_FACE) -> Any:
    """A WeasyPrint font configuration with the book's faces registered
    (each font file is copied and given to Fontconfig, a fifth of a
    second), made once per process and per state of the font files. The
    print HTML names the same faces (:func:`edition.fonts.faces.font_faces`),
    which WeasyPrint then finds registered; the forked PDF's process makes
    it while the sources are read. One inherited through ``fork`` is the
    parent's: not used here, and left alone.

    WeasyPrint copies the fonts into a temporary folder it removes when the
    configuration is collected; here that folder is made inside one of this
    process's own, removed by :func:`release_font_configurations` without
    waiting for a collection (the configuration is held in reference cycles
    by the laid-out document)."""
    import shutil
    import tempfile

    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration  # WeasyPrint's documented API for fonts

    faces = font_faces(book)
    key = (os.getpid(), faces, named_files(faces))
    config = _font_configurations.get(key)
    if config is None:
        release_font_configurations()
        # WeasyPrint makes its folder when it copies the first face (70) or
        # when the configuration is made: both inside this one.
        folder = Path(tempfile.mkdtemp(prefix="edition-fonts-"))
        previous, tempfile.tempdir = tempfile.tempdir, str(folder)
        try:
            config = FontConfiguration()
            CSS(string=faces, font_config=config)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            tempfile.tempdir = previous
        _font_folders[os.getpid()] = folder
        _font_configurations[key] = config
    return config


def release_font_configurations() -> None:
    """Let go of this process's font configurations and remove the font
    files they copied: done when a PDF's build ends, and when the process
    leaves (a forked process leaves through ``os._exit``, which runs no
    exit handler)."""
    import shutil

    for key in [key for key in _font_configurations if key[0] == os.getpid()]:
        del _font_configurations[key]
    folder = _font_folders.pop(os.getpid(), None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


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


# Collect the young generation every 10,000 net allocations instead of 700,
# and the whole heap after 20 × 20 of those instead of 10 × 10.
LAYOUT_GC_THRESHOLDS = (10_000, 20, 20)


@contextmanager
def paced_collector() -> Iterator[None]:
    """Run the garbage collector less often while the book is laid out and
    written (WeasyPrint, and in the PDF's own process the whole build). The
    layout allocates millions of boxes that live until the PDF is written; at
    CPython's default pace they soon reach the oldest generation, and each
    full collection walks all of them, for little cyclic garbage. The
    previous pace is restored afterwards."""
    previous = gc.get_threshold()
    gc.set_threshold(*LAYOUT_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@dataclass
class Rendering:
    """What a render did: its pages, its layout passes, and the notes that
    needed a page break before their block (``kept``) or stand on another
    page than their call's even so (``astray``)."""

    pages: int = 0
    passes: int = 0
    kept: list[str] = field(default_factory=list)
    astray: list[str] = field(default_factory=list)


@paced_collector()
def render_pdf(print_html: Path, pdf: Path, variant: str = "",
               note_paragraphs: dict[str, str] | None = None,
               book: BookFace = DEFAULT_BOOK_FACE, body_start: str = "",
               page_css: Callable[[int], str] | None = None,
               inspect: Callable[[Any], None] | None = None,
               carried: Sequence[Carried] = (),
               laid_out: Callable[[tuple[Page, ...]], None] | None = None) -> Rendering:
    """WeasyPrint: print HTML → PDF (optionally an archival or accessible variant).

    Every note must start on the page of its call. WeasyPrint's
    ``footnote-policy: line`` moves a call's line to the next page when its
    note does not fit, and the typesetting rule of :mod:`edition.compat`
    (``weasyprint.notes-with-their-calls``) stops it from pushing notes away
    to fit a line, and lets a note too long for the room left run on to the
    next page's foot, so the first layout is normally right. As a safety net (a
    case neither covers, or a WeasyPrint release where the rule cannot be
    applied) the renderer then finds each note whose page differs from its
    call's and lays out again with that block starting a new page, as a
    typesetter would; a note still astray is reported. (Relaxing the
    block's widow control instead keeps few such notes, and each pass is a
    whole layout.)

    The PDF's page labels are its folios: roman up to the page that opens
    with the element ``body_start`` (the first text), arabic from 1 there,
    so that a viewer's "page 1" is the printed page 1.

    ``page_css(pages)``, where given (the printer's PDF), is a stylesheet
    that depends on the page count (the gutter): the pages are laid out
    with it for the reading PDF's count and again if the count it gives
    asks for another.

    ``inspect(document)``, where given, reads the laid-out pages before
    they are written. ``carried``: the files the archival PDF carries
    (:mod:`edition.archive`), as associated files dated at the build's
    moment, so that the same sources give the same bytes. ``laid_out(pages)``,
    where given, hears where each page begins in the text (its folio and
    place, :mod:`edition.pagemap`) as soon as the pages are laid out,
    before they are written.
    """
    from weasyprint import CSS, HTML

    # Only the accessible variant is tagged: tagging costs about a fifth of
    # the PDF's time, and WeasyPrint tags a note as a span, not a Note, so
    # the reading PDF would not be PDF/UA either (scripts/docs/formats.md).
    options: dict[str, Any] = {}
    if variant:
        if variant not in PDF_VARIANTS:
            raise ValueError(f"unknown PDF variant {variant!r}; use one of {', '.join(PDF_VARIANTS)}")
        options["pdf_variant"] = variant
        if variant == "pdf/ua-1":
            options["pdf_tags"] = True
        if variant == PRINT_VARIANT:
            # The one characterization the build can ship (WeasyPrint's sRGB
            # profile): the printer converts; every font is embedded anyway.
            options["output_intent"] = "srgb"
    if carried:
        from weasyprint import Attachment

        moment = build_moment()
        options["attachments"] = [Attachment(filename=str(c.path), name=c.name, description=c.description,
                                             created=moment, modified=moment, relationship=c.relationship)
                                  for c in carried]
    source = HTML(filename=str(print_html), base_url=str(print_html.parent))
    note_paragraphs = note_paragraphs or {}
    result = Rendering()
    report = progress.current()
    fonts = font_configuration(book)   # the book's fonts registered once for every pass
    pages = 0
    sized = page_css(pages) if page_css else ""
    for attempt in range(1, MAX_PASSES + 1):
        blocks = sorted({note_paragraphs[n] for n in result.kept})
        rules = sized + "\n".join(f".{b} {{ break-before: page; }}" for b in blocks)
        stylesheets = [CSS(string=rules, font_config=fonts)] if rules else []
        what = "laying out the pages" if attempt == 1 else \
            f"laying out again: {len(blocks)} block(s) calling notes start a page"
        if attempt > 1:
            logger.info(__("pdf: %s"), what)
        with report.stage(f"pdf: {what}"):
            document = source.render(stylesheets=stylesheets, font_config=fonts, **options)
        result.passes = attempt
        resized = page_css(len(document.pages)) if page_css else sized
        if resized != sized and attempt < MAX_PASSES:
            sized = resized   # a thicker book: a wider gutter
            continue
        astray = misplaced_notes(document, note_paragraphs)
        fixable = [n for n in astray if n not in result.kept]
        if not fixable or attempt == MAX_PASSES:
            result.astray = astray
            break
        result.kept.extend(fixable)
    result.pages = len(document.pages)
    # pdf_identifier=True: an identifier derived from the content, so that
    # two renders of the same HTML give the same bytes.
    with report.stage(f"pdf: writing {pdf.name} ({result.pages} pages)"):
        numbers_to_the_outer_margin(document)
        if inspect is not None:
            inspect(document)
        start = next((i for i, page in enumerate(document.pages) if body_start in page.anchors), None)
        if laid_out is not None:
            laid_out(tuple(Page(folio(index, start), s.anchor, s.offset, s.begins)
                           for index, s in enumerate(page_starts(document))))
        document.write_pdf(str(pdf), pdf_identifier=True, finisher=_page_labels(start), **options)
    return result


def _page_labels(body_start: int | None):
    """A finisher (WeasyPrint's hook before the PDF's trailer is written)
    that gives the catalogue its /PageLabels: lower-roman from the first
    page, decimal from 1 at ``body_start`` (as :func:`edition.pagemap.folio`
    names them)."""
    import pydyf

    def finish(document, pdf) -> None:
        ranges = [0, pydyf.Dictionary({"S": "/r"})]
        if body_start:
            ranges += [body_start, pydyf.Dictionary({"S": "/D", "St": 1})]
        elif body_start == 0:
            ranges = [0, pydyf.Dictionary({"S": "/D", "St": 1})]
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(ranges)})

    return finish


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
