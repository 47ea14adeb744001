"""The PDF's pages painted by two processes.

After the layout, WeasyPrint paints every page into its PDF content stream
one after the other (a sixth of the PDF's time on this book, all of it on
one CPU). :func:`write_pdf` forks a helper that paints the second half of
the book while this process paints the first; the helper's content streams
then take the place of this process's painting of those pages, and the PDF
is written as usual. The bytes are those a serial write gives (tests
compare them).

What painting a page changes besides its own stream is small and merged in
page order, exactly as a serial painting would have made it: the glyphs
each face uses (their widths and the text they stand for) and the opacity
states. A page that makes a face no earlier page made here is painted here
(the face is then made in its place, and the helper's later pages merge
again). From the first page that needs anything else, this process paints
the rest itself: a glyph whose width was first measured here at another
size (WeasyPrint keeps a glyph's width from its first use, and the helper's
operators used its own), a glyph missing from its face, an image, a
pattern, a transparency group, a warning (said once, here). So it does when
the helper fails or does not answer. Tagged PDF (the accessible variant), a
zoom, forms, and a WeasyPrint whose code that this repeats or relies on is
not the code it was written against are painted by WeasyPrint alone.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import selectors
import signal
import struct
import sys
import time
import traceback
from typing import Any

from .layout import _source

# WeasyPrint 70's code that this repeats (the PDF writer's per-page stream
# set-up, a page's painting) or whose results it merges (the stream's fonts
# and states, the text's painting, which measures a glyph's width once).
_PAINTING_SHA256 = "bfd2fd0f5348cf6cffbe1c32199b5106a1ba6553b320b9cab5148a28ab692ddb"
# The part of the pages the helper paints: this process also links, embeds
# the fonts and writes the file afterwards.
HELPER_SHARE = 0.5
# Fewer pages than this: not worth a process.
MIN_PAGES = 8
# Once this process has painted its part, the helper's answer is awaited
# for at most this many seconds plus this many times what that took (then
# the helper is stopped and this process paints the rest).
WAIT_SECONDS, WAIT_FACTOR = 10.0, 4.0
# PDF points per CSS pixel: write_pdf's scale at zoom 1 (the only zoom painted in two).
SCALE = 0.75


def _painting_code() -> str | None:
    """The sources of that code, None where they are not installed."""
    import weasyprint.draw.text
    from weasyprint.document import Page
    from weasyprint.pdf import generate_pdf
    from weasyprint.pdf.fonts import Font
    from weasyprint.pdf.stream import Stream

    sources = [_source(code) for code in (
        generate_pdf, Page.paint, Stream, Font.get_unused_glyph_id, weasyprint.draw.text)]
    return None if None in sources else "".join(sources)


def _writer_is_known() -> bool:
    code = _painting_code()
    return code is not None and hashlib.sha256(code.encode()).hexdigest() == _PAINTING_SHA256


def eligible(document: Any, options: dict) -> bool:
    """Whether the pages can be painted in two processes."""
    if not hasattr(os, "fork") or len(document.pages) < MIN_PAGES:
        return False
    if options.get("pdf_tags") or options.get("pdf_variant") or options.get("zoom", 1) != 1:
        return False
    if document.fonts or any(any(inputs for inputs in page.forms.values()) for page in document.pages):
        return False
    return _writer_is_known()


def _page_stream(document: Any, page: Any, resources: Any, images: dict, compress: bool) -> Any:
    """The stream :func:`weasyprint.pdf.generate_pdf` sets up for a page."""
    from weasyprint.pdf.stream import Stream

    scale = SCALE
    page_width = scale * (page.width + page.bleed['left'] + page.bleed['right'])
    page_height = scale * (page.height + page.bleed['top'] + page.bleed['bottom'])
    left = -scale * page.bleed['left']
    top = -scale * page.bleed['top']
    right = left + page_width
    bottom = top + page_height
    page_rectangle = (left / scale, top / scale, (right - left) / scale, (bottom - top) / scale)
    stream = Stream(document.fonts, page_rectangle, resources, images, None,
                    document.color_profiles, document.output_intent, compress=compress)
    stream.transform(d=-1, f=(page.height * scale))
    return stream


def _paint_part(document: Any, first: int, compress: bool) -> list[tuple | None]:
    """In the helper: paint pages ``first``… and say, page by page, what
    each added: its operators, the fonts it made (keys, in order), the
    glyphs it used for the first time (per font, in order), the opacity
    states; a last None: that page needs what cannot be merged (and the
    helper stopped there)."""
    import logging

    import pydyf
    from weasyprint.logger import LOGGER

    warnings: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            warnings.append(record)

    # A page that warns is painted again here, where the warning is said.
    LOGGER.handlers[:] = [Keep(logging.WARNING)]
    LOGGER.propagate = False
    resources = pydyf.Dictionary({
        'ExtGState': pydyf.Dictionary(), 'XObject': pydyf.Dictionary(),
        'Pattern': pydyf.Dictionary(), 'Shading': pydyf.Dictionary(), 'ColorSpace': None})
    images: dict = {}
    fonts = document.fonts
    pages: list[tuple | None] = []
    for page in document.pages[first:]:
        known = {key: (len(font.widths), len(font.to_unicode), len(font.missing))
                 for key, font in fonts.items()}
        states = len(resources['ExtGState'])
        stream = _page_stream(document, page, resources, images, compress)
        start = len(stream.stream)
        page.paint(stream, SCALE)
        operators = stream.stream[start:]
        new_states = list(resources['ExtGState'].items())[states:]
        mergeable = (
            not warnings
            and all(type(op) is bytes for op in operators)
            and not images and not resources['XObject'] and not resources['Pattern']
            and not resources['Shading']
            and all(key[0] in "aA" and set(state) <= {"ca", "CA"} for key, state in new_states)
            and all(len(font.missing) == known.get(key, (0, 0, 0))[2] and not font.used_in_forms
                    for key, font in fonts.items()))
        if not mergeable:
            pages.append(None)
            break
        new_fonts = [key for key in fonts if key not in known]
        glyphs = []
        for key, font in fonts.items():
            widths, texts, _ = known.get(key, (0, 0, 0))
            added_widths = list(font.widths.items())[widths:]
            added_texts = list(font.to_unicode.items())[texts:]
            if added_widths or added_texts:
                glyphs.append((key, added_widths, added_texts))
        pages.append((operators, new_fonts, glyphs, [(key, dict(state)) for key, state in new_states]))
    return pages


def _send(fd: int, payload: bytes) -> None:
    view = memoryview(struct.pack("<Q", len(payload)) + payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _receive(fd: int, deadline: float) -> bytes | None:
    """A length-prefixed message from ``fd``; None at its end or the deadline."""
    chunks, wanted, size = [], 8, None
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return None
            chunk = os.read(fd, min(wanted, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            wanted -= len(chunk)
            if wanted == 0:
                if size is not None:
                    return b"".join(chunks)
                size = struct.unpack("<Q", b"".join(chunks))[0]
                chunks, wanted = [], size
                if size == 0:
                    return b""


def _die_with_parent(parent: int) -> None:
    """The helper is killed if this process ends first (Linux's
    PR_SET_PDEATHSIG; elsewhere it stops at its next write)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:   # it ended before the request
        os._exit(1)


class _Helper:
    """The forked process painting pages ``first``…"""

    def __init__(self, document: Any, first: int, compress: bool) -> None:
        self.pages: list | None = None
        parent = os.getpid()
        read, write = os.pipe()
        # Frozen, the book's boxes are not walked by the helper's collector
        # (which would touch, and so copy, every page of their memory).
        gc.freeze()
        try:
            pid = os.fork()
        except BaseException:
            os.close(read)
            os.close(write)
            raise
        finally:
            if os.getpid() == parent:
                gc.unfreeze()
        if pid == 0:   # the helper: whatever happens, it leaves here
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)   # this process stops it
                _die_with_parent(parent)
                os.close(read)
                gc.disable()
                try:
                    payload = pickle.dumps(("ok", _paint_part(document, first, compress)),
                                           protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:
                    payload = pickle.dumps(("error", traceback.format_exc()))
                _send(write, payload)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self._read = pid, read
        self._started = time.monotonic()

    def result(self) -> list | None:
        """The helper's pages (None: paint them here), once."""
        if self._read is None:
            return self.pages
        now = time.monotonic()
        try:
            payload = _receive(self._read, now + WAIT_SECONDS + WAIT_FACTOR * (now - self._started))
            answer = None if payload is None else pickle.loads(payload)
        except Exception:   # a broken answer: the pages are painted here
            answer = ("error", traceback.format_exc())
        finally:
            self.close()
        if answer is None:
            sys.stderr.write("edition: the PDF's painting helper gave no answer; its pages were painted here\n")
        elif answer[0] == "ok":
            self.pages = answer[1]
        else:
            sys.stderr.write(f"edition: painting in two processes failed; the pages were painted here:\n{answer[1]}")
        return self.pages

    def close(self) -> None:
        if self._read is not None:
            os.close(self._read)
            self._read = None
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)


def _widths_agree(part: tuple, fonts: dict) -> bool:
    """Whether every glyph the helper measured first on this page has the
    width this process keeps for it (WeasyPrint keeps a face's glyph width
    from its first use, at that use's size, and places the glyph by it)."""
    for key, widths, _ in part[2]:
        font = fonts.get(key)
        if font is not None and any(font.widths.get(glyph, width) != width for glyph, width in widths):
            return False
    return True


def _merge(part: tuple, stream: Any) -> None:
    """The helper's page into ``stream``: its operators, then its glyphs
    and states in the order the page first used them (what this process
    already has stays, as a serial painting keeps the first)."""
    import pydyf

    operators, _, glyphs, states = part
    stream.stream.extend(operators)
    for key, widths, texts in glyphs:
        font = stream._fonts[key]
        for glyph, width in widths:
            font.widths.setdefault(glyph, width)
        for glyph, text in texts:
            font.to_unicode.setdefault(glyph, text)
    for key, state in states:
        if key not in stream._resources['ExtGState']:
            stream._resources['ExtGState'][key] = pydyf.Dictionary(state)


def write_pdf(document: Any, target: str, **options: Any) -> str:
    """``document.write_pdf(target, **options)``, the pages painted by two
    processes when :func:`eligible`; returns how: "one process", or "two
    processes: N pages painted here, M by the helper"."""
    if not eligible(document, options):
        document.write_pdf(target, **options)
        return "one process"
    from weasyprint.document import Page

    pages = document.pages
    first = len(pages) - round(len(pages) * HELPER_SHARE)
    compress = not options.get("uncompressed_pdf", False)
    try:
        helper = _Helper(document, first, compress)
    except OSError:   # no process to be had: WeasyPrint alone
        document.write_pdf(target, **options)
        return "one process"
    painted_here: list[int] = []
    serial = False   # from here on, every page is painted here

    def paint(page: Any, index: int, stream: Any, scale: float = 1) -> None:
        nonlocal serial
        part = None
        if not serial:
            done = helper.result()
            part = done[index - first] if done is not None and index - first < len(done) else None
            serial = part is None   # the helper stopped before this page, or failed
        if part is not None and _widths_agree(part, stream._fonts) \
                and all(key in stream._fonts for key in part[1]):
            _merge(part, stream)
            return
        painted_here.append(index)
        Page.paint(page, stream, scale)
        # A page painted here because it makes a face: the helper's later
        # pages merge again, unless a glyph it measured here differs (its
        # later pages placed that glyph by the helper's width).
        if part is not None and not _widths_agree(part, stream._fonts):
            serial = True

    for index in range(first, len(pages)):
        pages[index].paint = (lambda page, index: lambda stream, scale=1:
                              paint(page, index, stream, scale))(pages[index], index)
    try:
        document.write_pdf(target, **options)
    finally:
        for page in pages[first:]:
            page.__dict__.pop("paint", None)
        helper.close()
    helped = len(pages) - first - len(painted_here)
    return f"two processes: {first + len(painted_here)} pages painted here, {helped} by the helper"
