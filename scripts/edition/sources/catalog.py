"""The catalogue, ``seeds/catalog.toml``: one ``[[text]]`` entry per seed.

Takes the project's ``seeds/`` folder; gives a :class:`CatalogEntry` per text,
in the catalogue's order. The stages, the book's ``conf.py`` (and through it
the extension and the colophon) take the catalogue's entries from this
loader alone; only the glyph check reads the file again, for the characters
of every string in it.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path

from ..errors import CatalogError
from ..project import CATALOG_NAME
from ..schema import Table, inline_myst, is_date, load


@dataclass(frozen=True)
class CatalogEntry:
    """One text as the catalogue describes it."""

    slug: str
    title: str
    author: str
    date: str
    publication: str
    source: str
    rights: str
    received_as: str
    sha256: str
    short: str = ""          # its name in cross-references ("Furr ¶35")
    author_dates: str = ""
    date_display: str = ""
    bibkey: str = ""         # the text's own entry in refs.bib
    headnote: str = ""       # the editor's paragraph on the text: who wrote it, when, for whom
    summary: str = ""        # one sentence on the text, plain, for the site's home page

    @property
    def seed_name(self) -> str:
        return f"{self.slug}.txt"

    @property
    def label(self) -> str:
        """How a cross-reference names the text."""
        return self.short or self.title

    @property
    def has_author(self) -> bool:
        return self.author.strip().lower() != "unknown"

    def as_config(self) -> dict[str, str]:
        """The entry as plain data, for the Sphinx configuration."""
        return {name: str(value) for name, value in asdict(self).items()}


# The fields the editor writes in inline MyST (``*Pravda*``), printed in the
# headnotes and on the sources-and-rights page; the title, author and dates
# are plain text (the contents, the citations and the metadata print them).
INLINE_MYST = ("publication", "source", "rights", "headnote")

_REQUIRED = tuple(f.name for f in fields(CatalogEntry) if f.default is MISSING)
TEXT = Table("text", required=_REQUIRED,
             optional=tuple(f.name for f in fields(CatalogEntry) if f.name not in _REQUIRED),
             key="slug")


def load_catalog(seeds_dir: Path, *, allow_empty: bool = False) -> list[CatalogEntry]:
    """Read ``catalog.toml``; entries come back in the catalogue's order
    (none is an error, but for ``edition add``, which adds the first)."""
    path = seeds_dir / CATALOG_NAME
    if not path.exists():
        raise CatalogError(path, "the catalogue is missing")
    entries = load(path, [TEXT], CatalogError)["text"]
    if not entries and not allow_empty:
        raise CatalogError(path, "no [[text]] entries", hint="add a text: edition add FILE")
    for index, entry in enumerate(entries, start=1):
        if not is_date(str(entry["date"])):
            raise CatalogError(path, f"date {entry['date']!r} is not a date as YYYY, YYYY-MM or YYYY-MM-DD",
                               TEXT.where(entry, index))
        for name in INLINE_MYST:
            inline_myst(path, CatalogError, TEXT.where(entry, index), name, str(entry.get(name, "")))
    return [CatalogEntry(**{k: str(v) for k, v in entry.items()}) for entry in entries]

