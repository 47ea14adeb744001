"""Stage 4: the committed MyST chapters are what seeds + apparatus generate."""

from __future__ import annotations

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
