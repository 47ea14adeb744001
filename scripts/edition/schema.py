"""One validator for the editor's TOML files: the catalogue, the apparatus,
the registers and the chronology.

Each file is made of arrays of tables (``[[text]]``, ``[[note]]``,
``[[person]]``…), and at most a few single tables (a register's ``[page]``). A :class:`Table` says which fields an entry of its kind
must have and which it may have, and which field names the entry (an id or
slug: lower-case-with-hyphens, used once in the file). :func:`load` reads a
file strictly (UTF-8, TOML) and checks every entry against its table; what
is wrong is the file's own :class:`~edition.errors.EditionError` naming the
file, the entry (``[[note]] id='plenum-month'``) and the field. What a field
must mean (an anchor found in the seed, a key in ``refs.bib``) is the
business of the stage that reads it.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .anchors import is_slug
from .errors import EditionError

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def is_date(text: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a date of the calendar."""
    match = DATE_RE.match(text)
    if match is None:
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


# What would open a block if an inline field started a line of MyST: a heading,
# a fence, a list item, a quotation, HTML, a comment, math, a target, a link or
# footnote definition, a directive, a table, a thematic break, indented code.
_BLOCK_START_RE = re.compile(
    r"^(?:#|`{3}|~{3}|[-+*](?:[ \t]|$)|-{3}|\*{3}[ \t]*$|\d{1,9}[.)](?:[ \t]|$)|>|<|%|\$\$"
    r"|\(.*\)=|\[[^\]]*\]:|:{3}|\||={3}|_{3}|[ \t])")


def inline_myst(path: Path, error: type[EditionError], where: str, name: str, value: str) -> str:
    """``value``, a field of the editor's that is inline MyST (the ``*Pravda*``
    of a description), or ``error`` naming the file, the entry and the field
    when it could open a block: a line break, or a start that would be a
    heading, a fence, a list item… were it the start of a line."""
    if "\n" in value or "\r" in value:
        raise error(path, f"the {name} has a line break: it is one run of inline MyST", where,
                    "write it on one line")
    if _BLOCK_START_RE.match(value):
        raise error(path, f"the {name} starts with {value[:3]!r}, which would open a block: "
                    f"it is inline MyST", where, "start it with a word, or escape the character with \\")
    return value


@dataclass(frozen=True)
class Table:
    """The entries of one ``[[name]]`` array."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    key: str | None = "id"   # the field that names an entry, unique in the file
    # How an entry is named in a message when it has no key (the chronology's events).
    label: Callable[[dict[str, Any]], str] | None = None
    # One table (``[page]``), not an array of them; ``load`` gives it as a list of one.
    single: bool = False

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.required) | frozenset(self.optional)

    def where(self, entry: dict[str, Any], index: int) -> str:
        """``[[note]] id='x'``, or ``[[event]] #3 (…)`` where there is no key."""
        if self.single:
            return f"[{self.name}]"
        name = entry.get(self.key) if self.key else None
        if isinstance(name, str) and name:
            return f"[[{self.name}]] {self.key}={name!r}"
        extra = f" ({self.label(entry)})" if self.label else ""
        return f"[[{self.name}]] #{index}{extra}"


def read_toml(path: Path, error: type[EditionError]) -> dict[str, Any]:
    """A TOML file of the project, or ``error`` naming the file and what is
    wrong with it (a byte that is not UTF-8, a TOML syntax error)."""
    data = path.read_bytes()
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(path, f"not valid UTF-8: {exc.reason}", f"byte {exc.start}") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(path, f"not valid TOML: {exc}") from None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not (
        value.strip() if isinstance(value, str) else value))


def validate(path: Path, data: dict[str, Any], tables: Sequence[Table],
             error: type[EditionError]) -> dict[str, list[dict[str, Any]]]:
    """Check ``data`` (a parsed file) against ``tables``; returns the entries
    of each table, in the file's order (an absent table: none)."""
    known = {table.name: table for table in tables}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise error(path, f"unknown table(s) {', '.join(unknown)}",
                    hint="known: " + ", ".join(f"[{name}]" if known[name].single else f"[[{name}]]"
                                               for name in known))
    names: dict[str, str] = {}
    out: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        entries = data.get(table.name, {} if table.single else [])
        if table.single:
            if not isinstance(entries, dict):
                raise error(path, f"{table.name} must be one table: write [{table.name}]")
            entries = [entries] if table.name in data else []
        elif not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise error(path, f"[{table.name}] must be an array of tables: write [[{table.name}]]")
        for index, entry in enumerate(entries, start=1):
            where = table.where(entry, index)
            missing = [f for f in table.required if _blank(entry.get(f))]
            if missing:
                raise error(path, f"missing {', '.join(missing)}", where)
            extra = sorted(set(entry) - table.fields)
            if extra:
                raise error(path, f"unknown field(s) {', '.join(extra)}", where)
            if table.key is not None and not table.single:
                name = entry[table.key]
                if not is_slug(name):
                    raise error(path, f"{table.key} {name!r} is not lower-case-with-hyphens", where)
                if name in names:
                    raise error(path, f"{table.key} {name!r} is used twice", where)
                names[name] = table.name
        out[table.name] = entries
    return out


def load(path: Path, tables: Sequence[Table], error: type[EditionError], *,
         optional: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Read and validate ``path``; a missing file is an error, or, when
    ``optional``, a file with no entries."""
    if not path.exists():
        if optional:
            return {table.name: [] for table in tables}
        raise error(path, "the file is missing")
    return validate(path, read_toml(path, error), tables, error)
