"""Front and back matter: every page in every format, and its generated parts
equal to their data (catalogue, registers, chronology, refs.bib)."""

from __future__ import annotations

import re
import tomllib
import zipfile

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from edition.anchors import runs
from edition.apparatus.bibliography import bib_keys
from edition.apparatus.registers import Registry
from edition.render.chapters import prepare

PAGES = {
    # docname: its title
    "generated/rights": "Sources and rights",
    "front/introduction": "Introduction",
    "front/note-on-the-text": "Note on the text",
    "generated/chronology": "Chronology, 1948–1953",
    "generated/glossary": "Glossary",
    "generated/persons": "Persons",
    "bibliography": "Bibliography",
    "back/colophon": "Colophon",
}


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="session")
def html_pages(edition):
    return {doc: BeautifulSoup((edition.build_dir / "html" / f"{doc}.html").read_text("utf-8"), "lxml")
            for doc in PAGES}


@pytest.fixture(scope="session")
def epub_pages(edition):
    (path,) = (edition.build_dir / "epub").glob("*.epub")
    with zipfile.ZipFile(path) as z:
        return {doc: BeautifulSoup(z.read(f"{doc}.xhtml").decode("utf-8"), "lxml") for doc in PAGES}


@pytest.fixture(scope="session")
def pdf_text(edition):
    (path,) = (edition.build_dir / "pdf").glob("*.pdf")
    reader = PdfReader(path)
    return reader, words(" ".join(p.extract_text() for p in reader.pages))


def test_every_page_is_in_every_format_in_the_toctree_order(html_pages, epub_pages, pdf_text, edition):
    reader, _ = pdf_text
    outline = [words(o.title) for o in reader.outline[1] if not isinstance(o, list)]
    for doc, title in PAGES.items():
        assert words(html_pages[doc].find("h1").get_text()).rstrip("¶") == title
        assert words(epub_pages[doc].find("h1").get_text()).rstrip("¶") == title
        assert title in outline
    # One order for all formats: the toctree's (index.md), as the EPUB spine and the PDF outline show.
    index = (edition.root / "book" / "index.md").read_text("utf-8")
    toc_order = re.findall(r"^(?:texts|generated|front|back)/[\w-]+$|^bibliography$", index, re.M)
    with zipfile.ZipFile(next((edition.build_dir / "epub").glob("*.epub"))) as z:
        opf = z.read("content.opf").decode("utf-8")
    hrefs = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)\.xhtml"', opf))
    spine = [hrefs[i] for i in re.findall(r'<itemref idref="([^"]+)"', opf) if i in hrefs]
    spine = [s for s in spine if s in toc_order]
    assert spine == toc_order
    assert outline.index("Sources and rights") < outline.index("The Beria Purge") < outline.index("Colophon")


def test_rights_page_lists_each_texts_source_and_rights(project, html_pages):
    catalog = tomllib.loads((project.seeds_dir / "catalog.toml").read_text("utf-8"))["text"]
    text = words(html_pages["generated/rights"].get_text())
    assert "CC BY 4.0" in text
    colophon = html_pages["back/colophon"]
    for entry in catalog:
        assert words(entry["rights"]) in text
        # File names and checksums are the making's, in the colophon, as code.
        assert entry["sha256"] not in text and entry["received_as"] not in text
        codes = [c.get_text() for c in colophon.select("p.fixity code")]
        assert entry["sha256"] in codes and entry["received_as"] in codes


def test_every_person_of_the_register_is_in_the_appendix(project, html_pages, epub_pages, pdf_text):
    registry = Registry.load(project.persons_path, project.glossary_path)
    for page in (html_pages["generated/persons"], epub_pages["generated/persons"]):
        for person in registry.persons.values():
            entry = page.find(id=f"person-{person.id}")
            assert entry is not None, person.id
            assert words(person.sort) in words(entry.get_text())
    _, text = pdf_text
    for person in registry.persons.values():
        assert words(person.sort) in text


def test_every_glossary_term_used_in_a_text_has_an_entry(project, edition):
    registry = Registry.load(project.persons_path, project.glossary_path)
    headwords = {t.term for t in registry.terms.values()}
    used = set()
    for chapter in prepare(project):
        used |= set(re.findall(r"\{term\}`[^`<]*<([^>]+)>`", chapter.myst))
    assert used and used <= headwords
    glossary = BeautifulSoup((edition.build_dir / "html" / "generated" / "glossary.html").read_text("utf-8"), "lxml")
    entries = {words(dt.get_text()).rstrip("¶") for dt in glossary.find_all("dt")}
    assert used <= entries


def test_bibliography_lists_exactly_the_cited_works(project, edition, html_pages, epub_pages):
    from pybtex.database import parse_file

    data = parse_file(str(project.refs_bib))
    further = {k for k, e in data.entries.items() if "further-reading" in e.fields.get("keywords", "")}
    sources = "".join(p.read_text("utf-8") for p in (project.book_dir).rglob("*.md"))
    sources += "".join(p.read_text("utf-8") for p in (project.book_dir).glob("*.toml"))
    sources += (project.seeds_dir / "catalog.toml").read_text("utf-8")
    cited = {k for k in bib_keys(project.refs_bib)
             if re.search(rf"(?:`|,|bibkey-|\"){re.escape(k)}(?:`|,|\}}|\")", sources)}
    expected = cited | further
    for page in (html_pages["bibliography"], epub_pages["bibliography"]):
        listed = {tag["id"][len("cite-"):] for tag in page.find_all(id=re.compile("^cite-"))}
        assert listed == expected


def test_colophon_names_the_tools_and_the_build_date(html_pages):
    from importlib.metadata import version

    text = words(html_pages["back/colophon"].get_text())
    for dist, name in (("sphinx", "Sphinx"), ("weasyprint", "WeasyPrint"), ("myst-parser", "MyST-Parser")):
        assert f"{name} {version(dist)}" in text
    assert "Charis SIL" in text
    assert re.search(r"Made on \d{1,2} [A-Z][a-z]+ \d{4}", text)


def words_of_text(project, slug):
    """How a cross-reference names a text: the catalogue's short name, else its title."""
    from edition.sources.catalog import load_catalog
    entry = next(e for e in load_catalog(project.seeds_dir) if e.slug == slug)
    return entry.short or entry.title


def test_chronology_links_every_event_to_its_paragraphs(project, html_pages):
    events = tomllib.loads((project.book_dir / "chronology.toml").read_text("utf-8"))["event"]
    page = html_pages["generated/chronology"]
    blocks = page.find_all("div", class_="chronology-event")
    assert len(blocks) == len(events)
    by_display = {words(b.find("strong").get_text()).rstrip("."): b for b in blocks}
    for event in events:
        block = by_display[words(event["display"])]
        # Each text's paragraphs together, each run of consecutive ones a link to its first.
        links = {(a["href"], words(a.get_text())) for a in block.find_all("a") if a["href"].startswith("../texts/")}
        by_text: dict[str, list[int]] = {}
        for slug, n in (p.split() for p in event.get("paragraphs", [])):
            by_text.setdefault(slug, []).append(int(n))
        expected = set()
        for slug, numbers in by_text.items():
            for first, last in runs(numbers):
                shown = str(first) if first == last else f"{first}–{last}"
                label = shown if len(numbers) > 1 else f"{words_of_text(project, slug)} ¶{shown}"
                expected.add((f"../texts/{slug}.html#{slug}-p{first}", label))
        assert links == expected, event["display"]


# The builder's words (tests/unit/test_consistency.py scans the editor's
# sources for more of them): the reader meets them in no format but in the
# colophon, which says how the book was made.
TOOL_WORDS = re.compile(r"\bseeds?\b|\.txt\b|\.toml\b|\.bib\b|\bedition (?:build|generate|check|add|new|verify)\b"
                        r"|--diplomatic|#[a-z0-9-]+-p\d+", re.I)


def test_no_tool_word_in_any_formats_text_outside_the_colophon(html_pages, epub_pages, pdf_text):
    for pages in (html_pages, epub_pages):
        for doc, page in pages.items():
            main = page.find(attrs={"role": "main"}) or page.body
            found = TOOL_WORDS.search(words(main.get_text()))
            if doc == "back/colophon":
                continue
            assert found is None, (doc, found)
    reader, _ = pdf_text
    texts = [p.extract_text() for p in reader.pages]
    colophon = max(i for i, t in enumerate(texts) if t.lstrip().startswith("Colophon"))
    for i, text in enumerate(texts[:colophon]):
        assert TOOL_WORDS.search(words(text)) is None, (i, TOOL_WORDS.search(words(text)))
    # The colophon does name the files: the scan finds what it looks for.
    assert TOOL_WORDS.search(words(" ".join(texts[colophon:])))
