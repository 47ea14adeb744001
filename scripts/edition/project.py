"""Where things live: the project's folders and files, found from its root,
and the formats it is built into (see ``scripts/docs/architecture.md``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import EditionError

FORMATS = ("html", "epub", "pdf")
# Every format a build can write: the three editions, and the edition as data (TEI P5).
ALL_FORMATS = (*FORMATS, "tei")
# The site's folder of the PDF and EPUB built with it (its home page links them).
SITE_DOWNLOADS = "downloads"
CATALOG_NAME = "catalog.toml"
# The folders of book/ the builder writes (the chapters, the pages made from data).
TEXTS_FOLDER, GENERATED_FOLDER = "texts", "generated"
# The sources' folder, beside book/.
SEEDS_FOLDER = "seeds"
# The page made from the catalogue that gives each text's source and rights (a docname).
RIGHTS_PAGE = f"{GENERATED_FOLDER}/rights"


@dataclass(frozen=True)
class Project:
    root: Path
    build_root: Path | None = None   # default: <root>/build

    @classmethod
    def find(cls, start: Path | None = None, build_root: Path | None = None) -> "Project":
        """The project whose root holds ``seeds/catalog.toml`` and ``book/conf.py``,
        searched upwards from ``start`` (default: the working directory)."""
        here = (start or Path.cwd()).resolve()
        for candidate in (here, *here.parents):
            if (candidate / SEEDS_FOLDER / CATALOG_NAME).exists() and (candidate / "book" / "conf.py").exists():
                return cls(candidate, build_root)
        raise EditionError(here, "not inside an edition project",
                           hint="run from the folder that holds seeds/ and book/, or pass --root")

    @property
    def seeds_dir(self) -> Path:
        return self.root / SEEDS_FOLDER

    @property
    def catalog_path(self) -> Path:
        return self.seeds_dir / CATALOG_NAME

    @property
    def book_dir(self) -> Path:
        return self.root / "book"

    @property
    def apparatus_dir(self) -> Path:
        return self.book_dir / "apparatus"

    @property
    def texts_dir(self) -> Path:
        return self.book_dir / TEXTS_FOLDER

    @property
    def generated_dir(self) -> Path:
        return self.book_dir / GENERATED_FOLDER

    @property
    def persons_path(self) -> Path:
        return self.book_dir / "persons.toml"

    @property
    def glossary_path(self) -> Path:
        return self.book_dir / "glossary.toml"

    @property
    def chronology_path(self) -> Path:
        return self.book_dir / "chronology.toml"

    @property
    def refs_bib(self) -> Path:
        return self.root / "refs.bib"

    @property
    def build_dir(self) -> Path:
        return self.build_root or self.root / "build"

    def apparatus_path(self, slug: str) -> Path:
        return self.apparatus_dir / f"{slug}.toml"

    def chapter_path(self, slug: str) -> Path:
        return self.texts_dir / f"{slug}.md"

    def register_paths(self) -> tuple[Path, Path, Path]:
        """The registers: persons, glossary, chronology."""
        return self.persons_path, self.glossary_path, self.chronology_path

    def output_dir(self, fmt: str, diplomatic: bool = False) -> Path:
        """``build/<fmt>`` for the critical edition, ``build/diplomatic/<fmt>`` for the diplomatic."""
        return self.build_dir / ("diplomatic" if diplomatic else "") / fmt
