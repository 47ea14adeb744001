"""The extension's configuration: one typed dataclass, ``edition_*`` in ``conf.py``.

Each field of :class:`EditionConfig` is the configuration value
``edition_<field>``: :func:`add_config_values` registers them with Sphinx
(their defaults, types, and what a change to each makes Sphinx do again),
and :func:`validate` (``builder-inited``) checks the values ``conf.py``
gives and keeps them, typed, on the build environment. A wrong value is one
error line naming the value and what it may be (``edition.config``), and its
default is used (as MyST-Parser does): `edition build`, which runs Sphinx
with ``-W``, fails.

What a change makes Sphinx do again (``rebuild``): ``env`` for values that
shape the doctrees every format shares (which reading, the texts' names),
``html``, ``epub`` or ``pdf`` for a value that only one format reads (a
change rewrites that format's pages, never the shared doctrees), ``""``
for what changes no output (the speed-ups).
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from sphinx.application import Sphinx
from sphinx.config import Config

from ..paper import DEFAULT_PAPER, PAPER_SIZES, PDF_VARIANTS
from ..sources.catalog import CatalogEntry
from .warnings import TYPE, Warn, logger

PREFIX = "edition_"
READINGS = ("critical", "diplomatic")


def _one_of(*allowed: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in allowed else f"must be one of {', '.join(map(repr, allowed))}"
    return check


def _catalogue_entries(value: Any) -> str | None:
    """``edition_texts``: slug → the fields of a catalogue entry."""
    known = {f.name for f in fields(CatalogEntry)}
    required = {f.name for f in fields(CatalogEntry) if f.default is MISSING}
    for slug, entry in value.items():
        if not isinstance(entry, dict) or set(entry) - known or required - set(entry):
            return (f"the entry of {slug!r} must be a catalogue entry "
                    f"(edition.sources.catalog.CatalogEntry.as_config())")
    return None


def _option(default: Any, rebuild: str, help: str, check: Callable[[Any], str | None] | None = None,
            factory: Callable[[], Any] | None = None) -> Any:
    metadata = {"rebuild": rebuild, "help": help, "check": check}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class EditionConfig:
    """The extension's settings (``edition_<field>`` in ``conf.py``)."""

    reading: str = _option("critical", "env", "which text the chapters set: the critical "
                           "(emended) or the diplomatic (the seeds' own)", _one_of(*READINGS))
    texts: dict = _option(None, "env", "the catalogue's entries, slug → fields "
                          "(CatalogEntry.as_config() of each entry load_catalog gives)",
                          _catalogue_entries, factory=dict)
    bibliography_doc: str = _option("bibliography", "env", "the page that prints refs.bib")
    speedups: bool = _option(False, "", "apply edition.compat's speed-ups (edition build and "
                             "edition watch set it; they change no output)")
    pdf_basename: str = _option("edition", "pdf", "the PDF's file name, without .pdf")
    pdf_paper: str = _option(DEFAULT_PAPER, "pdf", "the PDF's paper", _one_of(*PAPER_SIZES))
    pdf_variant: str = _option("", "pdf", "an archival or accessible PDF beside the reading PDF",
                               _one_of("", *PDF_VARIANTS))
    pdf_metadata: dict = _option(None, "pdf", "the PDF's title, author, description, keywords",
                                 factory=dict)
    pdf_front_caption: str = _option("Front matter", "pdf", "the caption of the toctree of the "
                                     "pages set with roman folios")
    pdf_running_title: str = _option("", "pdf", "the versos' running head (default: the project)")
    epub_embed_font: bool = _option(True, "epub", "embed the book face, cut to the book's characters")
    epub_cover: dict = _option(None, "epub", "the lines of the drawn cover: title, subtitle, "
                               "authors, byline", factory=dict)
    epub_authors: list = _option(None, "epub", "the texts' authors (dc:contributor)", factory=list)
    epub_identifiers: dict = _option(None, "epub", "reading → the publication's identifier",
                                     factory=dict)
    epub_landmarks: dict = _option(None, "epub", "landmark type → page, or folder/ for its first "
                                   "page", factory=lambda: {"bodymatter": "texts/"})
    epub_accessibility_summary: str = _option("", "epub", "schema:accessibilitySummary")

    @classmethod
    def from_sphinx(cls, config: Config) -> tuple["EditionConfig", list[str]]:
        """The values ``conf.py`` gave, checked: the configuration, with the
        default in place of each wrong value, and what was wrong."""
        values, problems = {}, []
        for f in fields(cls):
            name = PREFIX + f.name
            value = config[name]
            expected = _default(f)
            check = f.metadata["check"]
            if not isinstance(value, type(expected)):
                problem = f"must be a {type(expected).__name__}"
            else:
                problem = check(value) if check else None
            if problem:
                problems.append(f"{name} = {value!r}: {problem}")
                value = expected
            values[f.name] = value
        return cls(**values), problems

    def text(self, slug: str) -> CatalogEntry | None:
        """The catalogue's entry of a text, None for no such text."""
        entry = self.texts.get(slug)
        return None if entry is None else CatalogEntry(**entry)

    def basename(self, base: str) -> str:
        """A file name of this reading's publication: the diplomatic edition's
        files carry ``-diplomatic``."""
        return base if self.reading == "critical" else f"{base}-{self.reading}"


def _default(f: Any) -> Any:
    return f.default_factory() if f.default is MISSING else f.default


def add_config_values(app: Sphinx) -> None:
    # Sphinx checks no type of its own (types=Any): validate() does, in one line each.
    for f in fields(EditionConfig):
        app.add_config_value(PREFIX + f.name, _default(f), f.metadata["rebuild"],
                             types=Any, description=f.metadata["help"])


def validate(app: Sphinx) -> None:
    """``builder-inited``: the configuration, checked, on the environment."""
    app.env.edition_config, problems = EditionConfig.from_sphinx(app.config)
    for problem in problems:
        logger.error("%s: %s (the default is used)", Path(app.confdir, "conf.py"), problem,
                     type=TYPE, subtype=Warn.CONFIG.value)


class UsesEditionConfig:
    """For a builder: ``self.edition``, the checked configuration (set at
    ``builder-inited``, after the builder's ``init``: read when needed)."""

    env: Any

    @property
    def edition(self) -> EditionConfig:
        return edition_config(self.env)


def edition_config(env: Any) -> EditionConfig:
    """The build's checked configuration."""
    config = getattr(env, "edition_config", None)
    return config if config is not None else EditionConfig.from_sphinx(env.config)[0]
