"""Chicago author–date in a built book (edition.sphinxext.chicago): the
citation roles print "(Knight 1993, 45)" and "Knight (1993)", each linked to
its entry; the reference list has no labels in any format, is sorted by
author and hangs; the sources' own citations keep their words and links."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pytest
from bs4 import BeautifulSoup

NBSP = "\u00a0"


def words(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


# What each line of text.md prints, after its label.
CITED = {
    "A work": "(Knight 1993).",
    "A page": "(Knight 1993, 45).",
    "Two works": "(Knight 1993; Taubman 2003).",
    "A pre-text": "(see Taubman 2003, 120–21).",
    "In the sentence": "Knight (1993) and Naumov and Sigachev (1999, 308).",
    "Two editors": "(Naumov and Sigachev 1999). Four authors: (Abel et al. 2001), "
                   "all of them: (Abel, Baker, Cole, and Dunn 2001).",
    "Authors of one surname": "(L. P. Beriia 1953; S. L. Beriia 1994).",
    "One author, one year": "(Smith 2000a; Smith 2000b).",
    "Known by their titles": "(Time 1953), (“Genuine Desire to Reform” 2014), (“Transcript of Conversation” 1953).",
    "An article": "(Kramer 1999), (Riordan 1994), a chapter (Jones 2010).",
    "The source's own words": "Freeze pg 409.",
}

ORDER = ["four2001", "beria1953speech", "beria1994otets", "freeze2009", "genuine2014blog",
         "jones2010chapter", "knight1993beria", "kramer1999", "naumov1999beriia",
         "riordan1994starostin", "smith2000first", "smith2000second", "taubman2003khrushchev",
         "time1953mancharge", "cwihp1953hungary"]

ENTRIES = {
    "knight1993beria": "Knight, Amy. 1993. Beria: Stalin's First Lieutenant. Princeton, NJ: "
                       "Princeton University Press.",
    "naumov1999beriia": "Naumov, V. P., and Iu. Sigachev, comps. 1999. Lavrentii Beriia. 1953. "
                        "Stenogramma iiul'skogo plenuma TsK KPSS i drugie dokumenty [Lavrentii "
                        "Beria, 1953: Stenographic record of the July plenum of the CC CPSU and "
                        "other documents]. General editor, A. N. Iakovlev. Rossiia. XX vek. "
                        "Dokumenty. Moscow: Mezhdunarodnyi fond “Demokratiia.”",
    "kramer1999": "Kramer, Mark. 1999. “The Early Post-Stalin Succession Struggle (Part 1).” "
                  "Journal of Cold War Studies 1 (1): 3–55.",
    "beria1953speech": "Beriia, Lavrentii Pavlovich. 1953. [Speech at the funeral meeting for "
                       "I. V. Stalin, Red Square, Moscow, 9 March 1953]. Pravda, 10 March 1953.",
    "time1953mancharge": "Time. 1953. “The Man in Charge.” 17 August 1953.",
    "cwihp1953hungary": "“Transcript of Conversation between the Soviet Leadership and Hungarian "
                        "Workers' Party Delegation in Moscow, 13 June 1953.” 1953. Wilson Center "
                        "Digital Archive. Accessed 12 May 2024. "
                        "https://digitalarchive.wilsoncenter.org/document/transcript.",
}

LABEL = re.compile(r"\[\d+\]|\[[A-Z][a-z]+\d{2}\]")


@pytest.mark.sphinx("html", testroot="chicago")
def test_citations_print_author_and_date_and_link_to_their_entry(app):
    app.build()
    assert app.warning.getvalue() == ""
    text = BeautifulSoup((app.outdir / "text.html").read_text("utf-8"), "html.parser")
    printed = {}
    for paragraph in text.select("p"):
        label, _, rest = words(paragraph.get_text()).partition(": ")
        printed[label] = rest
    assert {label: printed.get(label) for label in CITED} == CITED
    # The link covers author and year, and leads to the entry; a page follows outside it.
    first = text.select("span.bibtex-citation")[1]
    link = first.find("a")
    assert words(link.get_text()) == "Knight 1993" and link["href"] == "bibliography.html#cite-knight1993beria"
    assert link["title"].startswith("Knight, Amy. 1993. Beria")
    # The source's own citation keeps its words and its link.
    own = text.select_one("a.bibcite-link")
    assert own.get_text() == "Freeze pg 409" and own["href"] == "bibliography.html#cite-freeze2009"


@pytest.mark.sphinx("html", testroot="chicago", srcdir="chicago-list")
def test_the_reference_list_is_unlabelled_sorted_and_in_chicago_form(app):
    app.build()
    assert app.warning.getvalue() == ""
    page = BeautifulSoup((app.outdir / "bibliography.html").read_text("utf-8"), "html.parser")
    container = page.select_one("div.reference-list")
    entries = container.select("div.citation")
    assert [e["id"][len("cite-"):] for e in entries] == ORDER
    assert not container.select(".label") and not LABEL.search(container.get_text())
    by_key = {e["id"][len("cite-"):]: words(e.get_text()) for e in entries}
    for key, expected in ENTRIES.items():
        assert by_key[key] == expected
    # The hanging indent is the theme's, for this list.
    css = (app.outdir / "_static" / "edition.css").read_text("utf-8")
    assert re.search(r"div\.reference-list div\.citation > p \{[^}]*text-indent: -2em", css)


@pytest.mark.sphinx("epub", testroot="chicago", srcdir="chicago-epub")
def test_the_epub_reference_list_has_no_labels(app):
    app.build()
    with zipfile.ZipFile(app.outdir / "chicago.epub") as epub:
        page = BeautifulSoup(epub.read("bibliography.xhtml"), "html.parser")
        text = BeautifulSoup(epub.read("text.xhtml"), "html.parser")
    entries = page.select("div.reference-list div.citation")
    assert [e["id"][len("cite-"):] for e in entries] == ORDER
    assert not page.select("div.citation .label") and not LABEL.search(page.get_text())
    assert words(entries[0].get_text()) == "Abel, Ann, Ben Baker, Cy Cole, and Di Dunn. 2001. Four Hands. Paris: Press."
    assert "A page: (Knight 1993, 45)." in words(text.get_text())


@pytest.mark.sphinx("pdf", testroot="chicago", srcdir="chicago-pdf")
def test_the_pdf_reference_list_has_no_labels_and_hangs(app):
    app.build()
    assert app.warning.getvalue() == ""
    pdf = app.outdir / "chicago.pdf"
    text = words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert "A page: (Knight 1993, 45)." in text
    assert ENTRIES["kramer1999"] in text and ENTRIES["time1953mancharge"] in text
    assert not LABEL.search(text)
    # Each entry's first line starts at the margin, its other lines are indented.
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    lines = layout[layout.index("Bibliography"):].splitlines()
    naumov = next(i for i, line in enumerate(lines) if line.startswith("Naumov, V. P., and Iu. Sigachev"))
    assert all(line.startswith("   ") and line.strip() for line in lines[naumov + 1:naumov + 5])


@pytest.mark.sphinx("html", testroot="chicago", srcdir="chicago-missing")
def test_an_entry_without_its_title_is_a_typed_warning(app, make_app):
    from sphinx.util.console import strip_colors

    # refs.bib is read when the application starts: a new one reads the changed file.
    bib = app.srcdir / "refs.bib"
    bib.write_text(bib.read_text("utf-8").replace("  title     = {Four Hands},\n", ""), "utf-8")
    changed = make_app("html", srcdir=app.srcdir, freshenv=True)
    changed.build()
    warnings = strip_colors(changed.warning.getvalue())
    assert "missing title in four2001 [bibtex.missing_field]" in warnings
