"""Sources, apparatus and render together: catalogue + seeds + apparatus + registers → the generated
MyST files (``book/texts/<slug>.md``, ``book/generated/*.md``).

:func:`prepare` reads and verifies everything first — last of all, that the
PDF's fonts can print every character (:mod:`edition.fonts.glyphs`) — and writes
nothing if any text fails, so a bad input never leaves a half-updated book.
Files are written only when their bytes change, so Sphinx re-reads only what
changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..apparatus.bibliography import read_bibliography
from ..apparatus.chronology import load_chronology
from ..apparatus.entries import Apparatus, ApparatusFile
from ..apparatus.references import check_references
from ..apparatus.registers import Registry
from ..errors import CatalogError
from ..fonts.faces import book_face
from ..fonts.glyphs import check_glyphs
from ..project import RIGHTS_PAGE, Project
from ..settings import read_book
from ..sources.seeds import Seed, read_all
from ..sources.structure import Document, recognise
from ..words import Words, words_for
from .myst import ChapterRenderer
from .pages import (
    chronology_page,
    glossary_page,
    omissions_page,
    persons_page,
    rights_page,
)


@dataclass
class Chapter:
    seed: Seed
    document: Document
    apparatus: Apparatus
    myst: str
    path: Path


@dataclass
class Edition:
    """Everything generated from the inputs, not yet written."""

    chapters: list[Chapter]
    registry: Registry
    pages: dict[Path, str] = field(default_factory=dict)   # every generated file → its text
    # Generated files whose source is gone (a text taken out, a register emptied).
    gone: list[Path] = field(default_factory=list)
    words: Words = field(default_factory=lambda: words_for(None))   # the book's language

    def __iter__(self):
        return iter(self.chapters)

    def __len__(self) -> int:
        return len(self.chapters)


def prepare(project: Project) -> Edition:
    """Read, verify, structure, resolve and render every text (no writing)."""
    bibliography = read_bibliography(project.refs_bib)
    keys = set(bibliography.entries.keys())
    registry = Registry.load(project.persons_path, project.glossary_path, keys)
    book = read_book(project)
    chapters = []
    occurrences = []
    seeds = read_all(project.seeds_dir)
    entries = [seed.entry for seed in seeds]
    for seed in seeds:
        slug = seed.entry.slug
        if seed.entry.bibkey and seed.entry.bibkey not in keys:
            raise CatalogError(project.catalog_path,
                               f"bibkey {seed.entry.bibkey!r} is not in refs.bib", slug)
        app_file = ApparatusFile.load(project.apparatus_path(slug))
        doc = recognise(slug, seed.text, app_file.structure_overrides(seed.text))
        apparatus = app_file.resolve(doc, keys, registry.persons, registry.terms)
        renderer = ChapterRenderer(doc, seed.entry, apparatus, registry, book.words)
        myst = renderer.render()
        occurrences += renderer.occurrences
        chapters.append(Chapter(seed, doc, apparatus, myst, project.chapter_path(slug)))
    edition = Edition(chapters, registry, words=book.words)
    edition.pages = {c.path: c.myst for c in chapters}
    # A register with no entries (or no file) has no page.
    if registry.persons:
        edition.pages[project.generated_dir / "persons.md"] = persons_page(
            registry, occurrences, entries, book.words)
    if registry.terms:
        edition.pages[project.generated_dir / "glossary.md"] = glossary_page(registry, book.words)
    paragraphs = {c.seed.entry.slug: {b.paragraph for b in c.document.blocks if b.paragraph}
                  for c in chapters}
    chronology = load_chronology(project.chronology_path, paragraphs, keys)
    if chronology.events:
        edition.pages[project.generated_dir / "chronology.md"] = chronology_page(chronology, book.words)
    edition.pages[project.book_dir / f"{RIGHTS_PAGE}.md"] = rights_page(entries, book)
    edition.pages[project.generated_dir / "omissions.md"] = omissions_page(chapters, book.words)
    edition.gone = [path for folder in (project.texts_dir, project.generated_dir)
                    for path in sorted(folder.glob("*.md")) if path not in edition.pages]
    check_references(project, {c.seed.entry.slug: c.apparatus for c in chapters}, paragraphs,
                     registry, edition.pages.values(), keys, entries)
    # Last, when every input is known good: the PDF can print every character.
    check_glyphs(project, seeds, bibliography, book_face(book.config.book_face, project.book_dir))
    return edition


def write(edition: Edition) -> list[Path]:
    """Write the generated files that changed, and remove those whose source
    is gone; returns their paths."""
    written = []
    for path in edition.gone:
        path.unlink(missing_ok=True)
        written.append(path)
    for path, text in edition.pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            written.append(path)
    return written


def stale(edition: Edition) -> list[Path]:
    """Committed generated files that differ from what the inputs generate,
    or whose source is gone."""
    return [path for path, text in edition.pages.items()
            if not path.exists() or path.read_bytes() != text.encode("utf-8")] + list(edition.gone)
