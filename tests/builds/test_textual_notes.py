"""The textual notes of the edition, as a reader checks them in each format.

Every emendation, every regularised place and every [sic] of the apparatus
is listed after its text with the source's reading; no emendation has a note
call of its own; the changed words link to their entry and the entry's place
links back; in the PDF each place gives the page the words stand on.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from edition.render.chapters import prepare
from edition.render.textual import shortened

pytestmark = pytest.mark.docbuild


def squash(text: str) -> str:
    return " ".join(text.split())


def nospace(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def chapters(edition):
    return {c.seed.entry.slug: c for c in prepare(edition)}


@pytest.fixture(scope="module")
def pages(edition, chapters):
    """(format, slug) → the text's page, for HTML and EPUB."""
    out = {}
    (epub,) = (edition.build_dir / "epub").glob("*.epub")
    with zipfile.ZipFile(epub) as z:
        for slug in chapters:
            out["epub", slug] = BeautifulSoup(z.read(f"texts/{slug}.xhtml"), "lxml")
            out["html", slug] = BeautifulSoup(
                (edition.build_dir / "html" / "texts" / f"{slug}.html").read_bytes(), "lxml")
    return out


def expected_entries(chapter):
    """(spot id, lemma, source reading) of every change and [sic] of a text."""
    app = chapter.apparatus
    for change in app.changes():
        source, lemma = shortened(change.seed_reading, change.reading)
        yield change.id, lemma, source
    for sic in app.sics:
        yield sic.id, None, None


def test_the_book_has_every_kind_of_entry(chapters):
    apps = [c.apparatus for c in chapters.values()]
    assert sum(len(a.emendations) for a in apps) > 20 and sum(len(a.sics) for a in apps) >= 5
    assert sum(len(r.places) for a in apps for r in a.regularisations) >= 10


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_every_change_and_sic_is_listed_with_the_source_reading_and_linked_both_ways(pages, chapters, fmt):
    for slug, chapter in chapters.items():
        page = pages[fmt, slug]
        section = page.find("section", class_="textual-notes")
        for spot, lemma, source in expected_entries(chapter):
            link = page.find(id=f"{slug}-tx-{spot}")
            if link is None:
                # A change in a heading: its entry links back to the heading's section.
                back = section.find("a", class_="app-back-" + spot) or section.find(
                    "a", class_=f"app-back-{spot}")
                heading = page.find(id=back["href"][1:])
                assert heading.name == "section" and heading.find(re.compile("h[1-6]")), (slug, spot)
                assert f"{squash(lemma)}] {squash(source)}" in squash(back.find_parent("p").get_text())
                continue
            if link.name == "a":
                entry = page.find(id=link["href"].split("#")[-1])
            else:   # words that link elsewhere (a glossary term) carry the id only
                entry = next(p for p in section.find_all("p")
                             if p.find("a", href=f"#{slug}-tx-{spot}") is not None)
            assert entry.find_parent("section") is section, (slug, spot)
            back = entry.find("a", href=f"#{slug}-tx-{spot}")
            assert back is not None and re.fullmatch(r"¶\d+|note \d+|comment \d+|title|heading",
                                                     back.get_text()), (slug, spot)
            text = squash(entry.get_text())
            if lemma is None:
                assert "] sic." in text, (slug, spot)
            else:
                assert f"{squash(lemma)}] {squash(source)}" in text, (slug, spot, text)
                if link.name == "a":
                    assert link["title"] == f"The source reads “{chapter.seed.text[_span(chapter, spot)]}”"


def _span(chapter, spot):
    change = next(c for c in chapter.apparatus.changes() if c.id == spot)
    return slice(change.start, change.end)


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_no_change_has_a_note_call_and_no_note_records_a_reading(pages, chapters, fmt):
    for slug in chapters:
        page = pages[fmt, slug]
        for link in page.select("a.textual-link"):
            # A call stands right after its word: never right after a change.
            after = link.next_sibling
            assert after is None or "footnote-reference" not in (getattr(after, "get", lambda *_: "")("class") or []), \
                (slug, link.get_text())
        notes = squash(" ".join(n.get_text() for n in page.select("[role=doc-footnote]")))
        assert "this edition reads" not in notes and "Sic in the source" not in notes, slug


def test_the_pdf_lists_each_place_with_the_page_its_words_are_on(edition, chapters):
    (pdf,) = (edition.build_dir / "pdf").glob("*.pdf")
    reader = PdfReader(pdf)
    texts = [p.extract_text() for p in reader.pages]
    # Compared without white space: a line may break at a hyphen of the lemma.
    # An entry may run over a page: its place at the foot of the text, after
    # it the page's notes, running head and folio, its lemma at the head of
    # the next (a page's start marked by \0).
    whole = re.sub(r"\s+", "", "\0".join(texts))
    page_turn = "(?:[^\0]{0,3000}\0)?"
    dests = reader.named_destinations
    checked = 0
    for slug, chapter in chapters.items():
        for spot, lemma, source in expected_entries(chapter):
            if f"{slug}-tx-{spot}" not in dests:
                continue   # a change in a heading (its entry gives the heading's page; see above)
            page = reader.get_destination_page_number(dests[f"{slug}-tx-{spot}"])
            words = texts[page].split()
            folio = words[-1] if words[-1].isdigit() else words[0]
            if lemma is None:
                pattern = rf"\(p\.{folio}\)[^\]]{{1,80}}\]sic\."
            else:
                pattern = (rf"\(p\.{folio}\){page_turn}{re.escape(nospace(lemma))}"
                           rf"\]{re.escape(nospace(source))}")
            assert re.search(pattern, whole), (slug, spot, folio)
            checked += 1
    assert checked > 35
    assert "thiseditionreads" not in whole
