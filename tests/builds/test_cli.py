"""The `edition` command: clear one-line errors, non-zero exits, atomic outputs."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from edition.build import build
from edition.cli import main

SEED = "A Title\n\nA first paragraph, quoting Freeze pg 409.\n\nA second paragraph.\n"
GOOD_NOTE = '[[note]]\nid = "n"\nanchor = "first paragraph"\ntext = "An editorial note."\n'
DRIFTED_NOTE = '[[note]]\nid = "n"\nanchor = "furst paragraph"\ntext = "An editorial note."\n'


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edition", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300)


def test_an_edited_bibliography_entry_is_formatted_again(make_project):
    """An edited refs.bib entry shows its new text after an incremental build."""
    citing = GOOD_NOTE.replace("An editorial note.", "See {cite:p}`freeze2009`.")
    proj = make_project({"one": SEED.encode()}, {"one": citing})
    build(proj, ("html",), quiet=True)
    page = proj.build_dir / "html" / "bibliography.html"
    assert "Oxford University Press" in page.read_text("utf-8")
    bib = proj.root / "refs.bib"
    bib.write_text(bib.read_text("utf-8").replace("{Oxford University Press}", "{Clarendon Press}", 1), "utf-8")
    build(proj, ("html",), quiet=True)
    text = page.read_text("utf-8")
    assert "Clarendon Press" in text and "Oxford University Press" not in text.split("Clarendon Press")[0][-300:]


def test_check_passes_on_the_real_project(project, capsys):
    assert main(["--root", str(project.root), "check"]) == 0
    assert "3 texts verified" in capsys.readouterr().out


def test_drifted_anchor_is_one_line_error_and_exit_1(make_project):
    proj = make_project({"one": SEED.encode()}, {"one": DRIFTED_NOTE})
    result = run(proj.root, "check")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "one.toml:[[note]] id='n': anchor 'furst paragraph' is not in the seed" in lines[0]
    assert "Traceback" not in result.stderr


def test_latin1_seed_is_one_line_error(make_project):
    proj = make_project({"one": "Caf\u00e9\n\nText.\n".encode("latin-1")})
    result = run(proj.root, "build", "--format", "html")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"edition: error: {proj.seeds_dir / 'one.txt'}:byte 3: not valid UTF-8: byte 0xe9 "
        "(invalid continuation byte) (convert the file to UTF-8)"
    ]


def test_broken_bibliography_is_one_line_error(make_project):
    proj = make_project({"one": SEED.encode()}, refs_bib="@book{broken,\n  title = {Unclosed\n")
    result = run(proj.root, "check")
    assert result.returncode == 1
    assert "refs.bib" in result.stderr and "Traceback" not in result.stderr


def test_stale_chapter_is_reported(make_project):
    proj = make_project({"one": SEED.encode()}, {"one": GOOD_NOTE})
    assert run(proj.root, "generate").returncode == 0
    chapter = proj.chapter_path("one")
    chapter.write_text(chapter.read_text("utf-8") + "\nhand edit\n", encoding="utf-8")
    result = run(proj.root, "check")
    assert result.returncode == 1 and "one.md: stale" in result.stderr


def test_failed_build_leaves_the_previous_output_untouched(make_project):
    proj = make_project({"one": SEED.encode()}, {"one": GOOD_NOTE})
    build(proj, ("html",), quiet=True)
    page = proj.build_dir / "html" / "texts" / "one.html"
    before = page.read_bytes()
    assert b"An editorial note." in before
    # An apparatus whose anchor no longer matches: the build must fail…
    (proj.apparatus_path("one")).write_text(DRIFTED_NOTE, encoding="utf-8")
    result = run(proj.root, "build", "--format", "html")
    assert result.returncode == 1
    # …and leave the last good HTML (and chapter) exactly as it was.
    assert page.read_bytes() == before
    assert "An editorial note." in proj.chapter_path("one").read_text("utf-8")


def test_sphinx_warning_fails_the_build_and_keeps_the_output(make_project):
    proj = make_project({"one": SEED.encode()}, {"one": GOOD_NOTE})
    build(proj, ("html",), quiet=True)
    index = proj.build_dir / "html" / "index.html"
    before = index.read_bytes()
    # A link to no page of the book (which only Sphinx checks) is a warning, hence an error.
    (proj.book_dir / "index.md").write_text(
        (proj.book_dir / "index.md").read_text("utf-8") + "\nSee {doc}`no-such-page`.\n", encoding="utf-8")
    result = run(proj.root, "build", "--format", "html", "-q")
    assert result.returncode == 1
    assert "no-such-page" in result.stderr
    assert "the html build failed" in result.stderr
    assert index.read_bytes() == before


def test_plain_sphinx_build_works_on_the_book(project, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "html", str(project.book_dir), str(tmp_path), "-W", "-q"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "html" / "texts" / "furr-beria-reform.html").read_text("utf-8")
    assert "was arrested by his fellow" in page and 'id="furr-beria-reform-p32"' in page


@pytest.mark.docbuild
def test_a_plain_sphinx_build_of_the_pdf_is_the_same_bytes_as_edition_builds(edition, tmp_path):
    """A plain sphinx-build makes none of edition.compat's speed-ups (only
    the PDF's typesetting rule); `edition build` makes them all. The PDF is
    the same, byte for byte, dated alike."""
    import os

    from pypdf import PdfReader

    built = next((edition.build_dir / "pdf").glob("*.pdf"))
    created = PdfReader(built).metadata.creation_date
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(int(created.timestamp())))
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "pdf", "-W", "-q", "-d", str(tmp_path / "doctrees"),
         str(edition.book_dir), str(tmp_path / "pdf")], capture_output=True, text=True, timeout=600,
        env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pdf" / built.name).read_bytes() == built.read_bytes()


def test_incremental_build_writes_only_the_changed_page_and_drops_stale_ones(make_project):
    import time

    proj = make_project({"one": SEED.encode(), "two": b"Two\n\nAnother paragraph.\n"}, {"one": GOOD_NOTE})
    build(proj, ("html",), quiet=True)
    pages = {p: p.stat().st_mtime_ns for p in (proj.build_dir / "html").rglob("*.html")}
    time.sleep(0.05)
    proj.apparatus_path("one").write_text(GOOD_NOTE.replace("An editorial note.", "A revised note."), "utf-8")
    build(proj, ("html",), quiet=True)
    changed = {p.relative_to(proj.build_dir / "html").as_posix() for p in pages
               if p.stat().st_mtime_ns != pages[p]}
    # Only the chapter: not the other text, not the contents page listing it
    # (its title and sections are unchanged); Sphinx writes its index and
    # search pages in every build.
    assert changed - {"genindex.html", "search.html"} == {"texts/one.html"}
    assert "A revised note." in (proj.build_dir / "html" / "texts" / "one.html").read_text("utf-8")
    # A changed title is shown on the contents page: that page is written again.
    seed, catalog = proj.seeds_dir / "one.txt", proj.seeds_dir / "catalog.toml"
    retitled = SEED.replace("A Title", "A Retitled Text").encode()
    seed.write_bytes(retitled)
    catalog.write_text(catalog.read_text("utf-8").replace(hashlib.sha256(SEED.encode()).hexdigest(),
                                                          hashlib.sha256(retitled).hexdigest()), "utf-8")
    build(proj, ("html",), quiet=True)
    assert "A Retitled Text" in (proj.build_dir / "html" / "index.html").read_text("utf-8")
    # A text taken out of the book: its page goes too.
    index = proj.book_dir / "index.md"
    index.write_text(index.read_text("utf-8").replace("texts/two\n", ""), "utf-8")
    catalog = proj.seeds_dir / "catalog.toml"
    catalog.write_text(catalog.read_text("utf-8").split("[[text]]\nslug = \"two\"")[0], "utf-8")
    (proj.seeds_dir / "two.txt").unlink()
    proj.chapter_path("two").unlink()
    build(proj, ("html",), quiet=True)
    assert not (proj.build_dir / "html" / "texts" / "two.html").exists()
