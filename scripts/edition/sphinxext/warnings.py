"""The extension's warnings (and its one error, a wrong configuration
value): each of a kind with a stable name.

Every warning the extension gives is ``type="edition"`` with one of the
subtypes below, so that a book can silence exactly one kind
(``suppress_warnings = ["edition.citation-key"]``) and a test can ask which
kind it got.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sphinx.util import logging

logger = logging.getLogger("edition")

TYPE = "edition"


class Warn(StrEnum):
    CONFIG = "config"                      # an edition_* value that is not what it may be
    CITATION_SPAN = "citation-span"        # a citation span without exactly one key
    CITATION_KEY = "citation-key"          # a citation of a key refs.bib does not have
    BIBLIOGRAPHY_DOC = "bibliography-doc"  # edition_bibliography_doc names no page
    EPUB_COVER = "epub-cover"              # the cover's lines are given, its image is not
    EPUB_ACCESSIBILITY = "epub-accessibility"  # an image without a text alternative
    TEI_INVALID = "tei-invalid"            # the TEI is not valid TEI P5 (tei_all)


def warn(kind: Warn, message: str, *args: Any, location: Any = None) -> None:
    logger.warning(message, *args, type=TYPE, subtype=kind.value, location=location)
