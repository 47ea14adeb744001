"""The PDF's pages painted by two processes (sphinxext/painting.py): the same
bytes as WeasyPrint's own serial writing, whatever the helper paints, merges
or cannot merge, and when it fails."""

from __future__ import annotations

import re
import shutil
import sys

import pytest

from edition.sphinxext import painting
from edition.sphinxext.speed import import_weasyprint

PAGE = ('<section style="break-before: page"><h1>Section {n}</h1>{body}</section>')
TEXT = ("<p>Paragraph {n}.{p}: words enough to fill a few lines of the page, with "
        "<em>an emphasis</em> and <strong>a strong word</strong> now and then, "
        "so that each page uses several faces.</p>")


def _document(pages: int = 16, late: str = "", opacity_from: int | None = None,
              extra: dict[int, str] | None = None):
    """A little book of ``pages`` sections, one a page; ``late`` is set on
    the last page only (a face no earlier page uses); from page
    ``opacity_from`` on, each section has a translucent box (a transparency
    group); ``extra`` adds HTML to the pages it names."""
    import_weasyprint()
    from weasyprint import HTML

    sections = []
    for n in range(pages):
        body = "".join(TEXT.format(n=n, p=p) for p in range(2))
        if n == pages - 1 and late:
            body += f'<p style="font-family: DejaVu Sans Mono">{late}</p>'
        if opacity_from is not None and n >= opacity_from:
            body += '<p style="opacity: 0.5">Translucent.</p>'
        body += (extra or {}).get(n, "")
        sections.append(PAGE.format(n=n, body=body))
    html = ('<html lang="en"><head><meta name="dcterms.created" content="2026-01-01T00:00:00Z">'
            '<style>@page { size: A6; @bottom-center { content: counter(page) } }</style></head>'
            f'<body>{"".join(sections)}</body></html>')
    return HTML(string=html).render()


def _both(document_maker, tmp_path, **options) -> tuple[bytes, bytes, str]:
    """The PDF painted in two processes, then the same document painted by
    WeasyPrint alone (its fonts forgotten, so that they are made anew)."""
    document = document_maker()
    how = painting.write_pdf(document, str(tmp_path / "two.pdf"), pdf_identifier=True, **options)
    document = document_maker()
    document.write_pdf(str(tmp_path / "one.pdf"), pdf_identifier=True, **options)
    return (tmp_path / "two.pdf").read_bytes(), (tmp_path / "one.pdf").read_bytes(), how


def _reader(pdf: bytes):
    from io import BytesIO

    from pypdf import PdfReader

    return PdfReader(BytesIO(pdf))


def _painted(how: str) -> tuple[int, int]:
    here, helper = re.fullmatch(r"two processes: (\d+) pages painted here, (\d+) by the helper", how).groups()
    return int(here), int(helper)


def test_the_pinned_weasyprints_writer_is_the_one_the_helper_repeats():
    import_weasyprint()
    assert painting._writer_is_known()


def test_two_processes_paint_the_bytes_one_does(tmp_path):
    two, one, how = _both(_document, tmp_path)
    assert two == one
    here, helper = _painted(how)
    assert (here, helper) == (8, 8)   # the helper's pages all merged


def test_a_face_only_the_helpers_pages_use_is_made_here_in_its_place(tmp_path):
    two, one, how = _both(lambda: _document(late="fn main() { return 0; }"), tmp_path)
    assert two == one
    last = _reader(one).pages[-1]
    faces = {str(font["/BaseFont"]) for font in last["/Resources"]["/Font"].values()}
    assert any(face.endswith("+DejaVu-Sans-Mono") for face in faces), faces
    assert _painted(how) == (9, 7)   # the last page, which makes the face, painted here


def test_a_translucent_colour_first_used_by_the_helper_is_merged(tmp_path):
    """Its opacity state is new to this process: added, in its place."""
    grey = '<p style="color: rgba(0, 0, 0, 0.6)">Grey words.</p>'
    two, one, how = _both(lambda: _document(extra={10: grey, 13: grey}), tmp_path)
    assert two == one
    assert _painted(how) == (8, 8)
    states = _reader(one).pages[10]["/Resources"]["/ExtGState"]
    assert any(abs(float(state.get_object().get("/ca", 1)) - 0.6) < 1e-6 for state in states.values())


def test_a_glyph_measured_here_at_another_size_makes_this_process_paint_the_rest(tmp_path):
    """WeasyPrint keeps a glyph's width from its first use, at that size
    (Charis SIL's beta: 582 thousandths of an em at 8 pt, 583 at 11 pt), and
    places the glyph by it: the helper, which first met it at 11 pt, placed
    it otherwise than a serial painting, which met it at 8 pt on page 1."""
    beta = '<p style="font-family: Charis SIL; font-size: {size}">β and β again</p>'
    extra = {0: beta.format(size="8pt"), 10: beta.format(size="11pt"), 14: beta.format(size="11pt")}
    two, one, how = _both(lambda: _document(extra=extra), tmp_path)
    assert two == one
    assert _painted(how) == (14, 2)   # pages 9 and 10 merged; from page 11 on, here


def test_a_glyph_missing_from_its_face_is_painted_here_from_its_page_on(tmp_path):
    """A missing glyph gets an unused glyph number, counted per face: the
    helper's numbering could not be merged (and WeasyPrint warns, once)."""
    two, one, how = _both(lambda: _document(extra={12: "<p>A private sign: \ue123.</p>"}), tmp_path)
    assert two == one
    assert _painted(how) == (12, 4)


def test_what_cannot_be_merged_is_painted_here_from_its_page_on(tmp_path):
    two, one, how = _both(lambda: _document(opacity_from=12), tmp_path)
    assert two == one
    assert _painted(how) == (12, 4)


def test_a_failing_helper_leaves_every_page_to_this_process(tmp_path, monkeypatch, capfd):
    def failing(*args):
        raise RuntimeError("the helper broke")
    monkeypatch.setattr(painting, "_paint_part", failing)
    two, one, how = _both(_document, tmp_path)
    assert two == one
    assert _painted(how) == (16, 0)
    assert "the helper broke" in capfd.readouterr().err


def test_a_helper_that_does_not_answer_is_stopped(tmp_path, monkeypatch, capfd):
    import time

    def hanging(*args):
        time.sleep(600)
    monkeypatch.setattr(painting, "_paint_part", hanging)
    monkeypatch.setattr(painting, "WAIT_SECONDS", 0.5)
    monkeypatch.setattr(painting, "WAIT_FACTOR", 0.0)
    started = time.monotonic()
    two, one, how = _both(_document, tmp_path)
    assert time.monotonic() - started < 60
    assert two == one
    assert _painted(how) == (16, 0)
    assert "gave no answer" in capfd.readouterr().err


@pytest.mark.parametrize("options", [{"pdf_variant": "pdf/ua-1", "pdf_tags": True}, {"zoom": 2}])
def test_tagged_variants_and_zoom_are_painted_by_weasyprint_alone(tmp_path, options):
    document = _document()
    assert painting.write_pdf(document, str(tmp_path / "x.pdf"), **options) == "one process"
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")


def test_the_editions_pdf_is_the_same_painted_in_two_processes(edition, tmp_path):
    """The edition's own print HTML (its faces, notes, links, running heads)."""
    from edition.sphinxext.pdf import font_configuration, prepare_weasyprint

    prepare_weasyprint()
    from weasyprint import HTML

    source = HTML(filename=str(edition.build_dir / "pdf" / "beria-1953.html"))
    fonts = font_configuration()
    two, one, how = _both(lambda: source.render(font_config=fonts), tmp_path)
    assert two == one
    here, helper = _painted(how)
    assert helper >= 20


IMPORT_WATCHING_SUBPROCESSES = r"""
import ctypes.util, subprocess, sys
runs = []
popen_init = subprocess.Popen.__init__
def watched(self, args, *rest, **kwargs):
    runs.append(args[0] if isinstance(args, (list, tuple)) else args)
    popen_init(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = watched
lookup = ctypes.util.find_library
from edition.sphinxext.speed import import_weasyprint
weasyprint = import_weasyprint()
from weasyprint.text import ffi
assert ctypes.util.find_library is lookup, "the lookup is put back"
assert ffi.pango is not None and ffi.harfbuzz_subset is not None
print(sorted({str(run).rsplit("/", 1)[-1] for run in runs}))
"""


@pytest.mark.skipif(not shutil.which("gcc"), reason="without gcc, ctypes' lookup runs no compiler anyway")
def test_weasyprint_is_imported_without_a_compiler_or_linker_run_per_library_name():
    """WeasyPrint names each library for every platform; ctypes would run
    gcc and ld for each name that is not this one's (0.3 s an import)."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", IMPORT_WATCHING_SUBPROCESSES],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    runs = eval(result.stdout)
    assert not {"gcc", "cc", "ld", "x86_64-linux-gnu-gcc"} & set(runs), runs
    assert runs, "ldconfig's cache was read (the check sees the runs)"


ORPHANED = r"""
import sys, time
from edition.sphinxext import painting
from edition.sphinxext.speed import import_weasyprint
import_weasyprint()
from weasyprint import HTML
painting._paint_part = lambda *args: time.sleep(120)
document = HTML(string="".join(f'<p style="break-before: page">{n}</p>' for n in range(12))).render()
helper = painting._Helper(document, 6, True)
print(helper.pid, flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_helper_dies_with_the_process_it_paints_for():
    """A PDF process stopped mid-build (Ctrl-C, or a failed build stopping
    it) leaves no helper painting on."""
    import os
    import signal
    import subprocess
    import time

    parent = subprocess.Popen([sys.executable, "-c", ORPHANED], stdout=subprocess.PIPE, text=True)
    try:
        helper = int(parent.stdout.readline())
        assert _running(helper)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _running(helper) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(helper)
    finally:
        parent.kill()
        try:
            os.kill(helper, signal.SIGKILL)
        except (ProcessLookupError, UnboundLocalError):
            pass


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for init to reap it)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_without_weasyprints_sources_the_pages_are_painted_by_weasyprint_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(painting, "_source", lambda code: None)   # inspect.getsource's OSError
    assert painting.write_pdf(_document(), str(tmp_path / "x.pdf")) == "one process"
