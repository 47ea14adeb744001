"""Fidelity: every word of every seed, in order, in every format (``edition verify``).

The real edition (the session's build) verifies clean in HTML, EPUB and PDF,
critical and diplomatic.  Copies of its outputs broken on purpose — a
paragraph dropped, two paragraphs swapped, a word changed, an emendation
undone — are caught, each difference reported with the seed's line and
column.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from edition.build import build
from edition.cli import main
from edition.errors import line_col
from edition.project import Project
from edition.render.chapters import prepare
from edition.verify import verify

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

FURR = "furr-beria-reform"
DUNAYEVSKAYA = "dunayevskaya-beria-purge"


@pytest.fixture(scope="module")
def report(edition):
    return verify(edition)


@pytest.fixture(scope="module")
def seeds(project):
    return {c.seed.entry.slug: c.seed.text for c in prepare(project)}


def place(seeds, slug: str, quote: str) -> str:
    """The seed's line:column of a quotation (which must occur once)."""
    text = seeds[slug]
    assert text.count(quote) == 1, quote
    return line_col(text, text.index(quote))


def copy_outputs(edition: Project, dest: Path, formats=("html", "epub", "pdf")) -> Project:
    for fmt in formats:
        shutil.copytree(edition.build_dir / fmt, dest / fmt)
    return Project(edition.root, build_root=dest)


def edit_html(path: Path, change) -> None:
    soup = BeautifulSoup(path.read_bytes(), "lxml")
    change(soup)
    path.write_text(str(soup), encoding="utf-8")


def edit_epub(folder: Path, name: str, change) -> None:
    """Rewrite one page of the EPUB in ``folder`` (the zip keeps its order:
    the mimetype first, stored)."""
    (epub,) = folder.glob("*.epub")
    with zipfile.ZipFile(epub) as z:
        items = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(epub, "w") as z:
        for info, data in items:
            if info.filename == name:
                soup = BeautifulSoup(data, "lxml")
                change(soup)
                data = str(soup).encode("utf-8")
            z.writestr(info, data)


def edit_both(build_root: Path, slug: str, change) -> None:
    edit_html(build_root / "html" / "texts" / f"{slug}.html", change)
    edit_epub(build_root / "epub", f"texts/{slug}.xhtml", change)


def by_id(soup, ident: str):
    """An element by its id (the print HTML may prefix ids of later chapters)."""
    return soup.find(id=re.compile(rf"(^|--){re.escape(ident)}$"))


# -- the real edition -------------------------------------------------------------

@pytest.mark.docbuild
def test_the_real_edition_verifies_clean_in_every_format(report):
    assert [str(d) for d in report.differences] == []
    assert set(report.counts) == {"html", "epub", "pdf"}
    assert report.texts == {"html": 3, "epub": 3, "pdf": 3}
    # The same words are expected of every format: the seeds' (with the
    # apparatus's emendations), their source notes included.
    assert len(set(report.counts.values())) == 1 and report.counts["html"] > 4000
    print(f"\nwords verified (critical): {report.counts}")


@pytest.mark.docbuild
def test_the_real_diplomatic_edition_verifies_clean(edition, report):
    build(edition, quiet=True, diplomatic=True)
    diplomatic = verify(edition, diplomatic=True)
    assert [str(d) for d in diplomatic.differences] == []
    assert set(diplomatic.counts) == {"html", "epub", "pdf"}
    # The diplomatic text keeps what the critical text omits.
    assert diplomatic.counts["html"] > report.counts["html"]
    print(f"\nwords verified (diplomatic): {diplomatic.counts}")


@pytest.mark.docbuild
def test_edition_verify_command_prints_the_figures(edition, report, capsys):
    assert main(["--root", str(edition.root), "--build-dir", str(edition.build_dir), "verify"]) == 0
    out = capsys.readouterr().out
    for fmt in ("html", "epub", "pdf"):
        assert (f"edition: {fmt}: {report.counts[fmt]} words of 3 texts verified (critical reading): "
                "every seed word in order") in out


@pytest.mark.docbuild
def test_a_missing_output_is_a_one_line_error(edition, tmp_path):
    copy_outputs(edition, tmp_path, ("html", "epub"))
    result = subprocess.run(
        [sys.executable, "-m", "edition", "--root", str(edition.root), "--build-dir", str(tmp_path),
         "verify"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"edition: error: {tmp_path / 'pdf' / '*.pdf'}: missing — run edition build"]
    assert "Traceback" not in result.stderr


# -- broken builds are caught -----------------------------------------------------

@pytest.mark.docbuild
def test_a_dropped_paragraph_is_reported_lost_at_its_seed_line(edition, seeds, tmp_path):
    broken = copy_outputs(edition, tmp_path)
    paragraph = f"{FURR}-p37"

    def drop(soup):
        by_id(soup, paragraph).decompose()

    edit_both(tmp_path, FURR, drop)
    # The PDF: set again by WeasyPrint from its print HTML, without the paragraph.
    from weasyprint import HTML

    (pdf,) = (tmp_path / "pdf").glob("*.pdf")
    print_html = pdf.with_suffix(".html")
    edit_html(print_html, drop)
    HTML(filename=str(print_html), base_url=str(print_html.parent)).write_pdf(str(pdf))

    found = verify(broken)
    where = place(seeds, FURR, "37. These men seem")
    for fmt in ("html", "epub", "pdf"):
        (difference,) = [d for d in found.differences if d.fmt == fmt]
        assert (difference.slug, difference.kind, difference.place) == (FURR, "lost", where)
        assert difference.expected[:4] == ("37.", "These", "men", "seem")
        assert str(difference).startswith(f"{fmt}: seeds/{FURR}.txt:{where}: lost: “37. These men seem")


@pytest.mark.docbuild
def test_swapped_paragraphs_are_reported_reordered(edition, seeds, tmp_path):
    broken = copy_outputs(edition, tmp_path, ("html", "epub"))

    def swap(soup):
        fifth, sixth = by_id(soup, f"{DUNAYEVSKAYA}-p5"), by_id(soup, f"{DUNAYEVSKAYA}-p6")
        sixth.insert_before(fifth.extract())
        fifth.insert_before(sixth.extract())

    edit_both(tmp_path, DUNAYEVSKAYA, swap)
    found = verify(broken, formats=("html", "epub"))
    fifth = place(seeds, DUNAYEVSKAYA, "They have been doing that ever since 1948")
    sixth = place(seeds, DUNAYEVSKAYA, "Ever since the expulsion of Trotsky")
    for fmt in ("html", "epub"):
        (difference,) = [d for d in found.differences if d.fmt == fmt]
        assert difference.kind == "reordered" and difference.place in (fifth, sixth)


@pytest.mark.docbuild
def test_an_emendation_is_allowed_but_an_unrecorded_change_is_not(edition, seeds, report, tmp_path):
    # The critical text reads the edition's emendation, and verifies clean.
    page = (edition.build_dir / "html" / "texts" / f"{DUNAYEVSKAYA}.html").read_text("utf-8")
    assert "counter-spies. The counter-spies" in page and report.ok
    broken = copy_outputs(edition, tmp_path, ("html", "epub"))

    def change(soup):
        first = by_id(soup, f"{DUNAYEVSKAYA}-p1")
        # One word changed, which no apparatus entry records…
        text = first.find(string=re.compile(r"most sweated labor"))
        text.replace_with(text.replace("most sweated labor", "most sweaty labor"))
        # …and an emendation undone: the seed's reading where the edition's belongs.
        emended = first.find(class_="emendation")
        emended.string = "counter-spies, The counter-spies"

    edit_both(tmp_path, DUNAYEVSKAYA, change)
    found = verify(broken, formats=("html", "epub"))
    for fmt in ("html", "epub"):
        changes = [(d.kind, d.place, d.expected, d.actual) for d in found.differences if d.fmt == fmt]
        assert changes == [
            ("changed", place(seeds, DUNAYEVSKAYA, "sweated"), ("sweated",), ("sweaty",)),
            ("changed", place(seeds, DUNAYEVSKAYA, "counter-spies, The"), ("counter-spies.",),
             ("counter-spies,",)),
        ]
