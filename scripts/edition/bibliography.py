"""The shared bibliography ``refs.bib``: its keys, read strictly.

The apparatus validates citation keys against it before Sphinx runs, so that a
broken bibliography or an unknown key is one clear error naming the file and
line, not a cascade of Sphinx warnings.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from .errors import EditionError


class BibliographyError(EditionError):
    """``refs.bib`` cannot be read or parsed."""


def bib_keys(path: Path) -> set[str]:
    from pybtex.database.input import bibtex
    from pybtex.scanner import PybtexError, PybtexSyntaxError

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BibliographyError(path, "the bibliography is missing") from None
    except UnicodeDecodeError as exc:
        raise BibliographyError(path, f"not valid UTF-8 ({exc.reason})", f"byte {exc.start}") from None
    parser = bibtex.Parser()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = parser.parse_stream(io.StringIO(text))
    except PybtexSyntaxError as exc:
        raise BibliographyError(path, f"syntax error: {exc.error_type}", f"{exc.lineno}") from None
    except PybtexError as exc:
        raise BibliographyError(path, str(exc)) from None
    if not data.entries:
        raise BibliographyError(path, "no entries")
    return set(data.entries.keys())
