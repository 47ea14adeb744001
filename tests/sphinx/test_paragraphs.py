"""Paragraph numbers and cross-references (edition.sphinxext.paragraphs,
.roles): every anchored paragraph opens with its number as a permalink (a
pilcrow where the source prints its own number); ``{para}`` names a
paragraph by its text's short name and links to it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / name).read_text("utf-8"), "html.parser")


@pytest.mark.sphinx("html", testroot="paragraphs")
def test_numbered_paragraphs_link_to_themselves(app):
    app.build()
    assert app.warning.getvalue() == ""
    text = page(app, "texts/sample.html")
    numbers = [(a.get_text(), a["href"]) for a in text.select("a.para-num")]
    assert numbers == [("1", "#sample-p1"), ("¶", "#sample-p2")]
    assert text.find(id="sample-p2").get_text().startswith("¶2. A paragraph")
    unnumbered = text.find(string=lambda s: "An unnumbered" in s).find_parent("p")
    assert unnumbered.select("a.para-num") == []


@pytest.mark.sphinx("html", testroot="paragraphs")
def test_a_cross_reference_names_the_text_and_links_the_paragraph(app):
    app.build()
    link = page(app, "other.html").select_one("a.reference")
    assert link.get_text() == "Author ¶1" and link["href"] == "texts/sample.html#sample-p1"


@pytest.mark.sphinx("html", testroot="paragraphs", srcdir="paragraphs-broken")
def test_a_reference_to_no_paragraph_or_no_text_is_reported(app):
    (app.srcdir / "other.md").write_text(
        "# Other\n\nSee {para}`sample 9`, {para}`nowhere 1` and {para}`sample`.\n", encoding="utf-8")
    app.build()
    warnings = app.warning.getvalue()
    assert "undefined label: 'sample-p9'" in warnings
    assert "{para}: no text with the slug 'nowhere'" in warnings
    assert "{para} wants 'slug N'" in warnings
