"""The build pipeline: all formats from one build, the PDF laid out in a
process of its own with the same result as in this one, the last good
output kept when a format fails, progress lines on a terminal only, an
unchanged PDF not laid out again, and ``edition watch`` rebuilding the
changed chapter after an edit."""

from __future__ import annotations

import io
import threading
import time

import pytest

from edition import progress
from edition.build import BuildError, build, forked, pipeline
from edition.build.watch import watch
from edition.progress import Progress

SEED = "A Title\n\nA first paragraph, quoting Freeze pg 409.\n\nA second paragraph.\n"
NOTE = '[[note]]\nid = "n"\nanchor = "first paragraph"\ntext = "An editorial note."\n'


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def pdf_text(folder) -> str:
    import pdfplumber

    with pdfplumber.open(next(folder.glob("*.pdf"))) as doc:
        return "".join(page.extract_text() or "" for page in doc.pages)


def test_all_formats_from_one_build_the_pdf_in_a_process_of_its_own(make_project, monkeypatch):
    """The note reaches all three formats; the PDF laid out in its own
    process is the same bytes as one laid out in this process."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    folders = build(proj, quiet=True)
    assert set(folders) == {"html", "epub", "pdf"}
    assert "An editorial note." in (folders["html"] / "texts" / "one.html").read_text("utf-8")
    assert "An editorial note." in pdf_text(folders["pdf"])
    assert list(folders["epub"].glob("*.epub"))
    assert not list(proj.build_dir.glob(".staging-*"))
    forked_pdf = next(folders["pdf"].glob("*.pdf")).read_bytes()
    import shutil

    shutil.rmtree(proj.build_dir)
    monkeypatch.setattr(pipeline, "can_fork", lambda: False)
    folders = build(proj, ("pdf",), quiet=True)
    assert next(folders["pdf"].glob("*.pdf")).read_bytes() == forked_pdf


@pytest.fixture
def temporary(tmp_path, monkeypatch):
    """The temporary folder of this test alone (the processes it forks too)."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_crashing_warm_up_is_only_a_slower_start(make_project, monkeypatch, temporary):
    """The PDF's process loads ahead what its build needs; if that fails,
    the build loads it again itself and succeeds, and the process leaves no
    copy of the book's fonts behind in the temporary folder."""
    def crash(project):
        raise MemoryError("warm-up")

    monkeypatch.setattr(forked, "_warm_up", crash)
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    folders = build(proj, ("html", "pdf"), quiet=True)
    assert list(folders["pdf"].glob("*.pdf"))
    assert list(temporary.iterdir()) == []


def test_a_pdf_process_stopped_by_a_failed_build_leaves_no_font_copies(make_project, monkeypatch,
                                                                       temporary):
    """The HTML fails while the PDF is being laid out: the PDF's process is
    stopped, and what it copied into the temporary folder goes with it."""
    def fonts_copied() -> set:
        return set(temporary.glob("edition-fonts-*"))

    def failing(project, fmt, **options):
        deadline = time.monotonic() + 60
        while not fonts_copied() - before:   # the PDF's process has registered the faces
            assert time.monotonic() < deadline
            time.sleep(0.05)
        raise BuildError(project.book_dir, f"the {fmt} build failed")

    from edition.sphinxext.pdf import builder as pdf_builder

    def slow_render(*args, **kwargs):
        time.sleep(30)   # still laying out when it is stopped

    before = fonts_copied()
    monkeypatch.setattr(pdf_builder, "render_pdf", slow_render)   # (the PDF's process is forked)
    monkeypatch.setattr(pipeline, "build_format", failing)   # this process's formats only
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    with pytest.raises(BuildError, match="the html build failed"):
        build(proj, ("html", "pdf"), quiet=True)
    assert list(temporary.iterdir()) == []
    assert not (proj.build_dir / "pdf").exists() and not list(proj.build_dir.glob(".staging-*"))


IMPORT_WEASYPRINT = r"""
import subprocess, sys
started = []
popen = subprocess.Popen.__init__
def recording(self, args, *rest, **kwargs):
    popen(self, args, *rest, **kwargs)   # a program that is not found raises here
    started.append(args[0] if isinstance(args, (list, tuple)) else args)
subprocess.Popen.__init__ = recording
from edition.build.forked import _import_weasyprint
_import_weasyprint()
import weasyprint
print(repr(started))
"""


def test_the_warm_up_imports_weasyprint_without_running_a_compiler_or_linker(tmp_path):
    """(cffi's lookups of other platforms' library names would run them, 16
    times.) Not even a program called ``ld`` in the working folder runs."""
    import subprocess
    import sys

    marker = tmp_path / "ran"
    for name in ("ld", "gcc", "cc"):
        program = tmp_path / name
        program.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
        program.chmod(0o755)
    result = subprocess.run([sys.executable, "-c", IMPORT_WEASYPRINT], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert not any(str(program).endswith(("gcc", "cc", "ld")) for program in eval(result.stdout))


def test_a_process_that_ended_before_the_reading_is_reported_not_a_broken_pipe(make_project, monkeypatch):
    def leave(send, wait, project, fmt, options, parents_ends=()):
        send.send(("crash", "the PDF's process ended early\n"))
        send.close()
        __import__("os")._exit(0)

    monkeypatch.setattr(forked, "_run", leave)
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    with pytest.raises(BuildError, match="the pdf build crashed"):
        build(proj, ("html", "pdf"), quiet=True)


def test_a_pdf_process_never_told_to_build_leaves_when_the_parent_lets_go(make_project):
    """The PDF's process waits for the word to build; when the build fails
    before it (a character no font has, found while the chapters are
    written), the parent's end of the pipe closes and the process sees it
    and leaves by itself: it holds no copy of that end (a forked process
    holding one waited for ever, and the failed build with it)."""
    proj = make_project({"one": SEED.encode()}, {"one": NOTE})
    started = forked.ForkedBuild(proj, "pdf", {"quiet": True})
    started._go.close()   # what stop() does first
    started._process.join(60)
    assert started._process.exitcode == 0   # left by itself: not stopped, not killed
    assert started.stop() == "not run"


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
    from edition.sphinxext.pdf import render as pdf

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
    assert len(copied) == len(fonts.stack()) + 1
    # A font file changed in place (a new size or time): registered anew.
    face = fonts.stack()[0]
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


def calling_block(note) -> str:
    """The class that names the block calling a note in the print HTML
    (the renderer's fallback breaks the page before it)."""
    for parent in note.parents:
        for name in parent.get("class") or ():
            if name.startswith("calls-"):
                return name
    raise AssertionError(f"no block calls {note['id']}")


def test_the_typesetting_rule_keeps_every_note_on_its_calls_page_in_one_layout(tmp_path, project,
                                                                                note_pages):
    """The fourth text of the benchmark's corpus has paragraphs whose line at
    a page's foot makes stock WeasyPrint push that page's notes to the next
    page, so that the PDF builder must lay the book out again. With the
    typesetting rule of edition.compat the pages are right the first time."""
    from bs4 import BeautifulSoup
    from pypdf import PdfReader

    from edition import compat
    from edition.project import Project
    from edition.sphinxext.pdf.render import render_pdf
    from edition.tooling.corpus import make_corpus

    proj = Project(make_corpus(tmp_path / "corpus", 4, template=project.root))
    folder = build(proj, ("pdf",), quiet=True)["pdf"]
    print_html = next(folder.glob("*.html"))
    html = BeautifulSoup(print_html.read_text("utf-8"), "html.parser")
    notes = {span["id"].split()[0] for span in html.select("span.footnote")}
    blocks = {span["id"].split()[0]: calling_block(span) for span in html.select("span.footnote")}
    stock = render_pdf(print_html, tmp_path / "stock.pdf", note_paragraphs=blocks)
    assert stock.passes > 1 and stock.kept   # the fallback had to break pages
    made = compat.apply(compat.TYPESETTING)
    try:
        ruled = render_pdf(print_html, tmp_path / "ruled.pdf", note_paragraphs=blocks)
    finally:
        compat.revert(made)
    assert (ruled.passes, ruled.kept, ruled.astray) == (1, [], [])
    # The book's own PDF was set with the rule: every note on its call's page.
    note_page, call_page = note_pages(PdfReader(next(folder.glob("*.pdf"))), notes)
    assert len(notes) > 30 and set(note_page) == set(call_page) == notes
    assert {n for n in notes if note_page[n] != call_page[n]} == set()
