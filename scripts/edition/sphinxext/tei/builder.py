"""The TEI builder: the edition as one TEI P5 document, ``<basename>.xml``
(:mod:`.document`), with the printed PDF's page breaks when the PDF's page
map is given (``edition_tei_page_map``: ``edition build`` builds the TEI
after the PDF, and names its map), validated against TEI P5 (tei_all).

The TEI's text gives the critical reading with the source's at every
change (``choice``), so the diplomatic edition has no TEI of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from docutils import nodes
from sphinx.builders import Builder
from sphinx.locale import __

from ...settings import SUFFIXES
from ..config import UsesEditionConfig
from .document import write_tei


def tei_name(basename: str) -> str:
    """The TEI's file name for the book's base name (the PDF's; as
    :meth:`edition.settings.Book.publication` names it)."""
    return f"{basename}.{SUFFIXES['tei']}"


class TeiBuilder(UsesEditionConfig, Builder):
    name = "tei"
    format = "tei"
    epilog = __("The TEI is in %(outdir)s.")
    allow_parallel = False

    def init(self) -> None:
        self.doctrees: dict[str, nodes.document] = {}

    def get_outdated_docs(self) -> Iterable[str]:
        return self.env.found_docs   # one document of the whole book: always written whole

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""   # one document: every reference is to an id in it

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return ""

    def prepare_writing(self, docnames: set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        self.doctrees[docname] = doctree

    def finish(self) -> None:
        edition = self.edition
        out = Path(self.outdir) / tei_name(edition.basename(edition.pdf_basename))
        write_tei(self.env, self.doctrees, out, Path(edition.tei_page_map) if edition.tei_page_map else None)
