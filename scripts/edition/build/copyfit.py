"""``edition copyfit``: the printed pages that end short, filled as a press fills them.

A page may end two or more lines short of its foot because what follows
may not be broken there (a heading kept with its first lines, a paragraph's
last lines with their notes, an entry kept whole). Three means, tried in
this order (see ``scripts/docs/formats.md``):

1. paragraphs on the page set one line longer, each tracked a little
   looser (:data:`edition.copyfit.MAX_TRACKING` at most): the page's own
   lines grow into its empty foot, and nothing moves to another page;
2. a paragraph set one line shorter, tracked tighter, so that the page
   takes what it could not (:func:`_pull_back`);
3. the gaps the page already has stretched, as a flush-bottom page's glue
   (:func:`_spread`).

It lays the book out, reads each page's fill from the PDF
(:mod:`edition.verify.fill`) and where each paragraph's lines fell (the
PDF's build writes it), and keeps each change only where a new layout shows
it did what it was meant to. The result is ``book/copyfit.toml``, which
every later build of that reading and paper applies.
"""

from __future__ import annotations

import json
import math
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
# The room a stretched page keeps under its last line, in lines: less than
# two, so one whole line at most (edition.verify.fill's measure).
LEFT = 1.9
# CSS px (the boxes' unit) in pt (the PDF's).
PT_PER_PX = 0.75
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

    def __init__(self, project: Project, paper: str | None, diplomatic: bool, folder: Path) -> None:
        self.book = read_book(project).config
        self.project, self.paper, self.diplomatic = project, paper or self.book.pdf_paper, diplomatic
        self.reading = "diplomatic" if diplomatic else "critical"
        self.path = project.book_dir / copyfit.FILE_NAME
        self.tables = copyfit.read(self.path)
        self.lines_file = folder / "lines.json"
        self.count = 0
        self._last: tuple[dict, tuple] | None = None   # the last table laid out, and what it gave

    def current(self, table: dict[str, copyfit.Fit]):
        """The book as ``table`` sets it: the last layout if it was of that
        table, else a new one."""
        if self._last is not None and self._last[0] == table:
            return self._last[1]
        return self.lay_out(table)

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
        self._last = (dict(table), (short, _folios(pdf), paragraphs))
        return self._last[1]


def fit_pages(project: Project, *, paper: str | None = None, diplomatic: bool = False,
              say: Callable[[str], None] = lambda line: None) -> Fitting:
    """Fill the pages that end short (see the module's docstring). A
    paragraph's line breaks do not depend on the page it falls on, so every
    candidate of every short page is tried at once, at each tracking in
    turn. Then, page by page, the least tracked are kept while the page's
    shortfall drops, a layout for each round. From nothing: the book may
    have changed since the last fitting."""
    with tempfile.TemporaryDirectory(prefix="edition-copyfit-") as folder:
        layouts = _Layouts(project, paper, diplomatic, Path(folder))
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
            after, _, _ = layouts.lay_out(table)
            now = {page.number: page.lines_short for page in after}
            for number, keys in picked.items():
                if keys and now.get(number, 0) >= shortfall[number]:
                    for key in keys:      # no help to this page (a line went to the next)
                        del table[key]
                elif keys:
                    shortfall[number] = now.get(number, 0)
            shortfall = {number: lines for number, lines in shortfall.items() if lines > 1}
        _pull_back(layouts, paragraphs, table)
        after, folios_after, _ = _spread(layouts, table)
    before = {folios[p.number - 1] for p in short}
    still = {folios_after[p.number - 1]: p for p in after}
    return Fitting(fits=table, layouts=layouts.count,
                   filled=[folio for folio in folios if folio in before - set(still)],
                   short=[f"{folio} ({page.lines_short} lines; the next page opens with: {page.opens})"
                          for folio, page in still.items()])


def _pull_back(layouts: _Layouts, paragraphs: dict[str, ParagraphLines],
               table: dict[str, copyfit.Fit]) -> None:
    """A page still short before what it could not take (a heading with its
    first lines, a paragraph's last lines with their notes) may take it if
    one of its paragraphs is set a line shorter, tracked a little tighter;
    the pages after it in its piece are then broken again, so the
    paragraphs tightened for a page are kept only if the book's short
    lines, all counted, are fewer."""
    def total(pages: list) -> int:
        return sum(page.lines_short for page in pages)

    short, folios, _ = layouts.current(table)
    candidates = {page.number: [key for key, p in paragraphs.items() if p.tag == "p" and p.lines >= 2
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
    for page in list(short):
        chosen = sorted((-losses[key], key) for key in candidates[page.number] if key in losses)
        added = []
        for _, key in chosen[:PULL_TRIES]:   # one more each time: a page may need two lines
            table[key] = copyfit.Fit(losses[key], paragraphs[key].begins, folios[page.number - 1])
            added.append(key)
            after, folios_after, _ = layouts.lay_out(table)
            if total(after) < total(short):
                short, folios = after, folios_after
                break
        else:
            for key in added:
                del table[key]


def _spread(layouts: _Layouts, table: dict[str, copyfit.Fit]) -> tuple[list, list[str], dict]:
    """A page still short, where no paragraph takes or gives a line, is
    filled as a flush-bottom page is: the gaps it already has between its
    blocks (above its headings, between register entries and a headnote's
    fields, before a text's first paragraph) grow, each by the same factor, at most to
    :data:`edition.copyfit.MAX_STRETCH` times its own, until the page is
    within a line of its foot. A page that this does not fill is left as
    it was. Gives the book as it then is."""
    short, folios, paragraphs = layouts.current(table)
    spread: dict[int, list[str]] = {}
    for page in short:
        index = page.number - 1
        if page.stranded or not page.leading:
            continue
        gaps = [p for p in paragraphs.values() if p.pages[0] == index and p.space_above > 0.5]
        natural = sum(p.space_above for p in gaps) * PT_PER_PX
        # Stretched no more than it must be: to within a line of the foot.
        needed = page.room - LEFT * page.leading
        if needed <= 0 or not gaps or needed > (copyfit.MAX_STRETCH - 1) * natural:
            continue
        for p in gaps:
            tracking = table[p.name].tracking if p.name in table else 0.0
            table[p.name] = copyfit.Fit(tracking, p.begins, folios[index],
                                        math.ceil(p.space_above * PT_PER_PX * needed / natural * 100) / 100)
        spread[page.number] = [p.name for p in gaps]
    if not spread:
        return short, folios, paragraphs
    after, _, _ = layouts.lay_out(table)
    worse = [number for number in spread
             if any(page.number == number for page in after) or sum(p.lines_short for p in after)
             > sum(p.lines_short for p in short)]
    if not worse:
        return layouts.current(table)
    for number in worse:    # (all of them when the book got worse: which one did is not known)
        for key in spread[number]:
            fit = table[key]
            if fit.tracking:
                table[key] = copyfit.Fit(fit.tracking, fit.begins, fit.page)
            else:
                del table[key]
    return layouts.lay_out(table)


def _candidates(index: int, paragraphs: dict[str, ParagraphLines]) -> list[str]:
    """The paragraphs of two lines or more whose gained line could land on
    page ``index``: those that end on it or run on from it, and, when it
    opens with a paragraph run on from the page before, those of that page
    (a line gained there pushes one over)."""
    found = [key for key, p in paragraphs.items()
             if p.tag == "p" and p.lines >= 2 and index in p.pages and p.pages[-1] <= index + 1]
    if any(p.pages == (index - 1, index) for p in paragraphs.values()):
        found += [key for key, p in paragraphs.items()
                  if p.tag == "p" and p.lines >= 2 and p.pages in ((index - 1,), (index - 2, index - 1))]
    return found


def _folios(pdf: Path) -> list[str]:
    """Each page's printed folio (the PDF's page labels)."""
    from pypdf import PdfReader

    return list(PdfReader(pdf).page_labels)
