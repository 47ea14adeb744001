"""The apparatus: ``book/apparatus/<slug>.toml`` → entries resolved against the seed.

Takes the editor's standoff layer and the seed's :class:`~edition.sources.structure.Document`;
gives an :class:`Apparatus` whose every entry knows the character span it
applies to.  An entry is anchored by an exact quotation from the seed; when the
quotation occurs more than once, ``paragraph`` (the number of the paragraph it
is in) or ``occurrence`` (1, 2, … or "all" where the kind allows it) says
which.  A missing, ambiguous or misplaced anchor is an
:class:`~edition.errors.ApparatusError` naming the file, the entry and the text.

Kinds in this file format (``[[kind]]`` tables):

``structure``  the editor's word on what a block is (``kind = "byline"``)
``note``       an editorial note; its call follows the anchor
``citation``   a passage of the seed that cites a work: ``key`` in refs.bib, ``pages``
``omission``   whole blocks left out of the reading text, with ``reason``;
               ``through`` quotes the last block of a run
``emendation`` the seed's reading (the anchor) corrected to ``reading``; ``origin``
               says whose error it was (``author``, ``copy`` or ``author-or-copy``),
               ``reason`` why, where that needs saying
``regularisation`` one class of the copy's typing set right wherever it is listed:
               ``reason`` (said once), ``find`` → ``replace`` within each quotation
               of ``anchors``
``sic``        an error left standing (the anchor), with ``reason``

A ``reason`` is the editor's inline MyST, like a note's text on one line.
``mention``    a person (``person``, an id of book/persons.toml) named in a form
               the register's spellings do not catch ("his father")
``term``       a glossary term (``term``, an id of book/glossary.toml) in a form
               the register's spellings do not catch
``source-note`` whose voice a note of the source is in: ``number``, ``voice``
               (``author`` or ``transcriber``), when the recogniser cannot tell
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import ApparatusError, line_col
from ..schema import Table, inline_myst, load
from ..sources.structure import Block, BlockKind, Document, StructureOverride

BIBKEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

# Where an anchor occurs more than once, which occurrence an entry means.
_WHICH = ("occurrence", "paragraph")
# The kinds of entry (``[[kind]]`` tables) and their fields.
KINDS = (
    Table("structure", ("id", "anchor", "kind"), ("occurrence",)),
    Table("note", ("id", "anchor", "text"), _WHICH),
    Table("citation", ("id", "anchor", "key"), (*_WHICH, "pages")),
    Table("omission", ("id", "anchor", "reason"), (*_WHICH, "through")),
    Table("emendation", ("id", "anchor", "reading", "origin"), (*_WHICH, "reason")),
    Table("regularisation", ("id", "reason", "find", "replace", "anchors")),
    Table("sic", ("id", "anchor", "reason"), _WHICH),
    Table("mention", ("id", "anchor", "person"), _WHICH),
    Table("term", ("id", "anchor", "term"), _WHICH),
    Table("source-note", ("id", "number", "voice")),
)
VOICES = ("author", "transcriber")
# Whose error an emendation corrects: the author's own slip, the copy's (a
# transcription's or a web capture's), or either where the original was not seen.
ORIGINS = ("author", "copy", "author-or-copy")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class EditorialNote:
    id: str
    call: int          # seed offset after which the note's call stands
    text: str          # the editor's MyST


@dataclass(frozen=True)
class Citation:
    id: str
    spans: tuple[Span, ...]
    key: str
    pages: str = ""


@dataclass(frozen=True)
class Omission:
    id: str
    blocks: tuple[Block, ...]
    reason: str


@dataclass(frozen=True)
class Emendation:
    id: str
    start: int
    end: int
    seed_reading: str
    reading: str
    reason: str        # "" where the correction speaks for itself
    origin: str = "author-or-copy"


@dataclass(frozen=True)
class Regularised:
    """One place of a regularisation: the seed's ``seed_reading`` set as ``reading``."""

    id: str            # the place's own id: the class's id and its number, "dashes-3"
    start: int
    end: int
    seed_reading: str
    reading: str


@dataclass(frozen=True)
class Regularisation:
    """A class of the copy's typing set right wherever it is listed."""

    id: str
    reason: str
    places: tuple[Regularised, ...]


@dataclass(frozen=True)
class Sic:
    id: str
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class PersonMention:
    id: str
    start: int
    end: int
    person: str


@dataclass(frozen=True)
class TermMention:
    id: str
    start: int
    end: int
    term: str


@dataclass
class Apparatus:
    path: Path
    notes: list[EditorialNote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    omissions: list[Omission] = field(default_factory=list)
    emendations: list[Emendation] = field(default_factory=list)
    regularisations: list[Regularisation] = field(default_factory=list)
    sics: list[Sic] = field(default_factory=list)
    mentions: list[PersonMention] = field(default_factory=list)
    terms: list[TermMention] = field(default_factory=list)
    voices: dict[str, str] = field(default_factory=dict)   # source note number → voice

    def spans(self) -> list[tuple[int, int, str]]:
        """(start, end, entry id) of every explicit inline span."""
        out = [(s.start, s.end, c.id) for c in self.citations for s in c.spans]
        out += [(e.start, e.end, e.id) for e in self.emendations]
        out += [(p.start, p.end, p.id) for r in self.regularisations for p in r.places]
        out += [(s.start, s.end, s.id) for s in self.sics]
        out += [(m.start, m.end, m.id) for m in self.mentions]
        out += [(t.start, t.end, t.id) for t in self.terms]
        return out

    def omitted_blocks(self) -> dict[int, Omission]:
        """Start offset of each omitted block → its omission."""
        return {b.start: o for o in self.omissions for b in o.blocks}

    def changes(self) -> list[Emendation | Regularised]:
        """Every place the critical text reads otherwise than the seed, in the seed's order."""
        places = [p for r in self.regularisations for p in r.places]
        return sorted([*self.emendations, *places], key=lambda c: c.start)


@dataclass
class ApparatusFile:
    """The raw tables of one apparatus file, checked for shape but not yet
    resolved (structure overrides are needed before the seed is structured)."""

    path: Path
    tables: dict[str, list[dict[str, Any]]]

    @classmethod
    def load(cls, path: Path) -> "ApparatusFile":
        tables = load(path, KINDS, ApparatusError, optional=True)
        for kind, entries in tables.items():
            for entry in entries:
                if "anchor" in entry and not isinstance(entry["anchor"], str):
                    raise ApparatusError(path, "anchor must be a quotation (a string)", _where(kind, entry))
        return cls(path, tables)

    def structure_overrides(self, text: str) -> list[StructureOverride]:
        overrides = []
        for entry in self.tables.get("structure", []):
            try:
                kind = BlockKind(entry["kind"])
            except ValueError:
                raise ApparatusError(
                    self.path, f"unknown block kind {entry['kind']!r}", _where("structure", entry),
                    f"one of {', '.join(k.value for k in BlockKind)}",
                ) from None
            (span,) = _find(self.path, "structure", entry, text, None, allow_all=False)
            # Whether the kind can apply there is for the recogniser to say.
            overrides.append(StructureOverride(span.start, kind, self.path, _where("structure", entry)))
        return overrides

    def resolve(self, doc: Document, bib_keys: Iterable[str] | None = None,
                person_ids: Iterable[str] | None = None,
                term_ids: Iterable[str] | None = None) -> Apparatus:
        """Resolve every entry against the structured seed."""
        known_keys = set(bib_keys) if bib_keys is not None else None
        known_persons = set(person_ids) if person_ids is not None else None
        known_terms = set(term_ids) if term_ids is not None else None
        app = Apparatus(self.path)
        for entry in self.tables.get("omission", []):
            app.omissions.append(self._omission(doc, entry))
        omitted = app.omitted_blocks()

        def check_not_omitted(kind: str, entry: dict, span: Span) -> None:
            block = doc.block_at(span.start)
            if block is not None and block.start in omitted:
                raise ApparatusError(
                    self.path, f"anchor {entry['anchor']!r} lies in text omitted by "
                    f"{omitted[block.start].id!r}", _where(kind, entry),
                )

        def one_span(kind: str, entry: dict) -> Span:
            (span,) = _find(self.path, kind, entry, doc.text, doc, allow_all=False)
            check_not_omitted(kind, entry, span)
            return span

        def require_known(kind: str, entry: dict, field_name: str, known: set[str] | None,
                          what: str, where_to_add: str) -> None:
            if known is not None and entry[field_name] not in known:
                raise ApparatusError(self.path, f"unknown {what} {entry[field_name]!r}",
                                     _where(kind, entry), where_to_add)

        for entry in self.tables.get("citation", []):
            key = entry["key"]
            if not isinstance(key, str) or not BIBKEY_RE.match(key):
                raise ApparatusError(self.path, f"bad bibliography key {key!r}", _where("citation", entry))
            require_known("citation", entry, "key", known_keys, "bibliography key",
                          "add the work to refs.bib or correct the key")
            spans = tuple(_find(self.path, "citation", entry, doc.text, doc, allow_all=True))
            for span in spans:
                check_not_omitted("citation", entry, span)
            app.citations.append(Citation(entry["id"], spans, key, str(entry.get("pages", ""))))
        for entry in self.tables.get("note", []):
            span = one_span("note", entry)
            if not isinstance(entry["text"], str):
                raise ApparatusError(self.path, "the note's text must be a string", _where("note", entry))
            app.notes.append(EditorialNote(entry["id"], span.end, entry["text"].strip()))
        for entry in self.tables.get("emendation", []):
            span = one_span("emendation", entry)
            reading = entry["reading"]
            if not isinstance(reading, str) or reading == entry["anchor"]:
                raise ApparatusError(self.path, "the reading must differ from the seed's",
                                     _where("emendation", entry))
            if entry["origin"] not in ORIGINS:
                raise ApparatusError(self.path, f"origin must be one of {', '.join(ORIGINS)}",
                                     _where("emendation", entry))
            reason = _reason(self.path, "emendation", entry) if "reason" in entry else ""
            app.emendations.append(Emendation(entry["id"], span.start, span.end, entry["anchor"],
                                              reading, reason, entry["origin"]))
        for entry in self.tables.get("regularisation", []):
            app.regularisations.append(self._regularisation(doc, entry, check_not_omitted))
        for entry in self.tables.get("sic", []):
            span = one_span("sic", entry)
            app.sics.append(Sic(entry["id"], span.start, span.end, _reason(self.path, "sic", entry)))
        for entry in self.tables.get("mention", []):
            span = one_span("mention", entry)
            require_known("mention", entry, "person", known_persons, "person id",
                          "add the person to book/persons.toml")
            app.mentions.append(PersonMention(entry["id"], span.start, span.end, entry["person"]))
        for entry in self.tables.get("term", []):
            span = one_span("term", entry)
            require_known("term", entry, "term", known_terms, "glossary term",
                          "add the term to book/glossary.toml")
            app.terms.append(TermMention(entry["id"], span.start, span.end, entry["term"]))
        numbers = {b.source_number for b in doc.blocks if b.kind is BlockKind.NOTE_BODY}
        for entry in self.tables.get("source-note", []):
            number = str(entry["number"])
            if number not in numbers:
                raise ApparatusError(self.path, f"the source has no note {number}", _where("source-note", entry))
            if entry["voice"] not in VOICES:
                raise ApparatusError(self.path, f"voice must be one of {', '.join(VOICES)}",
                                     _where("source-note", entry))
            app.voices[number] = entry["voice"]
        self._check_overlaps(doc, app)
        self._check_textual_ids(app)
        return app

    def _check_textual_ids(self, app: Apparatus) -> None:
        """The textual notes name their entries and places by id: an
        emendation, a sic, a regularisation and each of its places
        ("dashes-3") need ids of their own across those kinds."""
        seen: dict[str, str] = {}
        named = [("emendation", e.id) for e in app.emendations] + [("sic", s.id) for s in app.sics]
        for reg in app.regularisations:
            named += [("regularisation", reg.id)] + [("regularisation", p.id) for p in reg.places]
        for kind, name in named:
            if name in seen and not (kind == seen[name] == "regularisation"):
                raise ApparatusError(self.path, f"the id {name!r} names a {seen[name]} and a {kind}",
                                     f"[[{kind}]] id={name!r}", "give each a name of its own")
            seen[name] = kind

    def _omission(self, doc: Document, entry: dict) -> Omission:
        (first,) = _find(self.path, "omission", entry, doc.text, doc, allow_all=False)
        last = first
        if "through" in entry:
            through = dict(entry, anchor=entry["through"])
            through.pop("paragraph", None)
            through.pop("occurrence", None)
            spans = [s for s in _find(self.path, "omission", through, doc.text, None, allow_all=True)
                     if s.start >= first.start]
            if not spans:
                raise ApparatusError(
                    self.path, f"'through' text {entry['through']!r} not found after the anchor",
                    _where("omission", entry),
                )
            last = spans[0]
        blocks = tuple(b for b in doc.blocks if b.end > first.start and b.start <= last.start)
        if not blocks or blocks[0].kind is BlockKind.TITLE:
            raise ApparatusError(self.path, "an omission cannot take the title", _where("omission", entry))
        return Omission(entry["id"], blocks, str(entry["reason"]))

    def _regularisation(self, doc: Document, entry: dict, check_not_omitted) -> Regularisation:
        where = _where("regularisation", entry)
        find, replace = entry["find"], entry["replace"]
        if not (isinstance(find, str) and find and isinstance(replace, str)) or find == replace:
            raise ApparatusError(self.path, "find and replace must be two different strings, find not empty", where)
        anchors = entry["anchors"]
        if not isinstance(anchors, list) or not anchors or not all(isinstance(a, str) for a in anchors):
            raise ApparatusError(self.path, "anchors must be a list of quotations (strings)", where)
        places = []
        for n, anchor in enumerate(anchors, 1):
            if find not in anchor:
                raise ApparatusError(self.path, f"{find!r} is not in the anchor {anchor!r}", where,
                                     "quote a passage that has what is regularised")
            (span,) = _find(self.path, "regularisation", dict(entry, anchor=anchor), doc.text, doc,
                            allow_all=False)
            check_not_omitted("regularisation", dict(entry, anchor=anchor), span)
            places.append(Regularised(f"{entry['id']}-{n}", span.start, span.end, anchor,
                                      anchor.replace(find, replace)))
        return Regularisation(entry["id"], _reason(self.path, "regularisation", entry), tuple(places))

    def _check_overlaps(self, doc: Document, app: Apparatus) -> None:
        """Explicit spans (citations, emendations, sics, mentions) may nest in
        nothing and overlap nothing; a note's call may not fall inside one."""
        spans = sorted(app.spans())
        for (s1, e1, id1), (s2, e2, id2) in zip(spans, spans[1:]):
            if s2 < e1:
                raise ApparatusError(
                    self.path, f"entries {id1!r} and {id2!r} overlap at {line_col(doc.text, s2)}",
                    f"id={id2!r}", "anchor them on text that does not overlap",
                )
        for note in app.notes:
            for start, end, sid in spans:
                if start < note.call < end:
                    raise ApparatusError(
                        self.path, f"the note's call would fall inside {sid!r}",
                        f"[[note]] id={note.id!r}", "anchor the note at the end of that passage",
                    )


def _text(path: Path, kind: str, entry: dict, field_name: str) -> str:
    value = entry.get(field_name)
    if not isinstance(value, str) or not value.strip():
        raise ApparatusError(path, f"{field_name} must be a non-empty string", _where(kind, entry))
    return value.strip()


def _reason(path: Path, kind: str, entry: dict) -> str:
    """A reason: the editor's inline MyST (a title in italics), one line."""
    return inline_myst(path, ApparatusError, _where(kind, entry), "reason",
                       " ".join(_text(path, kind, entry, "reason").split()))


def _where(kind: str, entry: dict) -> str:
    return f"[[{kind}]] id={entry.get('id', '?')!r}"


def _find(path: Path, kind: str, entry: dict, text: str,
          doc: Document | None, *, allow_all: bool) -> list[Span]:
    """All spans the entry's anchor selects; exactly one unless ``occurrence = "all"``."""
    anchor: str = entry["anchor"]
    where = _where(kind, entry)
    hits = [Span(m.start(), m.start() + len(anchor))
            for m in re.finditer(re.escape(anchor), text)]
    if doc is not None:
        inside = []
        for span in hits:
            block = doc.block_at(span.start)
            if block is not None and block.text_start <= span.start and span.end <= block.text_end:
                inside.append(span)
        hits = inside
    if not hits:
        raise ApparatusError(path, f"anchor {anchor!r} is not in the seed", where,
                             "quote the seed exactly, within one block")
    if "paragraph" in entry:
        if doc is None:
            raise ApparatusError(path, "'paragraph' cannot be used here", where)
        number = str(entry["paragraph"])
        hits = [s for s in hits if (b := doc.block_at(s.start)) and b.paragraph == number]
        if not hits:
            raise ApparatusError(path, f"anchor {anchor!r} is not in paragraph {number}", where)
    occurrence = entry.get("occurrence")
    if occurrence == "all":
        if not allow_all:
            raise ApparatusError(path, "occurrence = \"all\" is not allowed for this kind", where)
        return hits
    if occurrence is not None:
        if not isinstance(occurrence, int) or occurrence < 1:
            raise ApparatusError(path, f"occurrence must be 1, 2, … (got {occurrence!r})", where)
        if occurrence > len(hits):
            raise ApparatusError(
                path, f"anchor {anchor!r} occurs {len(hits)} time(s), not {occurrence}", where
            )
        return [hits[occurrence - 1]]
    if len(hits) > 1:
        places = ", ".join(line_col(text, s.start) for s in hits)
        raise ApparatusError(
            path, f"anchor {anchor!r} is ambiguous: it occurs {len(hits)} times (at {places})",
            where, "add paragraph = N or occurrence = N",
        )
    return hits
