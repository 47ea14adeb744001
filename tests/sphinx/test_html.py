"""The hosted HTML on a small book (edition.sphinxext.html): each numbered
paragraph of a text with its "Cite" box, the text's page with citation
metadata from its catalogue entry, a Content-Security-Policy on every page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / name).read_text("utf-8"), "html.parser")


@pytest.mark.sphinx("html", testroot="book", srcdir="book-html")
def test_a_texts_paragraphs_can_be_cited(app):
    app.build()
    assert app.warning.getvalue() == ""
    text = page(app, "texts/sample.html")
    cites = [box.select_one(".para-cite-text").get_text(" ", strip=True)
             for box in text.select("details.para-cite")]
    assert cites == [f"Author, “A Sample” (1953), ¶{n}, in A Small Book , texts/sample.html#sample-p{n}"
                     for n in (1, 2)]


@pytest.mark.sphinx("html", testroot="book", srcdir="book-html-meta")
def test_a_texts_page_carries_its_citation_metadata(app):
    app.build()
    tags = {tag["name"]: tag["content"] for tag in page(app, "texts/sample.html").select("meta[name]")
            if tag["name"].startswith("citation_") or tag["name"] == "description"}
    assert tags == {"citation_title": "A Sample", "citation_author": "Ann Author",
                    "citation_publication_date": "1953/10/03", "citation_book_title": "A Small Book",
                    "citation_publisher": "An Editor", "citation_language": "en",
                    "description": "A Sample: A Journal, 1953"}
    assert not any(tag["name"].startswith("citation_")
                   for tag in page(app, "rights.html").select("meta[name]"))


@pytest.mark.sphinx("html", testroot="book", srcdir="book-html-csp")
def test_every_page_has_a_content_security_policy(app):
    app.build()
    for path in app.outdir.rglob("*.html"):
        policy = page(app, str(path.relative_to(app.outdir))).find(
            "meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None and "default-src 'self' file:" in policy["content"], path
