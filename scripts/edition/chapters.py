"""Stages 1–4 together: catalogue + seeds + apparatus → ``book/texts/<slug>.md``.

:func:`prepare` reads and verifies everything first and writes nothing if any
text fails, so a bad input never leaves a half-updated book.  Chapters are
written only when their bytes change, so Sphinx re-reads only what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .apparatus import Apparatus, ApparatusFile
from .bibliography import bib_keys
from .errors import CatalogError
from .myst import render_chapter
from .project import Project
from .seeds import Seed, read_all
from .structure import Document, recognise


@dataclass
class Chapter:
    seed: Seed
    document: Document
    apparatus: Apparatus
    myst: str
    path: Path


def prepare(project: Project) -> list[Chapter]:
    """Read, verify, structure, resolve and render every text (no writing)."""
    keys = bib_keys(project.refs_bib)
    chapters = []
    for seed in read_all(project.seeds_dir):
        slug = seed.entry.slug
        app_file = ApparatusFile.load(project.apparatus_path(slug))
        doc = recognise(slug, seed.text, app_file.structure_overrides(seed.text))
        apparatus = app_file.resolve(doc, keys)
        if seed.entry.bibkey and seed.entry.bibkey not in keys:
            raise CatalogError(project.seeds_dir / "catalog.toml",
                               f"bibkey {seed.entry.bibkey!r} is not in refs.bib", slug)
        myst = render_chapter(doc, seed.entry, apparatus)
        chapters.append(Chapter(seed, doc, apparatus, myst, project.chapter_path(slug)))
    return chapters


def write(chapters: list[Chapter]) -> list[Path]:
    """Write the chapters that changed; returns their paths."""
    written = []
    for chapter in chapters:
        chapter.path.parent.mkdir(parents=True, exist_ok=True)
        data = chapter.myst.encode("utf-8")
        if not chapter.path.exists() or chapter.path.read_bytes() != data:
            chapter.path.write_bytes(data)
            written.append(chapter.path)
    return written


def stale(chapters: list[Chapter]) -> list[Path]:
    """Committed chapters that differ from what the inputs generate."""
    return [c.path for c in chapters
            if not c.path.exists() or c.path.read_bytes() != c.myst.encode("utf-8")]
