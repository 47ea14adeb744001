"""The registers: persons (``book/persons.toml``) and glossary terms
(``book/glossary.toml``), each described once and found in the seeds by the
spellings the register lists.

Takes the two TOML files; gives :class:`Person` and :class:`Term` records and a
:func:`find_mentions` that locates their spellings in a text (longest spelling
first, whole words only, never inside a listed exclusion).  A spelling becomes
text of MyST roles and spans, so it is restricted to characters that cannot be
markup.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import EditionError
from ..schema import Table, inline_myst, load

# Spellings end up inside roles and link labels: no markup characters at all.
SAFE_SPELLING_RE = re.compile(r"^[^`<>{}\[\]\\*_$|&^~#%:\n]+$")


class RegistryError(EditionError):
    """A register file is malformed, or an entry refers to something unknown."""


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    sort: str
    description: str
    spellings: tuple[str, ...] = ()
    transliteration: str = ""
    identification: str = ""   # one line, for the note at the first mention
    born: str = ""
    died: str = ""
    exclude: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()

    @property
    def dates(self) -> str:
        if self.born and self.died:
            return f"{self.born}–{self.died}"
        if self.born:
            return f"b. {self.born}"
        if self.died:
            return f"d. {self.died}"
        return ""


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    spellings: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A spelling of a register entry found in the seed (offsets in the seed)."""

    entry_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Page:
    """A register's ``[page]``: its page's title and introduction, where the
    book says them (else the builder's words, in the book's language)."""

    title: str = ""
    intro: str = ""


PAGE = Table("page", (), ("title", "intro"), key=None, single=True)


def page_of(entries: dict[str, list[dict]]) -> Page:
    """The ``[page]`` of a register file :func:`~edition.schema.load` read with :data:`PAGE`."""
    found = entries.get(PAGE.name)
    return Page(**{k: " ".join(str(v).split()) for k, v in found[0].items()}) if found else Page()


@dataclass
class Registry:
    persons: dict[str, Person] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    persons_page: Page = Page()
    glossary_page: Page = Page()

    @classmethod
    def load(cls, persons_path: Path, glossary_path: Path,
             bib_keys: Iterable[str] | None = None) -> "Registry":
        keys = set(bib_keys) if bib_keys is not None else None
        persons, persons_page = _load(persons_path, PERSON, Person, keys)
        terms, glossary_page = _load(glossary_path, TERM, Term, keys)
        for term in terms.values():
            if not SAFE_SPELLING_RE.match(term.term):
                raise RegistryError(glossary_path, f"headword {term.term!r} contains markup characters",
                                    f"[[term]] id={term.id!r}")
        return cls(persons, terms, persons_page, glossary_page)


def _table(name: str, cls, required: tuple[str, ...]) -> Table:
    return Table(name, required, tuple(f for f in cls.__dataclass_fields__ if f not in required))


PERSON = _table("person", Person, ("id", "name", "sort", "description"))
TERM = _table("term", Term, ("id", "term", "definition", "spellings"))
# The fields the editor writes in inline MyST (``*Pravda*``, ``{cite:p}`key```),
# printed on a line of their own page and in the note at the first mention.
INLINE_MYST = {"person": ("description", "identification")}


def _load(path: Path, table: Table, cls, bib_keys: set[str] | None) -> tuple[dict, Page]:
    out: dict = {}
    entries = load(path, [table, PAGE], RegistryError, optional=True)
    for entry in entries[table.name]:
        where = table.where(entry, 0)
        for spelling in entry.get("spellings", []):
            if not isinstance(spelling, str) or not SAFE_SPELLING_RE.match(spelling):
                raise RegistryError(path, f"spelling {spelling!r} contains markup characters", where)
        for key in entry.get("refs", []):
            if bib_keys is not None and key not in bib_keys:
                raise RegistryError(path, f"unknown bibliography key {key!r}", where,
                                    "add the work to refs.bib or correct the key")
        for name in INLINE_MYST.get(table.name, ()):
            if isinstance(entry.get(name), str):
                inline_myst(path, RegistryError, where, name, entry[name])
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}
        out[entry["id"]] = cls(**values)
    return out, page_of(entries)


def _word_pattern(spelling: str) -> str:
    # Whole words: no letter or digit directly before or after.
    return rf"(?<![\w]){re.escape(spelling)}(?![\w])"


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"   # what \w matches in a str pattern


def _whole_words(spelling: str, text: str) -> Iterator[tuple[int, int]]:
    """The matches ``re.finditer(_word_pattern(spelling), text)`` finds, by
    ``str.find`` (many times faster on a long text: the register has a
    hundred spellings, and a text may be megabytes long)."""
    size, pos = len(spelling), 0
    while (i := text.find(spelling, pos)) >= 0:
        if (i == 0 or not _is_word_char(text[i - 1])) and (
                i + size == len(text) or not _is_word_char(text[i + size])):
            yield i, i + size
            pos = i + size
        else:
            pos = i + 1


def find_mentions(text: str, entries: Iterable[Person | Term], lo: int = 0,
                  hi: int | None = None) -> list[Mention]:
    """Non-overlapping mentions in ``text[lo:hi]``, longest spellings first."""
    hi = len(text) if hi is None else hi
    candidates: list[tuple[int, int, str]] = []
    excluded: list[tuple[int, int, str]] = []
    part = text[lo:hi]
    for entry in entries:
        for spelling in entry.spellings:
            for start, end in _whole_words(spelling, part):
                candidates.append((lo + start, lo + end, entry.id))
        for phrase in entry.exclude:
            for m in re.finditer(re.escape(phrase), part):
                excluded.append((lo + m.start(), lo + m.end(), entry.id))
    # Both checks below by bisection, not by scanning every exclusion and every
    # mention taken so far: a long text names people thousands of times.
    exclusions: dict[str, tuple[list[int], list[int]]] = {}
    for eid in {eid for _, _, eid in excluded}:
        spans = sorted((s, e) for s, e, x in excluded if x == eid)
        reach, furthest = [], -1
        for _, e in spans:
            furthest = max(furthest, e)
            reach.append(furthest)
        exclusions[eid] = ([s for s, _ in spans], reach)
    taken: list[Mention] = []
    by_start: dict[int, Mention] = {}
    starts: list[int] = []   # of the mentions taken, which never overlap: sorted by start
    for start, end, entry_id in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
        if entry_id in exclusions:
            # Inside an exclusion of its entry: one that starts at or before it reaches its end.
            ex_starts, reach = exclusions[entry_id]
            i = bisect.bisect_right(ex_starts, start)
            if i and reach[i - 1] >= end:
                continue
        i = bisect.bisect_right(starts, start)
        if i and by_start[starts[i - 1]].end > start:
            continue
        if i < len(starts) and starts[i] < end:
            continue
        mention = Mention(entry_id, start, end)
        taken.append(mention)
        starts.insert(i, start)
        by_start[start] = mention
    return sorted(taken, key=lambda m: m.start)
