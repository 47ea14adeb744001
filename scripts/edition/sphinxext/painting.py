"""The PDF's pages painted by two processes.

After the layout, WeasyPrint paints every page into its PDF content stream
one after the other (a sixth of the PDF's time on this book, all of it on
one CPU). :func:`write_pdf` forks a helper that paints the second part of
the book while this process paints the first; the helper's content streams
then take the place of this process's painting of those pages, and the PDF
is written as usual. The bytes are those a serial write gives (a test
compares them).

What painting a page changes besides its own stream is small and merged in
page order, exactly as a serial painting would have made it: the glyphs
each font uses (their widths and the text they stand for) and the opacity
states. Whatever else (a font that only the second part uses, which this
process would have to make; a glyph missing from its font; an image, a
pattern, a transparency group; tagged PDF) is not merged: from the first
page that needs it, this process paints the rest itself. So does it when
the helper fails or cannot be started, and with a WeasyPrint release whose
PDF writer is not the one this was written against.
"""

from __future__ import annotations

import gc
import hashlib
import inspect
import os
import pickle
import select
import struct
import sys
import time
import traceback
from typing import Any

# WeasyPrint 70's PDF writer, whose per-page stream set-up the helper repeats.
_GENERATE_PDF_SHA256 = "626343ef25c396e8521948cadbe2b7544331c161040da80ed4e338fadac3efa9"
# The part of the pages the helper paints: this process also links, embeds
# the fonts and writes the file afterwards.
HELPER_SHARE = 0.5
# Fewer pages than this: not worth a process.
MIN_PAGES = 8
# Once this process has painted its part, the helper's answer is awaited
# for at most this many seconds plus this many times what that took (then
# the helper is stopped and this process paints the rest).
WAIT_SECONDS, WAIT_FACTOR = 10.0, 4.0


def _writer_is_known() -> bool:
    from weasyprint.pdf import generate_pdf

    digest = hashlib.sha256(inspect.getsource(generate_pdf).encode()).hexdigest()
    return digest == _GENERATE_PDF_SHA256


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

    scale = 0.75
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


def _paint_part(document: Any, first: int, compress: bool) -> list[tuple]:
    """In the helper: paint pages ``first``… and say, page by page, what
    each added: its operators, the fonts it made (keys, in order), the
    glyphs it used for the first time (per font, in order), the opacity
    states; or that it needs what cannot be merged."""
    import pydyf

    resources = pydyf.Dictionary({
        'ExtGState': pydyf.Dictionary(), 'XObject': pydyf.Dictionary(),
        'Pattern': pydyf.Dictionary(), 'Shading': pydyf.Dictionary(), 'ColorSpace': None})
    images: dict = {}
    fonts = document.fonts
    pages = []
    for page in document.pages[first:]:
        known = {key: (len(font.widths), len(font.to_unicode), len(font.missing), font.used_in_forms)
                 for key, font in fonts.items()}
        states = len(resources['ExtGState'])
        stream = _page_stream(document, page, resources, images, compress)
        start = len(stream.stream)
        page.paint(stream, 0.75)
        operators = stream.stream[start:]
        new_states = list(resources['ExtGState'].items())[states:]
        mergeable = (
            all(type(op) is bytes for op in operators)
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
            widths, texts, _, _ = known.get(key, (0, 0, 0, False))
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
    chunks, wanted, size = [], 8, None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, min(wanted, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        wanted -= len(chunk)
        if wanted == 0:
            if size is None:
                size = struct.unpack("<Q", b"".join(chunks))[0]
                chunks, wanted = [], size
                if size == 0:
                    return b""
            else:
                return b"".join(chunks)


class _Helper:
    """The forked process painting pages ``first``…"""

    def __init__(self, document: Any, first: int, compress: bool) -> None:
        self.first = first
        self.pages: list | None = None
        self._document = document
        read, write = os.pipe()
        gc.freeze()   # the helper's collector leaves the book's boxes alone (no copies)
        pid = os.fork()
        if pid == 0:   # the helper
            os.close(read)
            code = 0
            try:
                gc.disable()
                payload = pickle.dumps(("ok", _paint_part(document, first, compress)),
                                       protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                payload = pickle.dumps(("error", traceback.format_exc()))
                code = 1
            try:
                _send(write, payload)
            finally:
                os._exit(code)
        gc.unfreeze()
        os.close(write)
        self.pid, self._read = pid, read
        self._started = time.monotonic()

    def result(self) -> list | None:
        """The helper's pages (None: paint them here), once."""
        if self._read is None:
            return self.pages
        now = time.monotonic()
        payload = _receive(self._read, now + WAIT_SECONDS + WAIT_FACTOR * (now - self._started))
        self.close()
        if payload is None:
            sys.stderr.write("edition: the PDF's painting helper gave no answer; its pages were painted here\n")
            return None
        kind, value = pickle.loads(payload)
        if kind == "ok":
            self.pages = value
        else:
            sys.stderr.write(f"edition: painting in two processes failed; painted here:\n{value}")
        return self.pages

    def close(self) -> None:
        if self._read is not None:
            os.close(self._read)
            self._read = None
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)


def write_pdf(document: Any, target: str, **options: Any) -> str:
    """``document.write_pdf(target, **options)``, the pages painted by two
    processes when :func:`eligible`; returns how ("two processes", "one
    process", or how many pages the helper painted before this process
    took over)."""
    if not eligible(document, options):
        document.write_pdf(target, **options)
        return "one process"
    import pydyf
    from weasyprint.document import Page

    pages = document.pages
    first = len(pages) - round(len(pages) * HELPER_SHARE)
    compress = not options.get("uncompressed_pdf", False)
    try:
        helper = _Helper(document, first, compress)
    except OSError:
        document.write_pdf(target, **options)
        return "one process"
    painted_here: list[int] = []

    def painted_by_helper(page: Any, index: int, stream: Any, scale: float = 1) -> None:
        done = helper.result()
        part = done[index - first] if done is not None and index - first < len(done) else None
        if part is None or not all(key in stream._fonts for key in part[1]):
            # Painted here: the helper stopped before it, or it makes a font
            # no earlier page made here (painting it here makes the font, in
            # its place; the helper's later pages then merge again).
            painted_here.append(index)
            Page.paint(page, stream, scale)
            return
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

    for index in range(first, len(pages)):
        pages[index].paint = (lambda page, index: lambda stream, scale=1:
                              painted_by_helper(page, index, stream, scale))(pages[index], index)
    try:
        document.write_pdf(target, **options)
    finally:
        for page in pages[first:]:
            page.__dict__.pop("paint", None)
        helper.close()
    helped = len(pages) - first - len(painted_here)
    return f"two processes: {first + len(painted_here)} pages painted here, {helped} by the helper"
