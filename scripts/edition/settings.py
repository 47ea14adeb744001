"""The book's settings: ``conf.py``, read by Sphinx and by the stages before it.

:class:`EditionConfig` is the extension's configuration, one typed
dataclass: each field is the value ``edition_<field>`` of ``conf.py``
(:mod:`edition.sphinxext.config` registers them with Sphinx and checks them
at every build). :func:`read_book` reads the same ``conf.py`` for the stages
that run before Sphinx (the generated pages need the book's language, its
editor and its licence), so each of those facts is written once, in
``conf.py``.

What a change makes Sphinx do again (``rebuild``): ``env`` for values that
shape the doctrees every format shares (which reading, the texts' names),
``html``, ``epub`` or ``pdf`` for a value that only one format reads (a
change rewrites that format's pages, never the shared doctrees), ``""``
for what changes no output (the speed-ups).
"""

from __future__ import annotations

import os
import sys
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any, Callable

from .errors import EditionError
from .fonts.faces import check_book_face
from .paper import DEFAULT_PAPER, DEFAULT_TRIM, PAPER_SIZES, PDF_VARIANTS, TRIMS
from .project import Project
from .sources.catalog import CatalogEntry
from .words import Words, words_for

PREFIX = "edition_"
# The file suffix of a format's publication, where it is not the format's name.
SUFFIXES = {"tei": "xml"}
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
    editor: str = _option("", "", "who made the edition, as the rights page names them "
                          "(default: conf.py's author)")
    licence: str = _option("", "", "the licence of the edition's own matter, a sentence of the "
                           "rights page (default: none stated)")
    book_face: dict = _option(None, "env", "the book face: family, the regular file and any of "
                              "italic, bold, bold-italic (paths relative to book/), credit; default "
                              "Charis SIL", check_book_face, factory=dict)
    speedups: bool = _option(False, "", "apply edition.compat's speed-ups (edition build and "
                             "edition watch set it; they change no output)")
    pdf_basename: str = _option("edition", "pdf", "the PDF's file name, without .pdf")
    pdf_paper: str = _option(DEFAULT_PAPER, "pdf", "the PDF's paper", _one_of(*PAPER_SIZES))
    pdf_variant: str = _option("", "pdf", "an archival, accessible or printer's PDF beside the reading PDF",
                               _one_of("", *PDF_VARIANTS))
    pdf_lines_report: str = _option("", "pdf", "a file the PDF's build writes, saying where each "
                                    "paragraph's lines fell (edition copyfit asks for it)")
    pdf_page_map_early: str = _option("", "pdf", "a file the PDF's build writes its page map to as soon as "
                                      "the pages are laid out (edition build marks the EPUB's printed "
                                      "pages while the PDF is written)")
    pdf_trim: str = _option(DEFAULT_TRIM, "pdf", "the printer's PDF (pdf/x-4): its trim", _one_of(*TRIMS))
    pdf_crop_marks: bool = _option(False, "pdf", "the printer's PDF (pdf/x-4): crop marks in the bleed")
    pdf_page_thickness: float = _option(0.0572, "pdf", "the printer's paper, mm per page: the cover's spine "
                                        "(0.0572: white paper as print-on-demand printers state it)")
    pdf_metadata: dict = _option(None, "pdf", "the PDF's title, author, description, keywords",
                                 factory=dict)
    pdf_front_caption: str = _option("", "pdf", "the caption of the toctree of the pages set "
                                     "with roman folios (default: the words' front-matter)")
    pdf_running_title: str = _option("", "pdf", "the versos' running head (default: the project)")
    html_downloads: list = _option(None, "html", "the files of the site's downloads/ folder its home "
                                   "page offers (edition build names the PDF and EPUB it builds with "
                                   "the site, and puts them there)", factory=list)
    tei_page_map: str = _option("", "", "the PDF's page map the TEI marks the printed pages by "
                                "(edition build names the PDF's, when there is one)")
    epub_relation: str = _option("", "epub", "the TEI built with the EPUB, which its package names "
                                 "(dc:relation; edition build sets it)")
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
    def from_values(cls, get: Callable[[str, Any], Any]) -> tuple["EditionConfig", list[str]]:
        """The values ``conf.py`` gave (``get(name, default)``), checked: the
        configuration, with the default in place of each wrong value, and
        what was wrong."""
        values, problems = {}, []
        for f in fields(cls):
            name = PREFIX + f.name
            value = get(name, default_of(f))
            expected = default_of(f)
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


def default_of(f: Any) -> Any:
    """A field's default value."""
    return f.default_factory() if f.default is MISSING else f.default




@dataclass(frozen=True)
class Book:
    """What the stages before Sphinx need to know of the book's ``conf.py``."""

    title: str
    author: str
    language: str
    config: EditionConfig
    epub_basename: str = ""

    @property
    def page_source(self) -> str:
        """The printed edition the EPUB's page list follows (its ``pageBreakSource``)."""
        title = self.config.pdf_metadata.get("title") or self.title
        return f"{title} (PDF, {self.config.pdf_paper.upper()})"

    def publication(self, fmt: str, diplomatic: bool = False) -> str:
        """The file the PDF's, the EPUB's or the TEI's builder writes for the
        critical or the diplomatic edition (the TEI is named as the PDF is;
        the diplomatic edition's files carry ``-diplomatic``, as
        :meth:`EditionConfig.basename` names them)."""
        from sphinx.util.osutil import make_filename  # Sphinx's default epub_basename

        base = self.epub_basename or make_filename(self.title) if fmt == "epub" else self.config.pdf_basename
        reading = replace(self.config, reading=READINGS[1] if diplomatic else READINGS[0])
        return f"{reading.basename(base)}.{SUFFIXES.get(fmt, fmt)}"

    @property
    def words(self) -> Words:
        return words_for(self.language)

    @property
    def editor(self) -> str:
        return self.config.editor or self.author


def read_book(project: Project) -> Book:
    """The book's settings from ``book/conf.py``, run as Sphinx runs it (in
    its folder, with ``__file__`` and ``tags``); no ``conf.py``: defaults."""
    path = project.book_dir / "conf.py"
    if not path.exists():
        return Book("", "", "en", EditionConfig())
    from sphinx.util.tags import Tags  # what a conf.py may ask (tags.has)

    namespace: dict[str, Any] = {"__file__": str(path), "tags": Tags()}
    here, search_path = os.getcwd(), sys.path[:]   # a conf.py may add to sys.path: once is enough
    try:
        os.chdir(path.parent)
        code = compile(path.read_bytes(), str(path), "exec")
        exec(code, namespace)
    except EditionError:
        raise
    except SyntaxError as exc:
        raise EditionError(path, f"not valid Python: {exc.msg}", f"line {exc.lineno}") from None
    except Exception as exc:
        raise EditionError(path, f"running it failed: {type(exc).__name__}: {exc}") from None
    finally:
        os.chdir(here)
        sys.path[:] = search_path
    config, problems = EditionConfig.from_values(namespace.get)
    if problems:
        raise EditionError(path, problems[0])
    return Book(str(namespace.get("project", "")), str(namespace.get("author", "")),
                str(namespace.get("language") or "en"), config, str(namespace.get("epub_basename", "")))
