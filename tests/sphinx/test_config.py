"""The extension's configuration (edition.sphinxext.config): one typed
dataclass; a wrong value stops the build with one line naming it; a value
only one format reads never makes the shared doctrees be read again."""

from __future__ import annotations

from dataclasses import fields

import pytest
from sphinx.util.console import strip_colors

from edition.sphinxext.config import PREFIX, EditionConfig


@pytest.mark.sphinx("html", testroot="config-invalid")
def test_a_wrong_value_is_one_error_naming_it_and_its_default_is_used(app):
    assert strip_colors(app.warning.getvalue()).splitlines() == [
        f"ERROR: {app.srcdir / 'conf.py'}: edition_pdf_paper = 'b5': must be one of 'a5', 'a4', "
        "'letter', '6x9', 'royal' (the default is used) [edition.config]"]
    assert app.env.edition_config.pdf_paper == "a5"


@pytest.mark.sphinx("html", testroot="notes", srcdir="notes-wrong-type",
                    confoverrides={"edition_pdf_running_title": 3})
def test_a_value_of_the_wrong_type_is_named_once(app):
    assert strip_colors(app.warning.getvalue()).splitlines() == [
        f"ERROR: {app.srcdir / 'conf.py'}: edition_pdf_running_title = 3: must be a str "
        "(the default is used) [edition.config]"]
    assert app.env.edition_config.pdf_running_title == ""


@pytest.mark.sphinx("html", testroot="notes")
def test_the_checked_values_are_on_the_environment(app):
    config = app.env.edition_config
    assert isinstance(config, EditionConfig) and config.reading == "critical"
    assert config.pdf_paper == "a5" and config.speedups is False


def test_only_what_shapes_the_doctrees_is_an_environment_value():
    rebuild = {f.name: f.metadata["rebuild"] for f in fields(EditionConfig)}
    assert {name for name, kind in rebuild.items() if kind == "env"} == {
        "reading", "texts", "bibliography_doc", "book_face"}   # the colophon names the face
    assert all(kind == "pdf" for name, kind in rebuild.items() if name.startswith("pdf_"))
    assert all(kind == "epub" for name, kind in rebuild.items() if name.startswith("epub_"))
    assert rebuild["speedups"] == ""


@pytest.mark.sphinx("html", testroot="book")
def test_a_pdf_setting_leaves_the_html_build_as_it_was(app, make_app):
    """Changing the paper does not read the sources again, nor rewrite a
    document's page (Sphinx writes its index and search pages in every build)."""
    app.build()

    def pages():
        return {p: p.stat().st_mtime_ns for p in app.outdir.rglob("*.html")
                if p.stem not in ("genindex", "search")}

    written = pages()
    again = make_app("html", srcdir=app.srcdir, confoverrides={f"{PREFIX}pdf_paper": "a4"})
    again.build()
    assert "0 source files that are out of date" in again.status.getvalue()
    assert len(written) == 4 and pages() == written


@pytest.mark.sphinx("html", testroot="notes", srcdir="notes-bad-texts",
                    confoverrides={"edition_texts": {"a": {"slug": "a", "titel": "A"}}})
def test_a_text_that_is_not_a_catalogue_entry_is_named(app):
    assert "edition_texts = {'a': {'slug': 'a', 'titel': 'A'}}: the entry of 'a' must be a " \
           "catalogue entry" in strip_colors(app.warning.getvalue())
    assert app.env.edition_config.texts == {}
