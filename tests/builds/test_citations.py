"""The editor's citations and the bibliography of the built edition, as a
reader of each format finds them: Chicago author–date citations, never a
numeric label; a reference list sorted by author, without labels, each kind
of work in Chicago's form."""

from __future__ import annotations

import re
import unicodedata
import zipfile

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

# A label of a numeric or alphabetic BibTeX style: "[18]", "[Kni93]".
LABEL = re.compile(r"\[(?:\d+|[A-Z][A-Za-z+]*\d{2})\]")
# "(Knight 1993)", "(Knight 1993, 45)", "(see Knight 1993; Taubman 2003)", "(“Genuine Desire to Reform” 2014)".
ONE = r"[^();]+? (?:\d{4}[a-z]?|n\.d\.)(?:, [^();]+)?"
PARENTHETICAL = re.compile(rf"\((?:{ONE})(?:; {ONE})*\)")
# "Naumov and Sigachev (1999)", "Knight (1993, 45)".
TEXTUAL = re.compile(r"[^()]+ \((?:\d{4}[a-z]?|n\.d\.)(?:, [^()]+)?\)")

# Entries of each kind of work the book has, word for word.
ENTRIES = {
    # A book.
    "knight1993beria": "Knight, Amy. 1993. Beria: Stalin’s First Lieutenant. Princeton, NJ: "
                       "Princeton University Press.",
    # A compiled volume of documents.
    "naumov1999beriia": "Naumov, V. P., and Iu. Sigachev, comps. 1999. Lavrentii Beriia. 1953. "
                        "Stenogramma iiul’skogo plenuma TsK KPSS i drugie dokumenty [Lavrentii "
                        "Beria, 1953: Stenographic record of the July plenum of the CC CPSU and "
                        "other documents]. General editor, A. N. Iakovlev. Rossiia. XX vek. "
                        "Dokumenty. Moscow: Mezhdunarodnyi fond “Demokratiia.”",
    # A journal article.
    "kramer1999": "Kramer, Mark. 1999. “The Early Post-Stalin Succession Struggle and Upheavals in "
                  "East-Central Europe: Internal-External Linkages in Soviet Policy Making (Part 1).” "
                  "Journal of Cold War Studies 1 (1): 3–55.",
    # A newspaper article, and an unsigned magazine article.
    "beria1953speech": "Beriia, Lavrentii Pavlovich. 1953. [Speech at the funeral meeting for "
                       "I. V. Stalin, Red Square, Moscow, 9 March 1953]. Pravda, 10 March 1953.",
    "time1953mancharge": "Time. 1953. “The Man in Charge.” 17 August 1953.",
    # A web page.
    "cwihp1953hungary": "“Transcript of Conversation between the Soviet Leadership and Hungarian "
                        "Workers’ Party Delegation in Moscow, 13 June 1953.” 1953. Wilson Center "
                        "Digital Archive, History and Public Policy Program. https://digitalarchive."
                        "wilsoncenter.org/document/transcript-conversation-between-soviet-leadership-"
                        "and-hungarian-workers-party-delegation.",
    # The three texts' own entries.
    "furr2005struggle": "Furr, Grover. 2005. “Stalin and the Struggle for Democratic Reform, "
                        "Part Two.” Cultural Logic 8.",
    "mukhin2002ubiistvo": "Mukhin, Iurii Ignat’evich. 2002. Ubiistvo Stalina i Berii [The murder of "
                          "Stalin and Beria]. Moscow: Krymskii most-9D / Forum.",
}
DUNAYEVSKAYA_START = ("Dunayevskaya, Raya. 1953. “The Beria Purge.” Correspondence 1, no. 1 "
                      "(3 October 1953). Published without a byline")
BLOG_START = "“Genuine Desire to Reform, Or Another Play for Power.” 2014. Student blog post"


def words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def sort_key(entry_text: str) -> str:
    """How a reader finds an entry: its first words, without quotation marks,
    brackets, an initial article, accents or case."""
    text = unicodedata.normalize("NFKD", entry_text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"^[“\"\[]+", "", text)
    return re.sub(r"^(?:the|a|an) ", "", text)


@pytest.fixture(scope="module")
def html_site(edition):
    root = edition.build_dir / "html"
    return {p.relative_to(root).with_suffix("").as_posix(): BeautifulSoup(p.read_text("utf-8"), "lxml")
            for p in root.rglob("*.html")}


@pytest.fixture(scope="module")
def epub_site(edition):
    (path,) = (edition.build_dir / "epub").glob("*.epub")
    with zipfile.ZipFile(path) as z:
        return {name.removesuffix(".xhtml"): BeautifulSoup(z.read(name).decode("utf-8"), "lxml")
                for name in z.namelist() if name.endswith(".xhtml")}


@pytest.fixture(scope="module")
def pdf_pages(edition):
    (path,) = (edition.build_dir / "pdf").glob("*.pdf")
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def pdf_reference_list(pdf_pages):
    """The reference list's text in the PDF, its pages' running heads and folios left out."""
    start = next(i for i, text in enumerate(pdf_pages) if text.startswith("Bibliography\n"))
    # The colophon follows the bibliography.
    end = next(i for i in range(start + 1, len(pdf_pages)) if pdf_pages[i].startswith("Colophon\n"))
    lines = [line for text in pdf_pages[start:end] for line in text.splitlines()
             if not re.fullmatch(r"\d+|The Fall of Beria, 1953", line.strip())]
    # An address broken where Chicago breaks one (after "//", before "/", ".",
    # "-" …) is joined again; the zero-width breaks are no text.
    text = words(" ".join(lines)).replace("\u200b", "").replace("\u2060", "")
    return re.sub(r"(?<=//) (?=\w)|(?<=\w) (?=[-/.~_?#%][\w/])", "", text)


def test_the_editors_citations_are_author_and_date_in_html_and_epub(html_site, epub_site):
    for site in (html_site, epub_site):
        found = 0
        for name, page in site.items():
            for cite in page.select("span.bibtex-citation"):
                text = words(cite.get_text())
                if not text:      # {cite:empty}: the source's own words carry the link
                    continue
                found += 1
                # A citation that runs on in the editor's own parenthesis ({cite:alp}) has none of its own.
                assert PARENTHETICAL.fullmatch(text) or TEXTUAL.fullmatch(text) \
                    or PARENTHETICAL.fullmatch(f"({text})"), (name, text)
                assert not LABEL.search(text), (name, text)
                for link in cite.find_all("a"):
                    assert "#cite-" in link["href"], (name, text)
        assert found > 100
    intro = words(html_site["front/introduction"].get_text())
    assert "(Knight 1993)" in intro
    furr = words(html_site["texts/furr-beria-reform"].get_text())
    assert "Naumov and Sigachev (1999)" in furr


def test_no_numeric_label_in_any_formats_text(html_site, epub_site, pdf_pages):
    for site in (html_site, epub_site):
        for name, page in site.items():
            text = words(page.get_text())
            assert not re.search(r"\(\[\d+\]", text), name
        bibliography = site["bibliography"]
        assert not bibliography.select("div.citation .label"), "a label in the reference list"
        assert not LABEL.search(words(bibliography.get_text()))
    pdf = words(" ".join(pdf_pages))
    assert not re.search(r"\(\[\d+\]", pdf)
    start = next(i for i, text in enumerate(pdf_pages) if text.startswith("Bibliography\n"))
    assert not LABEL.search(" ".join(pdf_pages[start:start + 3]))


# A citation set inside the editor's own parenthesis: "((Knight 1993))",
# "(Furr ¶33; (Beria 1953))". Chicago runs them into one: "(Furr ¶33; Beria 1953)".
NESTED = re.compile(r"\(\(|\([^()]{0,200}\([A-Z][^()]{0,80}\d{4}[a-z]?(?:, [\d–-]+)?\)")


def test_no_citation_in_double_parentheses_in_any_format(html_site, epub_site, pdf_pages):
    for site in (html_site, epub_site):
        for name, page in site.items():
            main = page.find(attrs={"role": "main"}) or page.body
            found = NESTED.search(words(main.get_text()))
            assert found is None, (name, found)
    found = NESTED.search(words(" ".join(pdf_pages)))
    assert found is None, found
    assert NESTED.search("memoir of 1989 ((Riordan 1994)).") and NESTED.search("(Furr ¶33; (Beria 1953))")


def test_the_reference_list_is_sorted_by_author(html_site, epub_site):
    for site in (html_site, epub_site):
        entries = [words(e.get_text()) for e in site["bibliography"].select("div.reference-list div.citation")]
        assert len(entries) >= 20
        assert [sort_key(e) for e in entries] == sorted(sort_key(e) for e in entries)


@pytest.mark.parametrize("key", ENTRIES)
def test_each_kind_of_work_in_chicago_form_in_every_format(html_site, epub_site, pdf_reference_list, key):
    for site in (html_site, epub_site):
        entry = site["bibliography"].find(id=f"cite-{key}")
        assert words(entry.get_text()) == ENTRIES[key]
    assert ENTRIES[key] in pdf_reference_list


def test_the_texts_own_entries_are_complete(html_site, pdf_reference_list):
    page = html_site["bibliography"]
    dunayevskaya = page.find(id="cite-dunayevskaya1953beria")
    assert words(dunayevskaya.get_text()).startswith(DUNAYEVSKAYA_START)
    assert dunayevskaya.find("a")["href"] == (
        "https://www.marxists.org/archive/dunayevskaya/works/1953/beria-purge.htm")
    assert words(page.find(id="cite-genuine2014blog").get_text()).startswith(BLOG_START)
    # Freeze's edition is not stated as a fact: the blog does not name it.
    freeze = words(page.find(id="cite-freeze2009").get_text())
    assert freeze.startswith("Freeze, Gregory L., ed. 2009. Russia: A History. Oxford: Oxford University Press.")
    assert "3rd ed." not in freeze and "does not name" in freeze
    assert DUNAYEVSKAYA_START in pdf_reference_list and BLOG_START in pdf_reference_list


def test_the_pdf_lists_the_entries_in_the_same_order(html_site, pdf_reference_list):
    starts = [words(e.get_text())[:30] for e in html_site["bibliography"].select("div.reference-list div.citation")]
    positions = [pdf_reference_list.find(start) for start in starts]
    assert -1 not in positions and positions == sorted(positions)


def test_one_soft_sign_and_apostrophe_in_the_reference_list(html_site):
    """"Ignat’evich", "Stalin’s": the typographic apostrophe, as in the rest
    of the editor's matter."""
    text = words(html_site["bibliography"].select_one("div.reference-list").get_text())
    assert "'" not in text and "Ignat’evich" in text and "Stalin’s" in text
