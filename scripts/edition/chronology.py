"""The chronology: ``book/chronology.toml`` → events checked against the texts.

Each event names the paragraphs of the texts that discuss it (``"<slug> <N>"``)
and the works that support its date (``refs``); both are validated, so the
chronology page can link every event to its paragraphs in every format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from .errors import EditionError, read_toml

DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


class ChronologyError(EditionError):
    """``book/chronology.toml`` is malformed or refers to something unknown."""


@dataclass(frozen=True)
class Event:
    date: str
    display: str
    text: str
    paragraphs: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()


def load_chronology(path: Path, paragraphs: Mapping[str, set[str]],
                    bib_keys: Iterable[str]) -> list[Event]:
    """Events in date order; ``paragraphs`` maps each slug to its paragraph numbers."""
    if not path.exists():
        return []
    data = read_toml(path, ChronologyError)
    keys = set(bib_keys)
    fields = set(Event.__dataclass_fields__)
    events = []
    for index, entry in enumerate(data.get("event", []), start=1):
        where = f"[[event]] #{index} ({entry.get('display', entry.get('date', '?'))})"
        missing = [f for f in ("date", "display", "text") if not entry.get(f)]
        if missing:
            raise ChronologyError(path, f"missing {', '.join(missing)}", where)
        extra = sorted(set(entry) - fields)
        if extra:
            raise ChronologyError(path, f"unknown field(s) {', '.join(extra)}", where)
        if not DATE_RE.match(str(entry["date"])):
            raise ChronologyError(path, f"date {entry['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD", where)
        for ref in entry.get("paragraphs", []):
            slug, _, number = str(ref).partition(" ")
            if slug not in paragraphs:
                raise ChronologyError(path, f"no text {slug!r}", where, "write \"<slug> <paragraph>\"")
            if number not in paragraphs[slug]:
                raise ChronologyError(path, f"{slug} has no paragraph {number!r}", where)
        for key in entry.get("refs", []):
            if key not in keys:
                raise ChronologyError(path, f"unknown bibliography key {key!r}", where)
        events.append(Event(str(entry["date"]), entry["display"], entry["text"].strip(),
                            tuple(entry.get("paragraphs", [])), tuple(entry.get("refs", []))))
    return sorted(events, key=lambda e: e.date)
