"""Render, the textual notes: every place a text reads otherwise than its source.

After each text, apart from the explanatory notes, as critical editions print
a textual apparatus: an entry "¶N lemma] source reading" for each emendation
(with whose error it was, and a reason where one is needed), each [sic] (with
its reason), and one entry for each class of regularisation, listing its
places.  The text carries no note call for them: the changed words and the
[sic] link to their entry, and each entry's place links back.

Conventions relied on by :mod:`edition.sphinxext.textual` (which makes the
links): the spot in the text is an inline of class ``app-at-<spot>`` (with
``app-to-<entry>``, the entry it links to); an entry is a paragraph whose
target is ``<slug>-tn-<entry>``; the place that links back is an inline of
class ``app-back-<spot>``.  The section's target is ``<slug>-textual-notes``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable

from ..apparatus.entries import Apparatus, Emendation, Regularisation, Sic
from ..words import Words
from .escape import escape_text, sentence

# A [sic] longer than this many words is cited by its first and last ("would … instruct").
LEMMA_WORDS = 5


def esc(text: str) -> str:
    return escape_text(text, line_start=False)


def section_label(slug: str) -> str:
    return f"{slug}-textual-notes"


def entry_label(slug: str, entry: str) -> str:
    return f"{slug}-tn-{entry}"


def spot_classes(spot: str, entry: str) -> str:
    """The classes of a changed reading or [sic] in the text (MyST attributes)."""
    return f".app-at-{spot} .app-to-{entry}"


def shortened(seed: str, reading: str) -> tuple[str, str]:
    """The source's reading and the lemma as an apparatus prints them: the
    words that differ ("choose" and "chose"), with a word either side where
    one reading has no word there (an added or dropped word) or the change
    is of punctuation alone, "…" between changes apart (the same words left
    out of both)."""
    seed, reading = seed.replace("\n", " "), reading.replace("\n", " ")
    a, b = seed.split(" "), reading.split(" ")
    keep_a: set[int] = set()
    keep_b: set[int] = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        # An added or dropped word, or a change of punctuation alone ("--"
        # for "—"), is shown with a word either side.
        wordless = not any(ch.isalnum() for ch in " ".join(a[i1:i2] + b[j1:j2]))
        context = 1 if i1 == i2 or j1 == j2 or wordless else 0
        keep_a.update(range(max(i1 - context, 0), min(i2 + context, len(a))))
        keep_b.update(range(max(j1 - context, 0), min(j2 + context, len(b))))
    return _with_gaps(a, keep_a), _with_gaps(b, keep_b)


def _with_gaps(words: list[str], keep: set[int]) -> str:
    """The kept words, "…" only between kept runs (not before the first or after the last)."""
    out: list[str] = []
    for i, word in enumerate(words):
        if i in keep:
            if out and i - 1 not in keep:
                out.append("…")
            out.append(word)
    return " ".join(out).strip()


def _ends(text: str) -> str:
    """A long passage as its first and last words ("would … instruct")."""
    words = text.split(" ")
    return text if len(words) <= LEMMA_WORDS else f"{words[0]} … {words[-1]}"


@dataclass(frozen=True)
class _Entry:
    start: int
    label: str          # the entry's own name (an apparatus id)
    body: str           # MyST, after the place


class TextualNotes:
    """The textual notes of one text (MyST), from its apparatus."""

    def __init__(self, slug: str, text: str, apparatus: Apparatus, words: Words,
                 place: Callable[[int], str]) -> None:
        self.slug, self.text, self.apparatus, self.words, self.place = slug, text, apparatus, words, place

    def _at(self, spot: str, offset: int) -> str:
        """The place of a spot, linking back to it."""
        return f"[{esc(self.place(offset))}]{{.app-place .app-back-{spot}}}"

    def _reading(self, spot: str, offset: int, seed: str, reading: str) -> str:
        source, lemma = shortened(seed, reading)
        return f"{self._at(spot, offset)} {esc(lemma)}\\] {esc(source)}"

    def _emendation(self, em: Emendation) -> _Entry:
        origin = self.words(f"textual.origin.{em.origin}")
        body = f"{self._reading(em.id, em.start, em.seed_reading, em.reading)} ({esc(origin)})."
        if em.reason:
            body += f" {sentence(em.reason)}"   # the editor's inline MyST
        return _Entry(em.start, em.id, body)

    def _sic(self, sic: Sic) -> _Entry:
        body = f"{self._at(sic.id, sic.start)} {esc(_ends(self.text[sic.start:sic.end]))}\\] *sic*. {sentence(sic.reason)}"
        return _Entry(sic.start, sic.id, body)

    def _regularisation(self, reg: Regularisation) -> _Entry:
        places = "; ".join(self._reading(p.id, p.start, p.seed_reading, p.reading) for p in reg.places)
        body = f"*{self.words('textual.regularised')}.* {reg.reason} {places}."
        return _Entry(reg.places[0].start, reg.id, body)

    def render(self) -> list[str]:
        """The section's MyST lines, or none where the text has no entry."""
        app = self.apparatus
        classes = [self._regularisation(r) for r in app.regularisations]
        entries = sorted([self._emendation(e) for e in app.emendations]
                         + [self._sic(s) for s in app.sics], key=lambda e: e.start)
        if not classes and not entries:
            return []
        lines = [f"({section_label(self.slug)})=", f"## {self.words('textual.title')}", "",
                 "```{container} textual-notes", f"[{esc(self.words('textual.intro'))}]{{.textual-intro}}", ""]
        for entry in classes + entries:
            lines += [f"({entry_label(self.slug, entry.label)})=", entry.body, ""]
        return lines + ["```", ""]
