"""The seeds' own citations (edition.sphinxext.citations): the seed's words
stay as they are and link to the bibliography's entry; a citation of a key
refs.bib lacks is a warning of its own kind."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sphinx.util.console import strip_colors


@pytest.mark.sphinx("html", testroot="citations")
def test_a_citation_links_the_seeds_words_to_its_entry(app):
    app.build()
    assert app.warning.getvalue() == ""
    text = BeautifulSoup((app.outdir / "text.html").read_text("utf-8"), "html.parser")
    link = text.select_one("a.bibcite-link")
    assert link.get_text() == "Freeze pg 409" and link["href"] == "bibliography.html#cite-freeze2009"
    bibliography = BeautifulSoup((app.outdir / "bibliography.html").read_text("utf-8"), "html.parser")
    assert "Russia: A History" in bibliography.find(id="cite-freeze2009").find_parent().get_text()


UNKNOWN = "# Text\n\nAs [Nobody 1]{.bibcite .bibkey-nobody} has it.\n"


@pytest.mark.sphinx("html", testroot="citations", srcdir="citations-unknown")
def test_an_unknown_key_is_a_typed_warning(app):
    (app.srcdir / "text.md").write_text(UNKNOWN, encoding="utf-8")
    app.build()
    assert "text.md:3: WARNING: citation key 'nobody' is not in the bibliography " \
           "[edition.citation-key]" in strip_colors(app.warning.getvalue())


@pytest.mark.sphinx("html", testroot="citations", srcdir="citations-silenced",
                    confoverrides={"suppress_warnings": ["edition.citation-key"]})
def test_a_kind_of_warning_can_be_silenced(app):
    (app.srcdir / "text.md").write_text(UNKNOWN, encoding="utf-8")
    app.build()
    assert app.warning.getvalue() == ""
