"""Which changes of edition.compat a build makes (edition.sphinxext.compat):
none in a plain build; the PDF's typesetting rule in a PDF build; the
speed-ups only with ``edition_speedups``; all undone when the build ends;
each named, made or skipped, in the build's log."""

from __future__ import annotations

import pytest
import sphinx
from sphinx.util.console import strip_colors

from edition import compat
from edition.compat import guard
from edition.sphinxext.compat import report

SPEEDUPS = [change.name for change in compat.SPEEDUPS]
# The changes to WeasyPrint serve the PDF's builder alone.
HTML_SPEEDUPS = [name for name in SPEEDUPS if not name.startswith("weasyprint.")]
# The changes to Sphinx are written against 9.0; a later Sphinx (on Python
# 3.12 and newer) runs its stock code until they are ported (upstream.md).
SPHINX_CHANGES = {name for name in SPEEDUPS if name.startswith("sphinx.")}
PINNED = sphinx.version_info[:2] == (9, 0)


def stock_state() -> dict:
    """What every change would replace, as it is now."""
    import pybtex.plugin
    import weasyprint.layout as layout
    import weasyprint.layout.block as block
    import weasyprint.layout.page as page
    from weasyprint.css import targets

    return {"linebox": block._linebox_layout, "block": block.block_level_layout,
            "pages": page.make_all_pages, "layout pages": layout.make_all_pages,
            "page": page.make_page, "styles": page.set_page_type_computed_styles,
            "counters": targets.TargetCollector.cache_target_page_counters,
            "entry points": pybtex.plugin.entry_points}


@pytest.mark.sphinx("html", testroot="book")
def test_a_plain_build_changes_nothing(app):
    before = stock_state()
    app.build()
    assert report(app.builder).applied == [] and report(app.builder).skipped == {}
    assert stock_state() == before


def test_the_speedups_when_asked_for_and_undone_when_the_build_ends(make_app, rootdir, tmp_path):
    import shutil

    shutil.copytree(rootdir / "test-book", tmp_path / "book")
    before = stock_state()
    app = make_app("html", srcdir=tmp_path / "book", confoverrides={"edition_speedups": True})
    made = report(app.builder)
    if PINNED:
        assert made.applied == HTML_SPEEDUPS and made.skipped == {}
    else:
        assert set(made.skipped) == SPHINX_CHANGES
        assert made.applied == [name for name in HTML_SPEEDUPS if name not in SPHINX_CHANGES]
    assert stock_state() != before          # made when the builder started
    app.build()
    assert stock_state() == before          # undone when the build ended
    log = strip_colors(app.status.getvalue())
    for name in made.applied:
        assert f"edition: compat: {name} (" in log
    assert made.applied


@pytest.mark.sphinx("pdf", testroot="book", srcdir="book-pdf-plain")
def test_a_plain_pdf_build_makes_the_typesetting_rule_only(app):
    assert report(app.builder).applied == ["weasyprint.notes-with-their-calls"]
    assert guard.in_force() == [report(app.builder)]


@pytest.mark.sphinx("edition-read", testroot="book", srcdir="book-read",
                    confoverrides={"edition_speedups": True})
def test_a_change_that_cannot_apply_to_this_build_is_named_with_why(app):
    made = report(app.builder)
    assert made.skipped["sphinx.template-cache"] == "this builder renders no templates"
    assert set(made.skipped) == {"sphinx.template-cache"} or not PINNED
    assert "edition: compat: sphinx.template-cache skipped, the stock code runs: this builder " \
           "renders no templates" in strip_colors(app.status.getvalue())
    app.build()
