"""The shared bibliography ``refs.bib``: its entries, read strictly.

The apparatus validates citation keys against it before Sphinx runs, so that a
broken bibliography or an unknown key is one clear error naming the file and
line, not a cascade of Sphinx warnings.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

from ..errors import EditionError


class BibliographyError(EditionError):
    """``refs.bib`` cannot be read or parsed."""


# The start of an entry: "@book{key," (BibTeX also allows parentheses).
ENTRY_START_RE = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]+)\s*,")
NOT_ENTRIES = {"string", "preamble", "comment"}


def read_bibliography(path: Path):
    """``refs.bib`` parsed by Pybtex (a ``BibliographyData``), or a
    :class:`BibliographyError` naming the line of what is wrong."""
    from pybtex.database import BibliographyDataError
    from pybtex.database.input import bibtex
    from pybtex.database.input.bibtex import DuplicateField
    from pybtex.scanner import PrematureEOF, PybtexError, PybtexSyntaxError

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
        hint = ("an entry or a brace opened at or before this line is not closed"
                if isinstance(exc, PrematureEOF) else "")
        raise BibliographyError(path, f"BibTeX {exc.error_type}: {exc.args[0]}",
                                str(exc.lineno or ""), hint) from None
    except DuplicateField as exc:
        raise BibliographyError(path, str(exc), _second_field_line(text, str(exc))) from None
    except BibliographyDataError as exc:
        # A repeated key (keys are compared without case): the second entry's line.
        key = str(exc).rpartition(": ")[2]
        starts = _entry_starts(text, key)
        if len(starts) > 1:
            (first, first_key), (second, second_key) = starts[:2]
            hint = "keys are compared without regard to case" if first_key != second_key else ""
            raise BibliographyError(path, f"{exc}; the first is at line {first}", str(second), hint) from None
        raise BibliographyError(path, str(exc)) from None
    except PybtexError as exc:
        raise BibliographyError(path, str(exc)) from None
    if not data.entries:
        raise BibliographyError(path, "no entries")
    return data


def _entry_starts(text: str, key: str) -> list[tuple[int, str]]:
    """(line, key as written) of each entry whose key is this one, regardless of case."""
    return [(_line(text, m.start()), m.group(2)) for m in ENTRY_START_RE.finditer(text)
            if m.group(1).lower() not in NOT_ENTRIES and m.group(2).lower() == key.lower()]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _second_field_line(text: str, message: str) -> str:
    """The line of the second of a field given twice in an entry (Pybtex
    says only "entry with key K has a duplicate F field")."""
    found = re.match(r"entry with key (\S+) has a duplicate (\S+) field", message)
    if not found:
        return ""
    key, field = found.groups()
    for start in (m.start() for m in ENTRY_START_RE.finditer(text) if m.group(2).lower() == key.lower()):
        fields = list(re.finditer(rf"(?<![\w-]){re.escape(field)}\s*=", text[start:], re.I))
        if len(fields) > 1:
            return str(_line(text, start + fields[1].start()))
    return ""


def bib_keys(path: Path) -> set[str]:
    return set(read_bibliography(path).entries.keys())
