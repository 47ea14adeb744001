"""Stage 4: the committed MyST chapters are what seeds + apparatus generate."""

from __future__ import annotations

import pytest

from edition.render.chapters import prepare, stale
from edition.render.myst import ChapterRenderer


def test_committed_chapters_are_not_stale(project):
    chapters = prepare(project)
    assert stale(chapters) == [], "run `edition generate` and commit book/texts/ and book/generated/"


def test_rendering_is_deterministic(project):
    edition = prepare(project)
    for chapter in edition:
        again = ChapterRenderer(chapter.document, chapter.seed.entry, chapter.apparatus,
                                edition.registry).render()
        assert again == chapter.myst


def test_chapters_in_the_toctree_follow_the_catalogue(project):
    index = (project.book_dir / "index.md").read_text(encoding="utf-8")
    for chapter in prepare(project):
        assert f"texts/{chapter.seed.entry.slug}\n" in index


def test_chapter_markup(project):
    furr = next(c for c in prepare(project) if c.seed.entry.slug == "furr-beria-reform").myst
    # The source's paragraph numbers are kept, escaped so MyST does not read a list.
    assert "(furr-beria-reform-p32)=\n32\\. Officially, [Beria]{.person .person-beria}[^ed-person-beria] was arrested" in furr
    # A citation keeps the seed's words and points at its refs.bib key.
    assert "[Beria 308-9]{.bibcite .bibkey-naumov1999beriia}{cite:empty}`naumov1999beriia`" in furr
    # An editorial note is called right after its anchor and defined once.
    assert "At this same June 1953 Plenum[^ed-plenum-month], [Khrushchev]{.person .person-khrushchev}" in furr
    assert furr.count("[^ed-plenum-month]: ") == 1
    # The headnote comes from the catalogue.
    assert "**Author:** Grover Furr (b. 1944)" in furr


def render_seed(text: str) -> str:
    from pathlib import Path

    from edition.apparatus.entries import Apparatus
    from edition.sources.catalog import CatalogEntry
    from edition.sources.structure import recognise

    entry = CatalogEntry("x", "X", "unknown", "2026", "p", "s", "r", "x.txt", "0" * 64)
    return ChapterRenderer(recognise("x", text), entry, Apparatus(Path("x.toml"))).render()


LIST_SEED = ("A Title\n\nThe reasons were these, and there were three of them:\n\n"
             "1. {cite}`x` <b>first</b>\n2. *second*,\n   wrapped\n\n3. [third](https://x.example)\n\n"
             "A closing paragraph, long enough to be a paragraph and not a heading.\n")


def test_a_list_is_a_list_of_items_with_the_sources_markers():
    myst = render_seed(LIST_SEED)
    # No anchor of its own (it belongs to ¶1); the markers are the seed's, as text.
    assert ("(x-p1)=\nThe reasons were these, and there were three of them:\n\n"
            "```{container} list\n"
            "1. 1\\. \\{cite\\}\\`x\\` \\<b\\>first\\</b\\>\n"
            "1. 2\\. \\*second\\*, wrapped\n"
            "1. 3\\. \\[third\\](https://x.example)\n"
            "```\n\n"
            "(x-p2)=\nA closing paragraph") in myst


@pytest.mark.parametrize("markers", [("1.", "2.", "3."), ("a)", "b)", "c)"), ("-", "-", "-"), ("•", "•", "•")])
def test_list_items_render_as_their_literal_text(markers):
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.utils import new_document
    from myst_parser.parsers.docutils_ import Parser

    seed = LIST_SEED
    for number, marker in zip(("1.", "2.", "3."), markers):
        seed = seed.replace(f"\n{number} ", f"\n{marker} ")
    settings = get_default_settings(Parser)
    settings.report_level = 5
    settings.myst_enable_extensions = ["attrs_inline"]   # as book/conf.py
    document = new_document("<chapter>", settings)
    Parser().parse(render_seed(seed), document)
    (container,) = [c for c in document.findall(nodes.container) if "list" in c["classes"]]
    (listing,) = container.children
    assert type(listing) is (nodes.bullet_list if markers[0] in "-•" else nodes.enumerated_list)
    paragraphs = [item.children[0] for item in listing.children]
    assert [type(p) for p in paragraphs] == [nodes.paragraph] * 3
    assert [p.astext() for p in paragraphs] == [
        f"{markers[0]} {{cite}}`x` <b>first</b>", f"{markers[1]} *second*, wrapped",
        f"{markers[2]} [third](https://x.example)"]
    assert all(isinstance(c, nodes.Text) for p in paragraphs for c in p.children)
