"""What the archival PDF carries: the files the edition is made from, so
that the PDF alone is enough to make the edition again.

The source texts as received and their catalogue, the book's settings
(``book/conf.py``), the apparatus, the registers and refs.bib travel as the
PDF/A-3's associated files with the relationship ``Source``; the TEI of
the edition, the text and apparatus as data, with ``Data``. Each keeps its
path in the project as its name, so that the files, written out again
under their names, are a project whose chapters ``edition generate``
makes again (a test does).

No Sphinx or WeasyPrint here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .project import CATALOG_NAME, Project
from .sources.catalog import load_catalog
from .words import Words

SOURCE, DATA = "Source", "Data"   # AFRelationship (ISO 32000-2, 14.13)


@dataclass(frozen=True)
class Carried:
    name: str           # its path in the project, with "/"
    path: Path
    relationship: str   # SOURCE or DATA
    description: str


def carried(project: Project, words: Words, tei: Path | None = None) -> list[Carried]:
    """The files the archival PDF carries, in a fixed order: the seeds and
    the catalogue, the book's settings, the apparatus, the registers,
    refs.bib, then the TEI (``tei``) if given."""
    files: list[tuple[Path, str]] = []
    seeds = [project.seeds_dir / entry.seed_name for entry in load_catalog(project.seeds_dir)]
    files += [(path, "archive.seed") for path in seeds]
    files.append((project.seeds_dir / CATALOG_NAME, "archive.catalogue"))
    files.append((project.book_dir / "conf.py", "archive.settings"))
    files += [(path, "archive.apparatus") for path in sorted(project.apparatus_dir.glob("*.toml"))]
    files += [(path, "archive.register") for path in project.register_paths()]
    files.append((project.refs_bib, "archive.bibliography"))
    found = [Carried(path.relative_to(project.root).as_posix(), path, SOURCE,
                     words(key, name=path.name)) for path, key in files if path.is_file()]
    if tei is not None:
        found.append(Carried(tei.name, tei, DATA, words("archive.tei", name=tei.name)))
    return found
