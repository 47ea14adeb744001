"""How full each page of the PDF is, read from the PDF as a designer reads it.

A page is filled when its text runs down to the foot of the text block, or
to its note area, less than a line short. A page may end short for a reason
a typesetter accepts: it ends a piece (the next page opens another), or
what the next page opens with is held together by the book's rules — a
heading kept with its first lines, a paragraph's last lines kept together
(widows), a paragraph too short to be broken (orphans and widows), an entry
kept whole. :func:`fill` gives each
page's shortfall and, for a short page, what the next page opens with.
``scripts/review-fill`` prints it; the tests hold the book to it.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass
from pathlib import Path

# Lines a paragraph keeps at a page's foot and at its head (print.css:
# orphans and widows of 2): one of at most three lines cannot be broken.
WIDOWS = 2
UNBREAKABLE_LINES = 3
# The space above the note area's rule (print.css: @footnote's margin-top, 3 mm), in pt.
NOTE_AREA_GAP = 3 * 72 / 25.4
# How much smaller than the body the note area's text is set.
SMALLER = 0.5


@dataclass(frozen=True)
class Line:
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    italic: bool
    text: str


@dataclass(frozen=True)
class PageFill:
    number: int            # 1-based, as a viewer counts
    lines_short: int       # whole body lines that would still fit
    last: str              # the page's last body line
    opens: str             # what the next page opens with: "piece", "heading", "entry", "kept" or "text"
    unit_lines: int        # the next page's first unit: its lines (up to where it may break)
    stranded: bool = False  # its last line is a heading or an entry's label, its text on the next page
    room: float = 0.0       # pt left under its last line
    leading: float = 0.0    # pt, the body's

    @property
    def accepted(self) -> bool:
        """Filled, or short because what follows may not be broken: another
        piece, a heading (kept with its first lines), an entry (kept whole),
        a paragraph or a paragraph's end of at most three lines (orphans and
        widows), which did not fit with the notes it calls."""
        return self.lines_short <= 1 or self.opens != "text"


def _lines(page, top: float, bottom: float, body: float) -> tuple[list[Line], float | None]:
    """The page's lines inside the text block, and the top of its note area
    (None without notes): the lowest rule with only smaller text under it."""
    chars = [c for c in page.chars if not c["text"].isspace()
             and top - 1 <= c["top"] and c["bottom"] <= bottom + 1]
    notes = None
    for rule in sorted((r["top"] for r in page.rects if r["width"] > 30), reverse=True):
        below = [c for c in chars if c["top"] >= rule]
        if below and all(c["size"] < body - SMALLER for c in below):
            notes = rule
        break
    text = [c for c in chars if notes is None or c["bottom"] < notes]
    # Rows by baseline; a note call (set small and raised) joins the row it stands in.
    rows: dict[int, list] = collections.defaultdict(list)
    for c in text:
        if c["size"] >= 0.75 * body:
            rows[round(c["bottom"])].append(c)
    # (A paragraph number, set small in the margin 2 mm off the text, is not.)
    spans = {row: (min(c["x0"] for c in found), max(c["x1"] for c in found))
             for row, found in rows.items()}
    for c in text:
        if c["size"] < 0.75 * body:
            row = min(rows, key=lambda bottom: abs(bottom - c["bottom"]), default=None)
            if row is None or abs(row - c["bottom"]) >= body:
                rows[round(c["bottom"])].append(c)
            elif spans[row][0] - 3 <= c["x0"] and c["x1"] <= spans[row][1] + 3:
                rows[row].append(c)
    lines = []
    for _, row in sorted(rows.items()):
        row.sort(key=lambda c: c["x0"])
        sizes = collections.Counter(round(c["size"], 1) for c in row)
        lines.append(Line(min(c["top"] for c in row), max(c["bottom"] for c in row),
                          row[0]["x0"], row[-1]["x1"], sizes.most_common(1)[0][0],
                          all("Bold" in c["fontname"] for c in row),
                          all("Italic" in c["fontname"] for c in row),
                          "".join((" " if before is not None and c["x0"] - before["x1"] > 0.2 * c["size"]
                                   else "") + c["text"]
                                  for before, c in zip([None, *row], row))))
    return lines, notes


def fill(pdf: Path) -> list[PageFill]:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        chars = [c for p in document.pages for c in p.chars if not c["text"].isspace()]
        body = collections.Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
        # The text block: where most pages' body text starts, and the lowest it reaches.
        heads = collections.Counter(
            round(min(c["top"] for c in found), 1) for page in document.pages
            if (found := [c for c in page.chars if abs(c["size"] - body) < 0.05]))
        top = heads.most_common(1)[0][0]
        bottom = max(c["bottom"] for c in chars if abs(c["size"] - body) < 0.05)
        pages = [_lines(page, top, bottom, body) for page in document.pages]
        pieces = _pieces(pdf)
    leading = _leading(pages, body)
    found = []
    for number, (lines, notes) in enumerate(pages, start=1):
        if not lines or number == len(pages):
            continue
        limit = (notes - NOTE_AREA_GAP) if notes is not None else bottom
        room = limit - lines[-1].bottom
        short = max(0, int(room / leading + 0.02))
        following = pages[number][0]
        opens, unit = ("piece", []) if number in pieces else _opening(following, top, body, leading)
        found.append(PageFill(number, short, lines[-1].text, opens, len(unit),
                              _label(lines[-1], body), room, leading))
    return found


def _label(line: Line, body: float) -> bool:
    """A heading's line, or an entry's label (a date, a headword) alone on
    its line: set bold, or larger than the body."""
    return line.bold or line.size > body + 0.05


def _pieces(pdf: Path) -> set[int]:
    """The 0-based pages on which a piece opens: those the outline's first two
    levels (the book's parts and pieces) lead to."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    opening = set()

    def walk(entries, level):
        for entry in entries:
            if isinstance(entry, list):
                if level < 1:
                    walk(entry, level + 1)
            else:
                opening.add(reader.get_destination_page_number(entry))
    walk(reader.outline, 0)
    return opening


def _leading(pages: list, body: float) -> float:
    """The body's leading: the most common distance between successive body lines."""
    steps = collections.Counter(
        round(b.bottom - a.bottom, 1) for lines, _ in pages for a, b in zip(lines, lines[1:])
        if abs(a.size - body) < 0.05 and abs(b.size - body) < 0.05)
    return steps.most_common(1)[0][0]


def _opening(lines: list[Line], top: float, body: float, leading: float) -> tuple[str, list[Line]]:
    """What a page opens with, and its first unit: the lines up to the first
    place the page could have been broken before."""
    if not lines or lines[0].top - top > 3 * leading or lines[0].size >= 1.3 * body:
        return "piece", []          # a blank page, or a piece's opening page
    # The registers are set smaller than the texts: there, their own size.
    if not any(abs(line.size - body) < 0.05 and not line.bold for line in lines):
        body = collections.Counter(line.size for line in lines).most_common(1)[0][0]
    first = lines[0]
    if first.size > body + 0.05 or first.bold or first.italic:
        return "heading", lines[:1]
    margin = min(line.x0 for line in lines if abs(line.size - body) < 0.05)

    def indented(line: Line) -> bool:
        return line.x0 > margin + 2

    def same_block(before: Line, line: Line) -> bool:
        return abs(line.size - body) < 0.05 and line.top - before.bottom < 0.6 * leading

    rest = lines[1:]
    # An entry whose lines hang under its first (registers, chronology, notes
    # of the textual apparatus): kept whole.
    if not indented(first) and rest and indented(rest[0]) and same_block(first, rest[0]):
        unit = [first]
        for line in rest:   # (its last line may be set smaller: the chronology's "Discussed in")
            if not indented(line) or line.top - unit[-1].bottom >= 0.6 * leading:
                break
            unit.append(line)
        return "entry", unit
    # A paragraph, or a paragraph's last lines: up to the next that starts.
    unit = [first]
    for line in rest:
        if indented(line) or not same_block(unit[-1], line):
            break
        unit.append(line)
    # A paragraph's end of one line (a widow) could have been avoided; one of
    # at most three lines could not be broken.
    widow = not indented(first) and len(unit) < WIDOWS
    return ("kept" if len(unit) <= UNBREAKABLE_LINES and not widow else "text"), unit
