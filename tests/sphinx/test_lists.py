"""Lists (edition.render.myst → Sphinx): a list of the source is a list
(ordered or not, as the source's) whose items keep the source's markers as
text, and every word of the seed reads in order on the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from edition.apparatus.entries import Apparatus
from edition.render.myst import ChapterRenderer
from edition.sources.catalog import CatalogEntry
from edition.sources.structure import recognise
from edition.verify.expected import words
from edition.verify.markup import html_streams

SEED = ("A Sample\n\nThe first paragraph introduces a list, of two kinds:\n\n"
        "1. {cite}`x` <b>first</b>\n2) is not the next item\n2. *second*, <i>wrapped</i>\n\n"
        "- a bullet\n\n- [another](https://x.example)\n\n"
        "A second paragraph, long enough to be a paragraph and not a heading.\n")


def build_sample(app) -> None:
    """The chapter of SEED, rendered as the edition renders it, built by ``app``."""
    entry = CatalogEntry("sample", "A Sample", "Ann Author", "1953-10-03", "A Journal, 1953",
                         "a copy", "none", "sample.txt", "0" * 64, short="Author")
    myst = ChapterRenderer(recognise("sample", SEED), entry, Apparatus(Path("sample.toml"))).render()
    (app.srcdir / "texts" / "sample.md").write_text(myst, encoding="utf-8")
    app.build()


@pytest.mark.sphinx("html", testroot="paragraphs", srcdir="paragraphs-lists")
def test_a_list_reads_as_the_seed_has_it(app):
    build_sample(app)
    assert app.warning.getvalue() == ""
    html = (app.outdir / "texts" / "sample.html").read_bytes()
    lists = BeautifulSoup(html, "html.parser").select("div.list")
    assert [[p.get_text() for p in div.find_all("p")] for div in lists] == [
        ["1. {cite}`x` <b>first</b> 2) is not the next item", "2. *second*, <i>wrapped</i>"],
        ["- a bullet", "- [another](https://x.example)"],
    ]
    assert [[child.name for child in div.find_all(["ol", "ul"])] for div in lists] == [["ol"], ["ul"]]
    assert all(div.find_all(["b", "i", "a", "em"]) == [] for div in lists)
    assert [len(div.find_all("li")) for div in lists] == [2, 2]
    text, _ = html_streams(html)
    assert text == words(SEED)


@pytest.mark.sphinx("tei", testroot="paragraphs", srcdir="paragraphs-lists-tei")
def test_a_list_in_the_tei_is_a_list_whose_items_keep_the_sources_markers(app):
    """The TEI of the same chapter: a list of items with the source's text,
    valid TEI P5, every word in order."""
    from lxml import etree

    from edition.schemas import validate_tei
    from edition.verify.tei import tei_streams

    build_sample(app)
    assert app.warning.getvalue() == ""
    (tei,) = Path(app.outdir).glob("*.xml")
    assert validate_tei(tei) == []
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    root = etree.parse(str(tei)).getroot()
    lists = root.findall(".//t:text[@n='sample']//t:list", ns)
    assert [[" ".join("".join(item.itertext()).split()) for item in listing.findall("t:item", ns)]
            for listing in lists] == [
        ["1. {cite}`x` <b>first</b> 2) is not the next item", "2. *second*, <i>wrapped</i>"],
        ["- a bullet", "- [another](https://x.example)"],
    ]
    assert [listing.get("rend") for listing in lists] == ["numbered", "bulleted"]
    text, _ = tei_streams(tei.read_bytes())["sample"]
    assert text == words(SEED)
