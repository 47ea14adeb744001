"""The edition's names: slugs, ids, and the anchors of paragraphs.

A slug names a text (``furr-beria-reform``); an id names an entry of the
apparatus or of a register. Both are lower-case letters and digits joined by
single hyphens (:data:`SLUG_RE`), so that they are safe in file names, URLs,
HTML ids, CSS classes and MyST labels alike.

Every paragraph of a text has the anchor ``<slug>-p<N>``: N is the source's
own number where the source numbers its paragraphs, the edition's count
elsewhere, and ``N+`` for an unnumbered paragraph that follows the source's
paragraph N. Editors name a paragraph as ``"<slug> <N>"`` (the ``{para}``
role, the chronology's ``paragraphs``), and several of one text as
``"<slug> 5, 8, 14-16"`` (the ``{para}`` role). This module is the one place that
writes and reads both forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_RE = re.compile(rf"^{SLUG_PATTERN}$")
PARAGRAPH_ANCHOR_RE = re.compile(rf"^(?P<slug>{SLUG_PATTERN})-p(?P<number>\d+\+?)$")
PARAGRAPH_NAME_RE = re.compile(rf"^(?P<slug>{SLUG_PATTERN})\s+(?P<number>\d+)$")
PARAGRAPHS_NAME_RE = re.compile(rf"^(?P<slug>{SLUG_PATTERN})\s+(?P<numbers>\d+(?:\s*[-–]\s*\d+)?"
                                rf"(?:\s*,\s*\d+(?:\s*[-–]\s*\d+)?)*)$")


def is_slug(text: object) -> bool:
    """Whether ``text`` is a slug or id: ``lower-case-with-hyphens``."""
    return isinstance(text, str) and SLUG_RE.match(text) is not None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a text: its slug and its number (``"35"``, ``"32+"``)."""

    slug: str
    number: str

    @property
    def anchor(self) -> str:
        return paragraph_anchor(self.slug, self.number)


def paragraph_anchor(slug: str, number: str) -> str:
    """``furr-beria-reform``, ``35`` → ``furr-beria-reform-p35``."""
    return f"{slug}-p{number}"


def parse_anchor(anchor: str) -> Paragraph | None:
    """The paragraph an anchor (or a URI ending in ``#anchor``) names, or None."""
    match = PARAGRAPH_ANCHOR_RE.match(anchor.rpartition("#")[2])
    return Paragraph(match["slug"], match["number"]) if match else None


def parse_name(text: str) -> Paragraph | None:
    """The paragraph ``"<slug> <N>"`` names, or None if it is not of that form."""
    match = PARAGRAPH_NAME_RE.match(text.strip())
    return Paragraph(match["slug"], match["number"]) if match else None


def parse_names(text: str) -> list[Paragraph] | None:
    """The paragraphs ``"<slug> 5, 8, 14-16"`` names, in that order (a range
    is each of its numbers), or None if it is not of that form."""
    match = PARAGRAPHS_NAME_RE.match(text.strip())
    if match is None:
        return None
    numbers: list[int] = []
    for part in match["numbers"].split(","):
        first, _, last = part.replace("–", "-").partition("-")
        start, end = int(first), int(last or first)
        if end < start:
            return None
        numbers += range(start, end + 1)
    return [Paragraph(match["slug"], str(n)) for n in numbers]


def run_text(first: int, last: int) -> str:
    """A run as a reference prints it: "5", "14–16"."""
    return str(first) if first == last else f"{first}\u2013{last}"


def runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as runs: [5, 8, 14, 15, 16] → [(5, 5), (8, 8), (14, 16)]."""
    out: list[tuple[int, int]] = []
    for n in numbers:
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out
