"""The PDF as a reader and a printer see it, checked from the PDF itself:
page size, fonts, outline, contents and index page numbers, every note on the
page of its call, metadata, the archival and accessible variants, and
reproducible bytes."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from edition.build import build
from edition.sphinxext.pdf.render import render_pdf, variant_path

A5 = (419.53, 595.28)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="session")
def pdf_path(edition):
    return edition.build_dir / "pdf" / "beria-1953.pdf"


@pytest.fixture(scope="session")
def reader(pdf_path):
    return PdfReader(pdf_path)


@pytest.fixture(scope="session")
def page_texts(reader):
    return [words(p.extract_text()) for p in reader.pages]


@pytest.fixture(scope="session")
def print_html(pdf_path):
    return BeautifulSoup(pdf_path.with_suffix(".html").read_text("utf-8"), "lxml")


def outline(reader):
    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, words(item.title), reader.get_destination_page_number(item)
    return list(walk(reader.outline))


@pytest.fixture(scope="session")
def folios(reader, page_texts):
    """Page index → the folio printed on it: roman in the front matter,
    arabic from 1 at the first text."""
    first_text = next(p for d, t, p in outline(reader) if t == "The Beria Purge")
    def roman(n):
        out = ""
        for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while n >= value:
                out += letters
                n -= value
        return out
    return {i: (str(i - first_text + 1) if i >= first_text else roman(i + 1))
            for i in range(len(page_texts))}


def test_page_labels_are_the_printed_folios(reader, folios):
    # A viewer's "page 1" is the printed page 1: roman labels for the front
    # matter, arabic from 1 at the first text, on every page.
    assert list(reader.page_labels) == [folios[i] for i in range(len(reader.pages))]
    assert reader.page_labels[0] == "i" and "1" in reader.page_labels


def test_page_size_is_a5_by_default(reader):
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A5


def test_paper_setting_changes_the_page_size(make_project):
    proj = make_project({"one": b"A Title\n\nA paragraph of text.\n"})
    build(proj, ("pdf",), quiet=True, paper="letter")
    (pdf,) = (proj.build_dir / "pdf").glob("*.pdf")
    box = PdfReader(pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_no_text_runs_out_of_the_text_block(pdf_path):
    import pdfplumber

    outer = 16 / 25.4 * 72  # the A5 outer margin, mm → pt
    with pdfplumber.open(pdf_path) as doc:
        for number, page in enumerate(doc.pages, start=1):
            edge = page.width - outer + 0.5
            # Only the paragraph numbers (7 pt) stand in the outer margin, well inside the page.
            over = [c["text"] for c in page.chars if c["x1"] > edge and c["text"].strip() and c["size"] > 7.5]
            assert over == [], (number, "".join(over))
            assert all(c["x1"] < page.width - outer / 2 for c in page.chars), number


def test_outline_mirrors_the_contents(reader):
    entries = outline(reader)
    chapters = [t for d, t, _ in entries if d == 1]
    for title in ("Contents", "Introduction", "Note on the text", "The Beria Purge",
                  "Beria’s Moves towards Democratic Reform",
                  "Genuine Desire to Reform, Or Another Play for Power",
                  "Chronology, 1948–1953", "Glossary", "Persons", "Bibliography", "Colophon"):
        assert chapters.count(title) == 1, (title, chapters)
    pages = [p for d, t, p in entries if d == 1]
    assert pages == sorted(pages)


def test_folios_roman_then_arabic_and_running_heads(reader, page_texts, folios):
    first_text = next(p for d, t, p in outline(reader) if t == "The Beria Purge")
    # Recto pages open the texts.
    for d, title, page in outline(reader):
        if d == 1 and title != "Sources and rights":  # the rights page is the title's verso
            assert page % 2 == 0, (title, page)  # index 0 is page i, a recto
    # The printed folio is on each numbered page (the last or first word).
    for index in (first_text - 2, first_text + 1, first_text + 2):
        text = page_texts[index]
        assert text.split()[-1] == folios[index] or text.split()[0] == folios[index], (index, text[:60])
    # No running head on a text's opening page; its title on the next recto,
    # the book's on the verso (the extraction puts the head first or last).
    def head(index, title):
        text = page_texts[index]
        return title in text[:len(title) + 5] or title in text[-(len(title) + 8):]
    assert page_texts[first_text].count("The Beria Purge") == 1  # the heading only
    assert head(first_text + 2, "The Beria Purge")
    # An anthology's running heads: the text's author on the verso, its title on the recto.
    assert head(first_text + 1, "Raya Dunayevskaya")


def test_pages_that_open_a_piece_carry_no_running_head_and_blank_pages_nothing(reader, page_texts, folios):
    """The rights page (a verso) and the contents page open pieces of the
    front matter: no running head, as on a text's opening page (the contents
    page once carried the rights page's title). A blank page carries neither
    a head nor a folio (those between texts once showed roman folios), nor
    does the half-title."""
    heads = {t: p for d, t, p in outline(reader) if d == 1}
    rights, contents = heads["Sources and rights"], heads["Contents"]
    assert page_texts[rights].startswith("Sources and rights")
    assert page_texts[rights].endswith(folios[rights])
    assert "The Fall of Beria, 1953" not in page_texts[rights]
    assert page_texts[contents].startswith("Contents")
    assert page_texts[contents].endswith(folios[contents])
    assert "Sources and rights" not in page_texts[contents]
    # The next verso and recto of a piece carry their heads again.
    intro = heads["Introduction"]
    assert page_texts[intro + 1].endswith(f"The Fall of Beria, 1953 {folios[intro + 1]}")
    assert page_texts[intro + 2].split()[-2] == "Introduction"
    # A blank page: nothing on it but, at most, running heads and a folio.
    furniture = ["The Fall of Beria, 1953", "Contents", *heads]
    def body(index):
        text = page_texts[index].removesuffix(folios[index]).strip()
        for head in furniture:
            text = text.removeprefix(head).removesuffix(head).strip()
        return text
    # The half-title: the title alone, without a folio (it once showed "i").
    assert page_texts[0] == "The Fall of Beria, 1953"
    blank = [i for i in range(1, len(page_texts)) if not body(i)]
    assert blank   # this book has blank versos before rectos
    assert all(page_texts[i] == "" for i in blank), {i: page_texts[i] for i in blank}


def test_contents_page_numbers_are_the_pages_of_the_headings(reader, page_texts, folios):
    contents = next(i for i, t in enumerate(page_texts) if t.startswith("Contents"))
    lines = reader.pages[contents].extract_text().splitlines()
    listed = dict(m.groups() for line in lines
                  if (m := re.match(r"^(.*?[^.\s])\s*(?:\. ?)+\s*([ivxlc]+|\d+)$", line.strip())))
    heads = {t: p for d, t, p in outline(reader) if d == 1}
    checked = 0
    for title, folio in listed.items():
        title = title.strip()
        if title in heads:
            assert folios[heads[title]] == folio, (title, folio, folios[heads[title]])
            checked += 1
    assert checked >= 10


def test_every_note_is_on_the_page_of_its_call(reader, print_html, note_pages):
    """Each note call is a link to its note: the page of the link is the
    call's, the page of the named destination is the note's."""
    spans = print_html.select("span.footnote")
    note_ids = {span["id"].split()[0] for span in spans}
    # Every note of every chapter is printed, once, under an id of its own…
    assert len(note_ids) == len(spans) == len(print_html.select("a.note-call"))
    ids = [tag["id"] for tag in print_html.find_all(id=True)]
    assert len(ids) == len(set(ids))
    # …and in its own chapter: the first mentions of a person are noted in each text.
    beria_notes = [s for s in spans if "Lavrentii Pavlovich Beria" in s.get_text() and "note-editor" in s["class"]
                   and s.find("strong")]
    assert len(beria_notes) == 3
    dests, calls = note_pages(reader, note_ids)
    assert len(note_ids) > 60 and set(calls) == note_ids
    misplaced = {n: (calls[n], dests[n]) for n in note_ids if dests[n] != calls[n]}
    assert misplaced == {}


def test_index_of_persons_gives_pages_that_name_the_person(page_texts, folios, print_html):
    from pathlib import Path

    from edition.apparatus.registers import Registry

    book = Path(__file__).resolve().parents[2] / "book"
    registry = Registry.load(book / "persons.toml", book / "glossary.toml")
    by_folio = {folio: i for i, folio in folios.items()}
    persons_page = next(i for i, t in enumerate(page_texts) if t.startswith("Persons Everyone named"))
    text = " ".join(page_texts[persons_page:persons_page + 12])
    def entry_start(person):
        # Its dates, or the stop after the name (the name's own, where it ends in an initial).
        found = re.search(re.escape(words(person.sort)) + r"(?: \(|\. |(?<=\.) )", text)
        return found.start() if found else -1
    starts = sorted(((entry_start(p), p) for p in registry.persons.values()), key=lambda item: item[0])
    assert all(pos >= 0 for pos, _ in starts)
    checked = 0
    for (start, person), (end, _) in zip(starts, starts[1:] + [(len(text), None)]):
        if not person.spellings:
            continue
        named = text[start:end].split("Named in", 1)
        if len(named) < 2:
            continue
        # "¶¶2 (p. 1), 4 (p. 2), 14–16 (p. 7)": each run of paragraphs with the page of its first.
        pages = re.findall(r"\d+\+?(?:–\d+)? \(p\. (\d+)\)", named[1][:300])
        surname = person.spellings[-1]
        for folio in pages[:3]:
            index = by_folio[folio]
            # The paragraph that names the person starts on that page (the
            # name may fall on the next, where the paragraph runs over).
            assert surname in page_texts[index] or surname in page_texts[index + 1], (person.id, folio)
            checked += 1
    assert checked >= 20


def test_cross_references_carry_page_numbers(print_html, page_texts):
    assert print_html.select("a.page-ref")
    assert re.search(r"Furr ¶3\d \(p\. \d+\)", " ".join(page_texts))


def test_metadata_and_language(reader):
    meta = reader.metadata
    assert meta.title.startswith("The Fall of Beria, 1953")
    assert "Dunayevskaya" in meta.author and "Furr" in meta.author
    assert "Beria" in meta.subject
    assert reader.trailer["/Root"].get("/Lang") == "en"


def test_internal_links_are_clickable(reader):
    kinds = {"note": 0, "cite": 0, "para": 0}
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            target = str(annot.get_object().get("/Dest") or "")
            if target.startswith("cite-"):
                kinds["cite"] += 1
            elif re.search(r"-p\d+$", target):
                kinds["para"] += 1
            elif target:
                kinds["note"] += 1
    assert all(count > 5 for count in kinds.values()), kinds


@pytest.mark.parametrize("variant", ["pdf/a-3b", "pdf/ua-1"])
def test_archival_and_accessible_variants(pdf_path, tmp_path, variant):
    out = tmp_path / variant_path(pdf_path, variant).name
    render_pdf(pdf_path.with_suffix(".html"), out, variant)
    reader = PdfReader(out)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    if variant == "pdf/a-3b":
        assert re.search(r'pdfaid:part(?:="|>)3', xmp) and re.search(r'pdfaid:conformance(?:="|>)B', xmp)
    else:
        assert re.search(r'pdfuaid:part(?:="|>)1', xmp)
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert "The Fall of Beria" in xmp


def test_two_builds_give_identical_pdf_bytes(tmp_path, monkeypatch, project_writer):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    seeds = {"one": "A Title\n\nA paragraph naming Беря, Rákosi and Đorđe.\n".encode()}
    outputs = []
    for name in ("first", "second"):
        proj = project_writer(tmp_path / name, seeds)
        build(proj, ("pdf",), quiet=True)
        outputs.append(next((proj.build_dir / "pdf").glob("*.pdf")).read_bytes())
    assert outputs[0] == outputs[1]


def test_cyrillic_and_accented_names_use_the_book_face(tmp_path, project_writer):
    import pdfplumber

    proj = project_writer(tmp_path / "p", {"one": "A Title\n\nЛаврентий Берия and Mátyás Rákosi.\n".encode()})
    build(proj, ("pdf",), quiet=True)
    pdf = next((proj.build_dir / "pdf").glob("*.pdf"))
    with pdfplumber.open(pdf) as doc:
        chars = [c for page in doc.pages for c in page.chars if c["text"] in "ЛаврентийБеМáяРs"]
    assert {c["text"] for c in chars} >= set("ЛБá")
    assert all("Charis" in c["fontname"] for c in chars if c["text"] in "ЛБá")


def test_no_line_is_stranded_inside_a_paragraph(pdf_path):
    """A line of a paragraph (or note) other than its last is never shorter
    than half the measure: no word is left alone on a line mid-paragraph."""
    from weasyprint import HTML

    document = HTML(filename=str(pdf_path.with_suffix(".html"))).render()
    stranded = []
    for number, page in enumerate(document.pages, start=1):
        def walk(box):
            children = getattr(box, "children", [])
            lines = [c for c in children if type(c).__name__ == "LineBox"]
            for line in lines[:-1]:
                text = "".join(getattr(x, "text", "") for x in line.descendants() if hasattr(x, "text")).strip()
                if box.width and line.width < 0.5 * box.width and text:
                    stranded.append((number, text))
            for child in children:
                walk(child)
        walk(page._page_box)
    assert stranded == []


def test_the_render_key_sees_a_changed_font_at_a_path_with_spaces_and_accents(tmp_path):
    """A kept PDF is rendered again when a font it names changes, also when
    the font's path is percent-encoded in the print HTML's file:// URL."""
    from edition.sphinxext.pdf.render import render_key

    font = tmp_path / "a folder é" / "Face Regular.ttf"
    font.parent.mkdir()
    font.write_bytes(b"one")
    page = tmp_path / "print.html"
    page.write_text(f"<style>@font-face {{ src: url({font.as_uri()}); }}</style>", "utf-8")
    assert "%20" in page.read_text("utf-8")
    before = render_key(page, "")
    assert render_key(page, "") == before
    font.write_bytes(b"two, longer")
    assert render_key(page, "") != before


def _body_lines(page):
    """The page's lines inside the text block: (its chars left to right), the
    block measured as the span of the page's characters set at 8 pt or more."""
    chars = [c for c in page.chars if c["text"].strip()]
    big = [c for c in chars if c["size"] >= 8]
    if not big:
        return [], 0, 0
    left, right = min(c["x0"] for c in big), max(c["x1"] for c in big)
    rows: dict[int, list] = {}
    for c in chars:
        if c["x0"] >= left - 0.5 and c["x1"] <= right + 0.5:
            rows.setdefault(round(c["bottom"] / 3), []).append(c)
    return [sorted(r, key=lambda c: c["x0"]) for _, r in sorted(rows.items())], left, right


def test_no_line_opens_with_a_note_call(pdf_path):
    """A call stays with the word before it: no line of the text starts with a
    call (a letter or number set much smaller than its line)."""
    import pdfplumber

    opened = []
    with pdfplumber.open(pdf_path) as doc:
        for number, page in enumerate(doc.pages, start=1):
            lines, _, _ = _body_lines(page)
            for line in lines:
                size = max(c["size"] for c in line)
                if size >= 9 and line[0]["size"] < 0.75 * size:
                    opened.append((number, "".join(c["text"] for c in line)[:30]))
    assert opened == []


def test_paragraph_numbers_stand_in_the_outer_margin(pdf_path):
    """Right of the text on a recto, left of it on a verso: never on the spine side."""
    import pdfplumber

    seen = {"recto": 0, "verso": 0}
    with pdfplumber.open(pdf_path) as doc:
        for index, page in enumerate(doc.pages):
            _, left, right = _body_lines(page)
            numbers = [c for c in page.chars if c["text"].isdigit() and 6.8 <= c["size"] <= 7.2
                       and (c["x1"] < left - 1 or c["x0"] > right + 1)]
            side = "recto" if index % 2 == 0 else "verso"
            for c in numbers:
                assert (c["x0"] > right) if side == "recto" else (c["x1"] < left), (index + 1, c["text"])
            seen[side] += len(numbers)
    assert seen["recto"] > 20 and seen["verso"] > 20


def test_no_hyphen_is_added_inside_a_url_or_a_checksum(pdf_path, edition):
    """A URL breaks where Chicago breaks one (never after its own hyphen, so
    a line-end hyphen is never the URL's) and a checksum not at all; neither
    takes a hyphen of the typesetter's."""
    import pdfplumber
    from pybtex.database import parse_file

    from edition.sources.catalog import load_catalog

    urls = [e.fields["url"] for e in parse_file(str(edition.root / "refs.bib")).entries.values()
            if "url" in e.fields]
    sums = [e.sha256 for e in load_catalog(edition.seeds_dir)]
    with pdfplumber.open(pdf_path) as doc:
        pages = [p.extract_text() or "" for p in doc.pages]
    bibliography = next(i for i, t in enumerate(pages) if t.startswith("Bibliography"))
    colophon = max(i for i, t in enumerate(pages) if t.lstrip().startswith("Colophon"))
    lines = [line for t in pages[bibliography:colophon] for line in t.splitlines()]
    whole = "".join("".join(lines).split()).replace("\u200b", "").replace("\u2060", "")
    for url in urls:
        assert url in whole, url          # set whole: no character added, none lost
    for line in lines:
        assert not line.rstrip().endswith(("-", "\u2010")), line
    colophon_lines = [line.strip() for line in pages[colophon].splitlines()]
    for digest in sums:
        assert digest in colophon_lines, digest   # a line of its own, unbroken
    assert urls and sums


def test_titles_of_works_are_italic_in_the_registers_and_chronology(pdf_path, edition):
    """Every title the editor marks *…* in the chronology, glossary and persons
    register is set in the italic of the face on its page of the PDF."""
    import tomllib

    import pdfplumber

    marked: dict[str, set[str]] = {}
    for name, table, heading in (("chronology.toml", "event", "Chronology"), ("glossary.toml", "term", "Glossary"),
                                 ("persons.toml", "person", "Persons")):
        for entry in tomllib.loads((edition.book_dir / name).read_text("utf-8")).get(table, []):
            for value in entry.values():
                if isinstance(value, str):
                    # A role's words as printed: {term}`words <target>` → words.
                    value = re.sub(r"\{[a-z:]+\}`([^`<]*?)\s*(?:<[^`]*>)?`", r"\1", value)
                    for title in re.findall(r"(?<![*\w])\*([^*\n]+)\*(?!\*)", value):
                        marked.setdefault(heading, set()).add(title.split()[0].strip(".,;:"))
    checked = 0
    with pdfplumber.open(pdf_path) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
        # Each register runs from the page its heading opens to the next piece's.
        opens = {h: next(i for i, t in enumerate(texts) if t.startswith(h))
                 for h in ("Chronology", "Glossary", "Persons", "Bibliography")}
        ends = dict(zip(("Chronology", "Glossary", "Persons"), (opens["Glossary"], opens["Persons"],
                                                                  opens["Bibliography"])))
        for heading, titles in marked.items():
            pages = doc.pages[opens[heading]:ends[heading]]
            found = [w for p in pages for w in p.extract_words(extra_attrs=["fontname"])]
            for title in titles:
                shown = [w for w in found if w["text"].strip(".,;:()“”") == title]
                assert shown, (heading, title)
                assert any("Italic" in w["fontname"] for w in shown), (heading, title, shown[0]["fontname"])
                checked += 1
    assert checked >= 5


def test_the_title_page_has_its_imprint_and_no_folio(page_texts):
    """The imprint stands at the title page's foot, and only there (a blank
    page named after the title page's section once repeated it)."""
    title = next(i for i, t in enumerate(page_texts) if t.startswith("The Fall of Beria, 1953 Three Texts"))
    with_imprint = [i for i, t in enumerate(page_texts) if "Edition Project · 20" in t]
    assert with_imprint == [title]
    assert page_texts[title].endswith("Edition Project · " + page_texts[title].rsplit(" ", 1)[-1])
    assert not re.search(r" (?:[ivxlc]+)$", page_texts[title])   # the imprint ends it: no folio


def test_every_page_is_filled_to_within_a_line_unless_it_ends_a_piece(pdf_path):
    """The text block is filled to within one line on every page that does
    not end a piece (a text, the front matter's pages, a register), the
    issue's measure: the typesetting rule keeps a long note from leaving a
    page short (it runs on), and the copy-fitting fills the pages that end
    before what may not be broken (a heading with its first lines, a
    paragraph's last lines with their notes, an entry kept whole)."""
    from edition.verify.fill import fill

    pages = fill(pdf_path)
    assert len(pages) > 50
    short = [(page.number, page.lines_short, page.opens) for page in pages
             if page.lines_short > 1 and page.opens != "piece"]
    assert short == []


def test_no_page_leaves_a_heading_or_an_entrys_label_at_its_foot(pdf_path):
    """A heading, or a register entry's date or headword alone on its line,
    never ends a page with its text on the next (only the last page of a
    piece may end with one, as the half-title does)."""
    from edition.verify.fill import fill

    stranded = [(page.number, page.last) for page in fill(pdf_path)
                if page.stranded and page.opens != "piece"]
    assert stranded == []


def test_the_copy_fitting_is_current_and_fills_the_pages_it_names(edition, pdf_path, print_html, folios):
    """book/copyfit.toml names paragraphs (and headings) the book still has,
    its stylesheet is in the print HTML, and each page it fitted ends within
    a line of its foot."""
    from edition import copyfit
    from edition.verify.fill import fill

    fits = copyfit.read(edition.book_dir / copyfit.FILE_NAME)["critical.a5"]
    assert len(fits) >= 5
    named = {p[copyfit.ATTRIBUTE]: p for p in print_html.select(f"[{copyfit.ATTRIBUTE}]")}
    assert set(fits) <= set(named), "a copy-fitted paragraph has changed: run edition copyfit"
    style = print_html.style.string
    for key, fit in fits.items():
        shown = BeautifulSoup(str(named[key]), "lxml")
        for hidden in shown.select("span.footnote, .para-num"):   # set at the foot, in the margin
            hidden.decompose()
        # (after a chronology date, floated; before the page numbers print.css adds)
        assert " ".join(fit.begins.split()[:3]) in words(shown.get_text())
        assert (not fit.tracking or f'[data-fit="{key}"] {{ letter-spacing: {fit.tracking:.3f}em' in style)
        assert not fit.space or f'[data-fit="{key}"] {{ padding-top: {fit.space:.2f}pt; }}' in style
    assert any(fit.space for fit in fits.values()) and any(fit.tracking for fit in fits.values())
    short = {folios[page.number - 1]: page.lines_short for page in fill(pdf_path)}
    assert {fit.page: short[fit.page] for fit in fits.values() if short[fit.page] > 1} == {}
