"""``edition copyfit``: the printed pages that end short, filled as a press fills them.

A page may end two or more lines short of its foot because what follows
may not be broken there (a heading kept with its first lines, a paragraph's
last lines with their notes, an entry kept whole). On each such page this
sets paragraphs one line longer, each tracked a little looser
(:data:`edition.copyfit.MAX_TRACKING` at most), until the page is filled
to within a line: the page's own lines grow into its empty foot, and
nothing moves to another page. It lays the book out, reads each page's
fill from the PDF (:mod:`edition.verify.fill`) and where each paragraph's
lines fell (the PDF's build writes it), chooses the paragraphs that need
the least tracking, and lays the book out again to check each one gained
its line (tracking it a step more, or giving it up, if not). The result is
``book/copyfit.toml``, which every later build of that reading and paper
applies.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .. import copyfit
from ..compat.pages import ParagraphLines
from ..project import Project
from ..settings import read_book
from ..verify.fill import fill
from .pipeline import build

# What a page that strands a heading or a label at its foot counts as: lines short.
STRANDED = 99
# Rounds of choosing at most, each a layout.
ROUNDS = 3
# Paragraphs tightened at most for a page, one more at each layout.
PULL_TRIES = 3
# The trackings tried (em), least first; the most is edition.copyfit's.
LEVELS = tuple(round(step * copyfit.TRACKING_STEP, 3)
               for step in range(1, round(copyfit.MAX_TRACKING / copyfit.TRACKING_STEP) + 1))


@dataclass
class Fitting:
    """What ``edition copyfit`` did: the pages it filled and those it could not."""

    fits: dict[str, copyfit.Fit] = field(default_factory=dict)
    filled: list[str] = field(default_factory=list)   # folios
    short: list[str] = field(default_factory=list)    # folios still short, and why
    layouts: int = 0


class _Layouts:
    """The book laid out with a table of fits: each page's fill and folio, and
    each paragraph's lines."""

    def __init__(self, project: Project, paper: str, diplomatic: bool, folder: Path) -> None:
        self.project, self.paper, self.diplomatic = project, paper, diplomatic
        self.book = read_book(project).config
        self.reading = "diplomatic" if diplomatic else "critical"
        self.path = project.book_dir / copyfit.FILE_NAME
        self.tables = copyfit.read(self.path)
        self.lines_file = folder / "lines.json"
        self.count = 0

    def lay_out(self, table: dict[str, copyfit.Fit]):
        self.tables[copyfit.section(self.reading, self.paper)] = table
        copyfit.write(self.path, self.tables)
        outputs = build(self.project, ("pdf",), paper=self.paper, diplomatic=self.diplomatic,
                        quiet=True, pdf_lines=self.lines_file)
        self.count += 1
        pdf = outputs["pdf"] / f"{self.book.basename(self.book.pdf_basename)}.pdf"
        paragraphs = {p["name"]: ParagraphLines(**{**p, "pages": tuple(p["pages"])})
                      for p in json.loads(self.lines_file.read_text(encoding="utf-8"))}
        # A page that leaves a heading or an entry's label at its foot is
        # worse than any short page: counted as though it were empty.
        short = [replace(page, lines_short=STRANDED) if page.stranded else page for page in fill(pdf)
                 if page.opens != "piece" and (page.lines_short > 1 or page.stranded)]
        return short, _folios(pdf), paragraphs


def fit_pages(project: Project, *, paper: str | None = None, diplomatic: bool = False,
              say: Callable[[str], None] = lambda line: None) -> Fitting:
    """Fill the pages that end short (see the module's docstring). A
    paragraph's line breaks do not depend on the page it falls on, so every
    candidate of every short page is tried at once, at each tracking in
    turn. Then, page by page, the least tracked are kept while the page's
    shortfall drops, a layout for each round. From nothing: the book may
    have changed since the last fitting."""
    with tempfile.TemporaryDirectory(prefix="edition-copyfit-") as folder:
        layouts = _Layouts(project, paper or read_book(project).config.pdf_paper, diplomatic, Path(folder))
        short, folios, paragraphs = layouts.lay_out({})
        say(f"copyfit: {len(short)} page(s) end two or more lines short: "
            + (", ".join(folios[p.number - 1] for p in short) or "none"))
        candidates = {page.number: _candidates(page.number - 1, paragraphs) for page in short}
        gains: dict[str, float] = {}        # paragraph → the least tracking that gains it one line
        for level in LEVELS:
            wanted = [key for keys in candidates.values() for key in keys if key not in gains]
            if not wanted:
                break
            _, _, tried = layouts.lay_out({key: copyfit.Fit(level, "") for key in wanted})
            gains.update({key: level for key in wanted
                          if key in tried and tried[key].lines == paragraphs[key].lines + 1})
        table: dict[str, copyfit.Fit] = {}
        shortfall = {page.number: page.lines_short for page in short}
        spent: set[str] = set()
        after, folios_after, laid = short, folios, {}
        for _ in range(ROUNDS):
            picked: dict[int, list[str]] = {}
            for number, lines in shortfall.items():
                chosen = sorted((gains[key], key) for key in candidates[number]
                                if key in gains and key not in spent)
                picked[number] = [key for _, key in chosen[:lines - 1]]
                for key in picked[number]:
                    spent.add(key)
                    table[key] = copyfit.Fit(gains[key], paragraphs[key].begins, folios[number - 1])
            if not any(picked.values()):
                break
            after, folios_after, _ = layouts.lay_out(table)
            laid = dict(table)
            now = {page.number: page.lines_short for page in after}
            for number, keys in picked.items():
                if keys and now.get(number, 0) >= shortfall[number]:
                    for key in keys:      # no help to this page (a line went to the next)
                        del table[key]
                elif keys:
                    shortfall[number] = now.get(number, 0)
            shortfall = {number: lines for number, lines in shortfall.items() if lines > 1}
        if after is short or table != laid:
            after, folios_after, _ = layouts.lay_out(table)
            laid = dict(table)
        after, folios_after = _pull_back(layouts, after, folios_after, paragraphs, table, laid)
    before = {folios[p.number - 1] for p in short}
    still = {folios_after[p.number - 1]: p for p in after}
    return Fitting(fits=table, layouts=layouts.count,
                   filled=[folio for folio in folios if folio in before - set(still)],
                   short=[f"{folio} ({page.lines_short} lines; the next page opens with: {page.opens})"
                          for folio, page in still.items()])


def _pull_back(layouts: _Layouts, short: list, folios: list[str],
               paragraphs: dict[str, ParagraphLines], table: dict[str, copyfit.Fit],
               laid: dict[str, copyfit.Fit]) -> tuple[list, list[str]]:
    """A page still short before what it could not take (a heading with its
    first lines, a paragraph's last lines with their notes) may take it if
    one of its paragraphs is set a line shorter, tracked a little tighter;
    the pages after it in its piece are then broken again, so the
    paragraphs tightened for a page are kept only if the book's short
    lines, all counted, are fewer."""
    def total(pages: list) -> int:
        return sum(page.lines_short for page in pages)

    candidates = {page.number: [key for key, p in paragraphs.items() if p.lines >= 2
                                and key not in table and p.pages[-1] == page.number - 1]
                  for page in short}
    losses: dict[str, float] = {}        # paragraph → the least tightening that loses it a line
    for level in LEVELS:
        wanted = [key for keys in candidates.values() for key in keys if key not in losses]
        if not wanted:
            break
        _, _, tried = layouts.lay_out({**table, **{key: copyfit.Fit(-level, "") for key in wanted}})
        losses.update({key: -level for key in wanted
                       if key in tried and tried[key].lines == paragraphs[key].lines - 1})
    if losses:
        laid = {}
    for page in list(short):
        chosen = sorted((-losses[key], key) for key in candidates[page.number] if key in losses)
        added = []
        for _, key in chosen[:PULL_TRIES]:   # one more each time: a page may need two lines
            table[key] = copyfit.Fit(losses[key], paragraphs[key].begins, folios[page.number - 1])
            added.append(key)
            after, folios_after, _ = layouts.lay_out(table)
            laid = dict(table)
            if total(after) < total(short):
                short, folios = after, folios_after
                break
        else:
            for key in added:
                del table[key]
    if table != laid:
        short, folios, _ = layouts.lay_out(table)
    return short, folios


def _candidates(index: int, paragraphs: dict[str, ParagraphLines]) -> list[str]:
    """The paragraphs of two lines or more whose gained line could land on
    page ``index``: those that end on it or run on from it, and, when it
    opens with a paragraph run on from the page before, those of that page
    (a line gained there pushes one over)."""
    found = [key for key, p in paragraphs.items()
             if p.lines >= 2 and index in p.pages and p.pages[-1] <= index + 1]
    if any(p.pages == (index - 1, index) for p in paragraphs.values()):
        found += [key for key, p in paragraphs.items()
                  if p.lines >= 2 and p.pages in ((index - 1,), (index - 2, index - 1))]
    return found


def _folios(pdf: Path) -> list[str]:
    """Each page's printed folio (the PDF's page labels)."""
    from pypdf import PdfReader

    return list(PdfReader(pdf).page_labels)


def _folio_order(folios: list[str]) -> Callable[[str], int]:
    return lambda folio: folios.index(folio) if folio in folios else len(folios)
