"""Builds survive every change an editor makes: after a text is added or
removed, or conf.py changes, the next `edition build` succeeds first time in
every format, and it is the same book as a build from nothing; when a format
fails, the error says what became of each format."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from edition.build import BuildError, build, pipeline

SEED = "A Title\n\nA first paragraph, quoting Freeze pg 409.\n\nA second paragraph.\n"
SEEDS = {slug: SEED.replace("A Title", f"Text {slug}").encode() for slug in ("one", "two", "three")}
NOTE = '[[note]]\nid = "n"\nanchor = "first paragraph"\ntext = "An editorial note."\n'
# The fourth text, with an author: its catalogue entry changes the EPUB's
# configuration (epub_contributor lists the texts' authors).
FOURTH = "The Fourth Text\n\nA paragraph about quillworts and marshlands.\n\nAnother, on bitterns.\n"
FOURTH_NOTE = '[[note]]\nid = "q"\nanchor = "quillworts"\ntext = "A note on fenland botany."\n'
FOURTH_ENTRY = textwrap.dedent("""\

    [[text]]
    slug = "four"
    title = "The Fourth Text"
    author = "Ann Quillfeather"
    date = "2026"
    publication = "a test fixture"
    source = "tests/builds/test_editor_changes.py"
    rights = "none"
    received_as = "four.txt"
    sha256 = "{sha256}"
    """)
WORDS = ("quillworts", "bitterns", "fenland botany")


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edition", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=600)


def html_text(proj) -> str:
    return "\n".join(page.read_text("utf-8") for page in (proj.build_dir / "html").rglob("*.html"))


def epub_text(proj) -> str:
    with zipfile.ZipFile(next((proj.build_dir / "epub").glob("*.epub"))) as epub:
        return "\n".join(epub.read(name).decode("utf-8", "replace") for name in epub.namelist()
                         if name.endswith((".xhtml", ".opf", ".ncx")))


def pdf_text(proj) -> str:
    import pdfplumber

    with pdfplumber.open(next((proj.build_dir / "pdf").glob("*.pdf"))) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def leftovers(proj) -> list[Path]:
    """Sphinx's backups of older build info, and staging folders, in build/."""
    return [*proj.build_dir.rglob(".buildinfo.bak"), *proj.build_dir.glob(".staging-*"),
            *proj.build_dir.glob(".old-*")]


def add_fourth_text(proj) -> None:
    """What README.md's "Adding a text" says: the seed, its catalogue entry,
    a toctree entry; an apparatus."""
    data = FOURTH.encode()
    (proj.seeds_dir / "four.txt").write_bytes(data)
    with proj.catalog_path.open("a", encoding="utf-8") as catalog:
        catalog.write(FOURTH_ENTRY.format(sha256=hashlib.sha256(data).hexdigest()))
    proj.apparatus_path("four").write_text(FOURTH_NOTE, encoding="utf-8")
    index = proj.book_dir / "index.md"
    index.write_text(index.read_text("utf-8").replace("texts/three\n", "texts/three\ntexts/four\n"), "utf-8")


def remove_fourth_text(proj) -> None:
    (proj.seeds_dir / "four.txt").unlink()
    catalog = proj.catalog_path.read_text("utf-8")
    proj.catalog_path.write_text(catalog[: catalog.index("\n[[text]]\nslug = \"four\"")] + "\n", "utf-8")
    proj.apparatus_path("four").unlink()
    index = proj.book_dir / "index.md"
    index.write_text(index.read_text("utf-8").replace("texts/four\n", ""), "utf-8")


def test_adding_a_text_builds_first_time_in_every_format(make_project):
    proj = make_project(SEEDS, {"one": NOTE})
    first = run(proj.root, "build", "-q")
    assert first.returncode == 0, first.stderr
    add_fourth_text(proj)
    second = run(proj.root, "build", "-q")
    assert second.returncode == 0, second.stderr
    assert not leftovers(proj)
    assert (proj.build_dir / "html" / "texts" / "four.html").exists()
    for fmt, text in (("html", html_text(proj)), ("epub", epub_text(proj)), ("pdf", pdf_text(proj))):
        for word in WORDS:
            assert word in text, f"{word!r} is not in the {fmt}"
    assert "Ann Quillfeather" in epub_text(proj)   # the changed configuration reached the EPUB's package


def test_removing_a_text_builds_first_time_and_it_is_gone(make_project):
    proj = make_project(SEEDS, {"one": NOTE})
    add_fourth_text(proj)
    first = run(proj.root, "build", "-q")
    assert first.returncode == 0, first.stderr
    assert "quillworts" in epub_text(proj)
    remove_fourth_text(proj)
    second = run(proj.root, "build", "-q")
    assert second.returncode == 0, second.stderr
    assert not leftovers(proj)
    assert not proj.chapter_path("four").exists()
    assert not (proj.build_dir / "html" / "texts" / "four.html").exists()
    with zipfile.ZipFile(next((proj.build_dir / "epub").glob("*.epub"))) as epub:
        assert not [name for name in epub.namelist() if "four" in name]
    for fmt, text in (("html", html_text(proj)), ("epub", epub_text(proj)), ("pdf", pdf_text(proj))):
        for word in (*WORDS, "Ann Quillfeather"):
            assert word not in text, f"{word!r} is still in the {fmt}"


@pytest.mark.parametrize("change", [
    ('epub_description = ("', 'epub_description = ("Revised. '),   # the EPUB's configuration
    ('html_title = f"', 'html_title = f"Revised: '),              # the HTML's (and the EPUB's)
    ('epub_basename = "beria-1953"', 'epub_basename = "beria-1953-revised"'),   # the EPUB's file name
])
def test_a_changed_conf_py_builds_first_time_in_every_format(make_project, change):
    proj = make_project(SEEDS, {"one": NOTE})
    build(proj, quiet=True)
    conf = proj.book_dir / "conf.py"
    old, new = change
    assert old in conf.read_text("utf-8")
    conf.write_text(conf.read_text("utf-8").replace(old, new, 1), "utf-8")
    result = run(proj.root, "build", "-q")
    assert result.returncode == 0, result.stderr
    assert not leftovers(proj)
    assert len(list((proj.build_dir / "epub").glob("*.epub"))) == 1
    if "html_title" in old:
        assert "Revised: " in (proj.build_dir / "html" / "index.html").read_text("utf-8")
    if "epub_description" in old:
        assert "Revised. " in epub_text(proj)


def test_a_failed_format_is_named_with_what_became_of_each_other(make_project):
    """A file the EPUB's builder cannot place, left in build/epub/, fails the
    EPUB alone. Built one format after the other (-v): the HTML before it is
    rebuilt, the PDF (and the TEI, after the PDF) does not run; all keep
    their last good output."""
    proj = make_project(SEEDS, {"one": NOTE})
    build(proj, quiet=True)
    before = {fmt: next((proj.build_dir / fmt).glob(f"*.{fmt}")).read_bytes() for fmt in ("epub", "pdf")}
    (proj.build_dir / "epub" / "stray.dat").write_text("not part of the book", "utf-8")
    proj.apparatus_path("one").write_text(NOTE.replace("An editorial note.", "A revised note."), "utf-8")
    result = run(proj.root, "build", "-v")
    assert result.returncode == 1
    assert ("the epub build failed (Sphinx warnings above); rebuilt: html; "
            "kept the last good output: epub; not run: pdf, tei\n") in result.stderr, result.stderr
    assert "A revised note." in (proj.build_dir / "html" / "texts" / "one.html").read_text("utf-8")
    for fmt, data in before.items():
        assert next((proj.build_dir / fmt).glob(f"*.{fmt}")).read_bytes() == data
    # In the order asked for: the EPUB first, the HTML then does not run.
    result = run(proj.root, "build", "-q", "--format", "epub", "--format", "html")
    assert result.returncode == 1
    assert ("rebuilt: —; kept the last good output: epub; not run: html\n") in result.stderr, result.stderr
    assert not leftovers(proj)


def test_a_pdf_stopped_by_a_failed_format_is_said_to_be_stopped(make_project, monkeypatch):
    """The EPUB fails while the PDF is being laid out in its own process: the
    PDF is stopped, and the error says so, and that it kept its last good output."""
    proj = make_project(SEEDS, {"one": NOTE})
    build(proj, quiet=True)
    pdf = next((proj.build_dir / "pdf").glob("*.pdf"))
    before = pdf.read_bytes()
    from edition.sphinxext.pdf import builder as pdf_builder

    def slow_render(*args, **kwargs):
        time.sleep(60)   # still laying out when it is stopped

    monkeypatch.setattr(pdf_builder, "render_pdf", slow_render)   # (the PDF's process is forked)
    (proj.build_dir / "epub" / "stray.dat").write_text("not part of the book", "utf-8")
    proj.apparatus_path("one").write_text(NOTE.replace("An editorial note.", "A revised note."), "utf-8")
    started = time.monotonic()
    with pytest.raises(BuildError) as failed:
        build(proj, quiet=True)
    assert time.monotonic() - started < 50
    assert str(failed.value).endswith(
        "the epub build failed (Sphinx warnings above); rebuilt: html; "
        "kept the last good output: epub, pdf (stopped); not run: —")
    assert pdf.read_bytes() == before
    assert not leftovers(proj)


def test_a_pdf_that_finished_before_another_format_failed_is_said_rebuilt(make_project, monkeypatch):
    """The PDF's process finished first: its output replaced the last one,
    and the error says so; a format that failed with no earlier output says
    that too."""
    proj = make_project(SEEDS, {"one": NOTE})
    real = pipeline.build_format

    def epub_fails_once_the_pdf_is_done(project, fmt, **options):
        if fmt != "epub":
            return real(project, fmt, **options)
        deadline = time.monotonic() + 120
        while not list((project.build_dir / "pdf").glob("*.pdf")):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        raise BuildError(project.book_dir, "the epub build failed")

    monkeypatch.setattr(pipeline, "build_format", epub_fails_once_the_pdf_is_done)   # this process's formats
    with pytest.raises(BuildError) as failed:
        build(proj, quiet=True)
    assert str(failed.value).endswith(
        "the epub build failed; rebuilt: html, pdf; kept the last good output: —; "
        "no earlier output to keep: epub; not run: —")
    assert list((proj.build_dir / "pdf").glob("*.pdf")) and not leftovers(proj)
