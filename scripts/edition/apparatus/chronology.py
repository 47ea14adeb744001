"""The chronology: ``book/chronology.toml`` → events checked against the texts.

Each event names the paragraphs of the texts that discuss it (``"<slug> <N>"``)
and the works that support its date (``refs``); both are validated, so the
chronology page can link every event to its paragraphs in every format.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..anchors import parse_name
from ..errors import EditionError
from ..schema import Table, is_date, load
from .registers import PAGE, Page, page_of


class ChronologyError(EditionError):
    """``book/chronology.toml`` is malformed or refers to something unknown."""


@dataclass(frozen=True)
class Event:
    date: str
    display: str
    text: str
    paragraphs: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()


EVENT = Table("event", ("date", "display", "text"), ("paragraphs", "refs"), key=None,
              label=lambda entry: str(entry.get("display", entry.get("date", "?"))))


@dataclass(frozen=True)
class Chronology:
    events: list[Event]
    page: Page

    @property
    def years(self) -> tuple[str, str]:
        """The first and the last event's year."""
        return self.events[0].date[:4], self.events[-1].date[:4]


def load_chronology(path: Path, paragraphs: Mapping[str, set[str]],
                    bib_keys: Iterable[str]) -> Chronology:
    """Events in date order; ``paragraphs`` maps each slug to its paragraph numbers."""
    keys = set(bib_keys)
    events = []
    data = load(path, [EVENT, PAGE], ChronologyError, optional=True)
    for index, entry in enumerate(data["event"], start=1):
        where = EVENT.where(entry, index)
        if not is_date(str(entry["date"])):
            raise ChronologyError(path, f"date {entry['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD", where)
        for ref in entry.get("paragraphs", []):
            paragraph = parse_name(str(ref))
            if paragraph is None:
                raise ChronologyError(path, f"{ref!r} names no paragraph", where, "write \"<slug> <paragraph>\"")
            if paragraph.slug not in paragraphs:
                raise ChronologyError(path, f"no text {paragraph.slug!r}", where, "write \"<slug> <paragraph>\"")
            if paragraph.number not in paragraphs[paragraph.slug]:
                raise ChronologyError(path, f"{paragraph.slug} has no paragraph {paragraph.number!r}", where)
        for key in entry.get("refs", []):
            if key not in keys:
                raise ChronologyError(path, f"unknown bibliography key {key!r}", where)
        events.append(Event(str(entry["date"]), entry["display"], entry["text"].strip(),
                            tuple(entry.get("paragraphs", [])), tuple(entry.get("refs", []))))
    return Chronology(sorted(events, key=lambda e: e.date), page_of(data))
