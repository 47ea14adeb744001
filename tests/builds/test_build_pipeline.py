"""The build pipeline: sources read once for all formats, the PDF laid out in
a process of its own, progress lines on a terminal only, and ``edition
watch`` rebuilding the changed chapter after an edit."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import threading
import time

import pytest

from edition import progress
from edition.build import BuildError, build
from edition.progress import Progress
from edition.build.watch import watch

SEED = "A Title\n\nA first paragraph, quoting Freeze pg 409.\n\nA second paragraph.\n"
NOTE = '[[note]]\nid = "n"\nanchor = "first paragraph"\ntext = "An editorial note."\n'


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_all_formats_from_one_reading_with_the_pdf_in_its_own_process(make_project, tmp_path):
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    # A real file, as a terminal is: the PDF's process writes its lines to it too.
    with open(tmp_path / "terminal.txt", "a", encoding="utf-8") as out:
        folders = build(proj, quiet=False, report=Progress(True, out))
    progress.use(Progress(False))
    assert set(folders) == {"html", "epub", "pdf"}
    lines = (tmp_path / "terminal.txt").read_text("utf-8").splitlines()
    # Read once, before any format writes; each format then only writes.
    reading = lines.index("edition: ▸ reading the sources (once for all formats)")
    assert all(reading < lines.index(f"edition: ▸ {fmt}: writing") for fmt in ("html", "epub"))
    assert "edition: ▸ pdf: writing (in a process of its own)" in lines
    assert "edition: ▸ pdf: laying out the pages" in lines
    assert any(re.match(r"edition: ✓ pdf: writing beria-1953\.pdf \(\d+ pages\)", line)
               for line in lines), lines
    # The note reached all three formats.
    assert "An editorial note." in (folders["html"] / "texts" / "one.html").read_text("utf-8")
    assert list(folders["epub"].glob("*.epub")) and list(folders["pdf"].glob("*.pdf"))
    # No staging folder left behind.
    assert not list(proj.build_dir.glob(".staging-*"))


def test_the_pdf_alone_is_laid_out_by_a_process_started_before_the_reading(make_project, tmp_path):
    """Built alone, the PDF still has its process, started before the chapters
    are written, so that loading Sphinx and WeasyPrint overlaps the reading."""
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    with open(tmp_path / "terminal.txt", "a", encoding="utf-8") as out:
        folders = build(proj, ("pdf",), quiet=False, report=Progress(True, out))
    progress.use(Progress(False))
    lines = (tmp_path / "terminal.txt").read_text("utf-8").splitlines()
    reading = lines.index("edition: ▸ reading the sources (while the PDF's process starts)")
    assert reading < lines.index("edition: ▸ pdf: writing (in a process of its own)") \
        < lines.index("edition: ▸ pdf: laying out the pages")
    assert not any(line.startswith(("edition: ▸ html", "edition: ▸ epub")) for line in lines)
    import pdfplumber

    with pdfplumber.open(next(folders["pdf"].glob("*.pdf"))) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
    assert "An editorial note." in text
    assert not list(proj.build_dir.glob(".staging-*"))


def test_a_crashing_warm_up_is_only_a_slower_start(make_project, monkeypatch):
    """The PDF's process loads ahead what its build needs; if that fails,
    the build loads it again itself and succeeds, and the process leaves no
    copy of the book's fonts behind in the temporary folder."""
    import tempfile
    from pathlib import Path

    from edition.build import _Forked

    def crash(project):
        raise MemoryError("warm-up")

    monkeypatch.setattr(_Forked, "_warm_up", staticmethod(crash))
    before = set(Path(tempfile.gettempdir()).glob("weasyprint-*"))
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    folders = build(proj, ("html", "pdf"), quiet=True)
    assert list(folders["pdf"].glob("*.pdf"))
    assert set(Path(tempfile.gettempdir()).glob("weasyprint-*")) <= before


def test_the_c_types_loaded_ahead_are_those_weasyprint_names_when_it_first_writes():
    """The warm-up parses the C declarations WeasyPrint's layout and writing
    first give cffi by name; each is one the pinned WeasyPrint declares (a
    stale name would be skipped and parsed nowhere), and each is used."""
    import inspect

    from edition.build import FIRST_USED_C_TYPES
    from edition.sphinxext.speed import import_weasyprint

    import_weasyprint()
    import weasyprint.pdf.fonts
    import weasyprint.pdf.stream
    import weasyprint.text.ffi
    import weasyprint.text.line_break
    from weasyprint.text.ffi import ffi

    sources = "".join(inspect.getsource(module) for module in (
        weasyprint.pdf.fonts, weasyprint.pdf.stream, weasyprint.text.ffi, weasyprint.text.line_break))
    for declaration in FIRST_USED_C_TYPES:
        ffi.typeof(declaration)
        assert f"'{declaration}'" in sources, declaration


def test_the_pdf_process_warm_up_parses_those_c_types(project, monkeypatch):
    from edition.build import FIRST_USED_C_TYPES, _Forked
    from edition.sphinxext.speed import import_weasyprint

    import_weasyprint()
    from weasyprint.text.ffi import ffi

    parsed = []
    typeof = type(ffi).typeof
    monkeypatch.setattr(type(ffi), "typeof", lambda self, cdecl: parsed.append(cdecl) or typeof(self, cdecl))
    _Forked._warm_up(project)
    assert set(FIRST_USED_C_TYPES) <= set(parsed)


def test_a_process_that_ended_before_the_reading_is_reported_not_a_broken_pipe(make_project, monkeypatch):
    from edition.build import _Forked

    def leave(cls, send, wait, project, fmt, options):
        send.send(("crash", "the PDF's process ended early\n"))
        send.close()
        __import__("os")._exit(0)

    monkeypatch.setattr(_Forked, "_run", classmethod(leave))
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    with pytest.raises(BuildError, match="the pdf build crashed"):
        build(proj, ("html", "pdf"), quiet=True)


def test_the_book_faces_are_registered_once_until_a_font_file_changes(monkeypatch, tmp_path):
    """The forked PDF's process registers the book's faces while the sources
    are read; the render then finds them registered (WeasyPrint copies no
    font file again), and a changed font file gives a new configuration."""
    import hashlib
    import os
    import shutil

    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from edition.fonts import faces as fonts
    from edition.sphinxext import pdf

    config = pdf.font_configuration()
    assert pdf.font_configuration() is config
    copied = []
    add_font_face = FontConfiguration.add_font_face

    def counting(self, rule, url_fetcher):
        digest = hashlib.md5(str(rule).encode(), usedforsecurity=False).hexdigest()
        if self._folder is None or not (self._folder / digest).exists():
            copied.append(rule)
        return add_font_face(self, rule, url_fetcher)

    monkeypatch.setattr(FontConfiguration, "add_font_face", counting)
    CSS(string=fonts.font_faces(), font_config=config)   # what the print HTML's style says
    assert copied == []
    CSS(string=fonts.font_faces(), font_config=FontConfiguration())   # the check can fail
    assert len(copied) == len(fonts.BOOK_FACE) + 1
    # A font file changed in place (a new size or time): registered anew.
    face = fonts.BOOK_FACE[0]
    changed = tmp_path / fonts.font_path(face).name
    shutil.copy2(fonts.font_path(face), changed)
    real = fonts.font_path
    monkeypatch.setattr(fonts, "font_path", lambda f: changed if f == face else real(f))
    renewed = pdf.font_configuration()
    assert renewed is not config and pdf.font_configuration() is renewed
    os.utime(changed, ns=(1, 1))
    assert pdf.font_configuration() is not renewed


def test_a_failing_pdf_process_fails_the_build_and_keeps_the_last_good_pdf(make_project):
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    build(proj, ("html", "pdf"), quiet=True)
    pdf = next((proj.build_dir / "pdf").glob("*.pdf"))
    before = pdf.read_bytes()
    with pytest.raises(BuildError, match="the pdf build failed"):
        build(proj, ("html", "pdf"), quiet=True, pdf_variant="pdf/no-such-variant")
    assert pdf.read_bytes() == before
    assert not list(proj.build_dir.glob(".staging-*"))


def test_progress_only_on_a_terminal_and_not_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert Progress.for_terminal(stream=Terminal()).enabled
    assert not Progress.for_terminal(quiet=True, stream=Terminal()).enabled
    assert not Progress.for_terminal(stream=io.StringIO()).enabled   # a pipe, a log file
    monkeypatch.setenv("CI", "true")
    assert not Progress.for_terminal(stream=Terminal()).enabled
    out = Terminal()
    report = Progress(True, out)
    with report.stage("pdf: laying out the pages"):
        pass
    first, second = out.getvalue().splitlines()
    assert first == "edition: ▸ pdf: laying out the pages"
    assert second.startswith("edition: ✓ pdf: laying out the pages (") and second.endswith(" s)")
    progress.use(Progress(False))


def test_watch_rebuilds_the_changed_chapter_and_survives_an_error(make_project):
    proj = make_project({"one": SEED.encode(), "two": b"Two\n\nAnother paragraph.\n"}, {"one": NOTE})
    said: list[str] = []

    def rebuild() -> None:
        build(proj, ("html",), quiet=True)

    thread = threading.Thread(target=watch, args=(proj, rebuild),
                              kwargs={"interval": 0.05, "say": said.append, "rounds": 2})
    thread.start()
    deadline = time.monotonic() + 120
    while not any("watching" in line for line in said):
        assert time.monotonic() < deadline and thread.is_alive(), said
        time.sleep(0.05)
    one = proj.build_dir / "html" / "texts" / "one.html"
    two = proj.build_dir / "html" / "texts" / "two.html"
    two_written = two.stat().st_mtime_ns
    # An edit of one note: that chapter is rebuilt, the other page is not written.
    proj.apparatus_path("one").write_text(NOTE.replace("An editorial note.", "A revised note."), "utf-8")
    while not any(line.startswith("edition: rebuilt") for line in said):
        assert time.monotonic() < deadline and thread.is_alive(), said
        time.sleep(0.05)
    assert "A revised note." in one.read_text("utf-8")
    assert two.stat().st_mtime_ns == two_written
    assert "book/apparatus/one.toml" in said[-1]
    # A drifted anchor: one error line, the last good page stays, watching goes on.
    proj.apparatus_path("one").write_text(NOTE.replace("first paragraph", "furst paragraph"), "utf-8")
    thread.join(timeout=120)
    assert not thread.is_alive()
    errors = [line for line in said if line.startswith("edition: error:")]
    assert len(errors) == 1 and "one.toml" in errors[0] and "furst paragraph" in errors[0]
    assert "A revised note." in one.read_text("utf-8")


def test_an_unchanged_book_is_not_laid_out_again_and_a_changed_one_is(make_project):
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    build(proj, ("pdf",), quiet=True)
    pdf = next((proj.build_dir / "pdf").glob("*.pdf"))
    first = pdf.stat().st_mtime_ns, pdf.read_bytes()
    time.sleep(0.05)
    build(proj, ("pdf",), quiet=True)
    assert (pdf.stat().st_mtime_ns, pdf.read_bytes()) == first   # kept, not rendered again
    proj.apparatus_path("one").write_text(NOTE.replace("An editorial note.", "A revised note."), "utf-8")
    build(proj, ("pdf",), quiet=True)
    assert pdf.stat().st_mtime_ns != first[0]
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
    assert "A revised note." in text and "An editorial note." not in text


def test_notes_stay_with_their_calls_in_one_layout_pass(tmp_path, project, note_pages):
    """The fourth text of the benchmark's corpus has two paragraphs whose
    line at a page's foot made WeasyPrint push that page's notes to the next
    page. With the notes kept (sphinxext.pdf.keep_notes_with_their_calls)
    the pages are right the first time: one layout pass, every note on the
    page of its call."""
    from bs4 import BeautifulSoup
    from pypdf import PdfReader

    from edition.tooling.corpus import make_corpus
    from edition.project import Project
    from edition.sphinxext.pdf import keep_notes_with_their_calls

    proj = Project(make_corpus(tmp_path / "corpus", 4, template=project.root))
    # A process of its own, as `edition build` is: nothing patched beforehand.
    result = subprocess.run([sys.executable, "-m", "edition", "--root", str(proj.root),
                             "build", "-v", "--format", "pdf"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "rendering beria-1953.pdf with WeasyPrint" in result.stdout + result.stderr
    assert "laying out again" not in result.stdout + result.stderr
    assert "not on the page of its call" not in result.stdout + result.stderr
    assert keep_notes_with_their_calls()   # the pinned WeasyPrint has the line it changes
    folder = proj.build_dir / "pdf"
    html = BeautifulSoup(next(folder.glob("*.html")).read_text("utf-8"), "html.parser")
    notes = {span["id"].split()[0] for span in html.select("span.footnote")}
    reader = PdfReader(next(folder.glob("*.pdf")))
    note_page, call_page = note_pages(reader, notes)
    assert len(notes) > 30 and set(note_page) == set(call_page) == notes
    assert {n for n in notes if note_page[n] != call_page[n]} == set()




DEFERRED_HTTP = r"""
import sys
from pathlib import Path
from edition.build import build
from edition.project import Project
build(Project(Path(sys.argv[1]), Path(sys.argv[2])), ("html",), quiet=True)
print("requests" in sys.modules)
from sphinx.ext.intersphinx import _load   # what fetches inventories
print(callable(_load.requests.get), "requests" in sys.modules)
"""


def test_a_build_loads_no_http_library_yet_intersphinx_can_fetch(make_project):
    """myst-parser imports intersphinx, which imports Sphinx's HTTP helpers
    and requests (70 ms a build); they load when first used, not before."""
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    result = subprocess.run([sys.executable, "-c", DEFERRED_HTTP, str(proj.root), str(proj.build_dir)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]
