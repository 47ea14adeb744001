"""The hosted HTML edition, read from its files: notes beside their calls, the
three note streams, citable paragraphs, citation metadata for Zotero, and
nothing loaded from outside the site.  (tests/test_browser.py reads the same
site in a browser.)"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from edition.build import build
from edition.sources.catalog import CatalogEntry
from edition.sphinxext.html.translator import paragraph_citation

ROOT = Path(__file__).resolve().parents[2]
PARA_ID = re.compile(r"^(?P<slug>[a-z0-9-]+)-p(?P<number>\d+\+?)$")
BOOK = "The Fall of Beria, 1953"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def catalogue() -> dict[str, dict]:
    with open(ROOT / "seeds" / "catalog.toml", "rb") as f:
        return {t["slug"]: t for t in tomllib.load(f)["text"]}


@pytest.fixture(scope="module")
def site(edition) -> Path:
    return edition.build_dir / "html"


@pytest.fixture(scope="module")
def pages(site) -> dict[str, BeautifulSoup]:
    return {p.relative_to(site).as_posix(): soup(p) for p in sorted(site.rglob("*.html"))
            if not p.relative_to(site).parts[0].startswith("_")}


@pytest.fixture(scope="module")
def texts(pages, catalogue) -> dict[str, BeautifulSoup]:
    return {slug: pages[f"texts/{slug}.html"] for slug in catalogue}


def meta(page: BeautifulSoup, name: str) -> list[str]:
    return [m["content"] for m in page.find_all("meta", attrs={"name": name})]


# -- citation metadata --------------------------------------------------------------------

@pytest.mark.docbuild
def test_each_text_page_carries_its_citation_metadata(texts, catalogue):
    for slug, page in texts.items():
        entry = catalogue[slug]
        head = page.find("head")
        assert meta(head, "citation_title") == [entry["title"]]
        author = [] if entry["author"] == "unknown" else [entry["author"]]
        assert meta(head, "citation_author") == author
        assert meta(head, "citation_publication_date") == [entry["date"].replace("-", "/")]
        assert meta(head, "citation_book_title") == [f"{BOOK}: Three Texts: A Critical Edition"]
        assert meta(head, "citation_publisher") == ["The Beria 1953 Edition Project"]
        assert meta(head, "citation_language") == ["en"]


@pytest.mark.docbuild
def test_only_the_texts_carry_citation_metadata(pages):
    for name, page in pages.items():
        if not name.startswith("texts/"):
            assert meta(page, "citation_title") == [], name


@pytest.mark.docbuild
def test_citation_metadata_is_escaped(texts):
    # Furr's title has an apostrophe: an attribute value, not markup.
    raw = str(texts["furr-beria-reform"].find("meta", attrs={"name": "citation_title"}))
    assert "Beria’s Moves" in texts["furr-beria-reform"].find(
        "meta", attrs={"name": "citation_title"})["content"]
    assert "<" not in raw[1:-1]


# -- notes beside their calls --------------------------------------------------------------

def note_of(page: BeautifulSoup, call) -> object:
    return page.find(id=call["href"][1:])


@pytest.mark.docbuild
def test_every_note_is_written_once_after_the_block_of_its_first_call(texts):
    for slug, page in texts.items():
        ids = Counter(tag["id"] for tag in page.find_all(id=True))
        assert [i for i, n in ids.items() if n > 1] == [], slug
        assert page.find("aside", class_="footnote-list") is None  # no end list repeating them
        seen = set()
        calls = page.find_all("a", attrs={"role": "doc-noteref"})
        assert calls, slug
        for call in calls:
            note = note_of(page, call)
            assert note is not None and note.name == "aside" and "sidenote" in note["class"]
            if note["id"] in seen:
                continue
            seen.add(note["id"])
            back = note.find("a", attrs={"role": "doc-backlink"})
            assert back["href"] == f"#{call['id']}"
            block = call.find_parent(["p", "h1", "h2", "h3", "h4", "h5", "h6"])
            # The block's notes, in one box, follow the block.
            box = note.parent
            assert "sidenotes" in box["class"] and block.find_next_sibling() is box, (slug, note["id"])
            if block.name == "p":
                # The paragraph and its notes share a wrapper; the paragraph's
                # words are its own.
                assert "with-notes" in block.parent["class"] and box.parent is block.parent
                assert block.find(class_="sidenote") is None
        notes = page.select("[role=doc-footnote]")
        assert {n["id"] for n in notes} == seen, slug


@pytest.mark.docbuild
def test_a_note_called_in_a_heading_follows_the_heading(texts):
    page = texts["blog-genuine-desire"]
    note = page.find(id="ed-eight-thoughts")
    assert note.name == "aside"
    heading = note.parent.find_previous_sibling()
    assert re.fullmatch(r"h[1-6]", heading.name)
    assert "8 thoughts" in heading.get_text()
    assert heading.find("a", href="#ed-eight-thoughts") is not None


@pytest.mark.docbuild
def test_the_three_note_streams_keep_their_classes_and_labels(texts):
    page = texts["dunayevskaya-beria-purge"]
    for note_id, stream, label, mark in [
        ("tr-1", "transcriber", "Transcriber.", "1"),
        ("au-2", "author", "Author.", "2"),
        ("ed-person-beria", "editor", None, None),   # the letter says whose it is
    ]:
        note = page.find(id=note_id)
        assert f"note-{stream}" in note["class"]
        voice = note.find(class_="note-voice")
        assert (voice.get_text().strip() if voice else None) == label
        shown_mark = note.find(class_="sidenote-mark").get_text()
        call = page.find("a", href=f"#{note_id}")
        assert f"note-{stream}" in call["class"]
        assert words(call.get_text()).strip("[]") == shown_mark
        if mark is not None:
            assert shown_mark == mark   # the source's own number
        else:
            assert re.fullmatch(r"[a-z]+", shown_mark)  # the editor's letters


# -- paragraphs: numbers, permalinks, "Cite" -------------------------------------------------

@pytest.mark.docbuild
def test_every_numbered_paragraph_has_a_permalink_and_a_citation(texts, catalogue):
    for slug, page in texts.items():
        paragraphs = [p for p in page.find_all("p", id=PARA_ID)]
        assert paragraphs, slug
        for p in paragraphs:
            number = PARA_ID.match(p["id"])["number"]
            link = p.find("a", class_="para-num")
            assert link["href"] == f"#{p['id']}"
            block = p.find_parent("div", class_="para-block")
            cite = block.find("details", class_="para-cite")
            assert words(cite.find("summary").get_text()) == f"Cite paragraph {number}"
            text = words(cite.find(class_="para-cite-text").get_text())
            assert f"“{catalogue[slug]['title']}”" in text
            assert f"¶{number}, in {BOOK}, texts/{slug}.html#{p['id']}" in text


@pytest.mark.docbuild
def test_citation_of_a_paragraph_reads_as_a_reference(texts):
    page = texts["furr-beria-reform"]
    cite = page.find(id="furr-beria-reform-p35").find_parent("div", class_="para-block").find(
        class_="para-cite-text")
    assert words(cite.get_text()) == (
        "Furr, “Beria’s Moves towards Democratic Reform” (2005), ¶35, in The Fall of Beria, "
        "1953, texts/furr-beria-reform.html#furr-beria-reform-p35")
    blog = texts["blog-genuine-desire"].find(id="blog-genuine-desire-p1").find_parent(
        "div", class_="para-block").find(class_="para-cite-text")
    # No author is known: the citation opens with the title.
    assert words(blog.get_text()).startswith("“Genuine Desire to Reform, Or Another Play for Power” (2014), ¶1,")


def test_paragraph_citation_names_the_author_by_surname():
    from dataclasses import replace

    entry = CatalogEntry(slug="d", title="The Beria Purge", author="Raya Dunayevskaya",
                         date="1953-10-03", publication="p", source="s", rights="r",
                         received_as="d.txt", sha256="0" * 64)
    assert paragraph_citation(entry, "5") == "Dunayevskaya, “The Beria Purge” (1953), ¶5"
    assert paragraph_citation(replace(entry, author="unknown"), "5") == "“The Beria Purge” (1953), ¶5"


# -- a self-contained site ----------------------------------------------------------------------

EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)
LOADING = {  # the attributes by which a page loads something
    "script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
    "audio": "src", "track": "src", "embed": "src", "object": "data", "input": "src",
}


@pytest.mark.docbuild
def test_no_page_loads_anything_from_outside_the_site(pages):
    for name, page in pages.items():
        for tag, attr in LOADING.items():
            for element in page.find_all(tag, attrs={attr: True}):
                assert not EXTERNAL.match(element[attr]), (name, str(element)[:120])
        for link in page.find_all("link", href=True):
            assert not EXTERNAL.match(link["href"]), (name, str(link))
        for element in page.find_all(style=True):
            assert "url(" not in element["style"], (name, str(element)[:120])
        for element in page.find_all(srcset=True):
            assert not EXTERNAL.match(element["srcset"]), name
        assert page.find("iframe") is None, name


@pytest.mark.docbuild
def test_stylesheets_fetch_nothing_from_outside(site):
    # (What the scripts fetch, the browser test watches: tests/test_browser.py.)
    for css in (site / "_static").glob("*.css"):
        text = css.read_text(encoding="utf-8")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert not EXTERNAL.match(url) or url.startswith("data:"), (css.name, url)
        assert "@import" not in text, css.name


@pytest.mark.docbuild
def test_full_text_search_is_part_of_the_site(pages, site):
    search = pages["search.html"]
    assert any(s.get("src") == "searchindex.js" for s in search.find_all("script"))
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    assert '"khrushchev"' in index.lower()
    # Every page's search field sends its query to the site's own search page.
    form = pages["texts/furr-beria-reform.html"].find("form", class_="search")
    assert form["action"] == "../search.html"
    assert form.find("label", attrs={"for": "searchbox-input"}) is not None


@pytest.mark.docbuild
def test_the_page_shell_has_landmarks_and_no_theme_credits(pages):
    page = pages["texts/furr-beria-reform.html"]
    assert len(page.find_all(attrs={"role": "main"})) == 1
    assert page.find("footer") is not None
    navs = [n.get("aria-label") for n in page.find_all(["nav"])] + [
        n.get("aria-label") for n in page.find_all(attrs={"role": "navigation"})]
    assert len(navs) == len(set(navs)) >= 2, navs
    assert "Powered by" not in page.get_text()


# -- the site's address, when known ----------------------------------------------------------------

SEED = b"""A Fixture Text

The first paragraph, with a word to annotate.

The second paragraph.
"""
NOTE = '''
[[note]]
id = "word"
anchor = "a word to annotate"
text = "A note on the word."
'''


@pytest.fixture(scope="module")
def hosted(tmp_path_factory, project_writer):
    proj = project_writer(tmp_path_factory.mktemp("hosted") / "project",
                          {"fixture": SEED}, {"fixture": NOTE})
    with pytest.MonkeyPatch.context() as mp:
        # book/conf.py reads the site's address from the environment.
        mp.setenv("EDITION_HTML_BASEURL", "https://example.org/beria/")
        build(proj, ("html",), quiet=True)
    return soup(proj.build_dir / "html" / "texts" / "fixture.html")


def test_with_a_known_address_citations_are_absolute(hosted):
    assert meta(hosted, "citation_public_url") == ["https://example.org/beria/texts/fixture.html"]
    cite = hosted.find(id="fixture-p1").find_parent("div", class_="para-block").find(
        class_="para-cite-url")
    assert cite.get_text() == "https://example.org/beria/texts/fixture.html#fixture-p1"
    assert cite["data-absolute"] == "true"
    assert meta(hosted, "citation_title") == ["Fixture fixture"]
    assert meta(hosted, "citation_author") == []   # the fixture's author is "unknown"
    note = hosted.find(id="ed-word")
    assert note.name == "aside" and note.parent.find_previous_sibling("p").find("a", href="#ed-word")
