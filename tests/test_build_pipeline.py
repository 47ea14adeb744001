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
from edition.watch import watch

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

    from edition.corpus import make_corpus
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


