"""Stage 6, verify: every word of every seed, in order, in every built format.

Takes the project (seeds, structure and apparatus, through
:func:`edition.chapters.prepare`) and the outputs already built in its build
folder — ``html/texts/<slug>.html``, ``texts/<slug>.xhtml`` inside
``epub/*.epub`` and the text's pages of ``pdf/*.pdf`` (under ``diplomatic/``
for the diplomatic edition).  Gives a :class:`Report`: the number of words
verified per format and every difference between the words the reader must
read and the words the output shows, each with the format, the text, its kind
(``lost``, ``extra``, ``reordered``, ``changed``), the seed's ``line:column``
and the words.

**Expected** (:func:`expected`), per text: the words of the seed's blocks in
the order the edition sets them, with exactly the differences the edition
declares —

* the title block is set first, as the chapter's heading (a text without one
  is headed by its catalogue title, an edition word);
* an emendation's seed reading is replaced by the edition's reading (critical
  edition only; the diplomatic edition keeps the seed's reading);
* an omitted run of blocks is replaced by the omission marker ``[…]``
  (critical; the diplomatic edition keeps the blocks);
* a call of one of the source's own notes (``[1]``) is set as a note call, and
  that note's text (without its number) is a note of its own, verified as a
  separate stream ``note N``; notes the text never calls follow the text under
  the edition's heading "Notes".

**Actual**, per format: the words of the chapter's main content without the
edition's own additions — the headnote, note calls, paragraph numbers,
permalinks, citation widgets, editorial marks (``[sic]``, ``[image not
preserved]``, an editor's bracketed comment in a source note) and the notes'
bodies (the source's notes are read from their own note, without label and
voice).  The PDF is read from the PDF alone (:func:`pdf_text`), measured
rather than assumed: the text size is its commonest size; running heads and
folios are the smaller lines at the top and foot of a page, outside all text
of that size; the note area lies under the lowest rule with only smaller
text below it; note calls and paragraph numbers are set well below the size
of their line; the headnote is the ruled box under the title; a chapter runs
from the page its title opens to the next page opened by a heading as large;
editorial marks are the italic ones.  The PDF's hyphenation (U+2010 at a
line end) is undone, a word broken at a hyphen or dash at a line end is
rejoined where the seed has it whole, right-to-left script is put back in
reading order (a line whose strong characters at both ends are right to left
is read as a right-to-left line), a character drawn with no glyph of its own
(a font without it) reads as U+FFFD, and a glyph the PDF draws without text
of its own (WeasyPrint gives a cluster's text to one of its glyphs, and a
Hebrew point may lose its own) stands for the marks the seed's word has.

**Normalised**: Unicode NFC, and every kind of white space (U+00A0 included)
separates words.  Nothing else: the note on the text says that quotation
marks, apostrophes, dashes and hyphens are printed as the sources have them,
so a changed quote or dash is a difference.  In the PDF only, Unicode's
default-ignorable characters (joiners, variation selectors, the soft
hyphen, direction marks), which are never drawn, are not compared.

The comparison aligns the two word sequences (:class:`difflib.SequenceMatcher`
without its junk heuristic); a run of words lost in one place and found in
another is reported once, as ``reordered``.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Iterable

from .build import FORMATS, output_dir
from .chapters import Chapter, prepare
from .errors import EditionError, line_col
from .fonts import never_drawn
from .project import Project
from .structure import BlockKind, MarkKind

OMISSION_MARKER = "[…]"
NOTES_HEADING = "Notes"
WORD_RE = re.compile(r"\S+")

# The edition's additions inside a chapter's HTML/EPUB main content.  None
# of these can come from a seed (seed text is escaped), so taking them out
# cannot hide a loss: seed words inside one of them would be reported lost.
HTML_ADDITIONS = ", ".join([
    '[role="doc-footnote"]', "aside.footnote-list", "aside.footnote",   # notes (foot, side)
    "hr.footnotes",
    '[role="doc-noteref"]', ".footnote-reference",                      # note calls
    "div.headnote",                                                     # the catalogue's headnote
    ".para-num", ".headerlink", "details.para-cite",                    # numbers, permalinks, citing
    ".editorial",                                                       # [sic], [image not preserved]
    "script", "style", "template", "noscript", "button", "nav",          # page furniture
])
NOTE_PARTS = ", ".join(["span.label", ".sidenote-mark", ".note-voice", ".editorial",
                        ".footnote-reference", '[role="doc-noteref"]', "button"])
BLOCK_TAGS = ["p", "div", "section", "aside", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
              "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "pre", "br", "hr",
              "figure", "figcaption", "header", "footer", "nav", "main", "article",
              "details", "summary"]
SOURCE_NOTE_ID_RE = re.compile(r"^(?:au|tr)-(\d+)$")

# PDF: measured on the PDF (see _pdf_pages), not taken from the stylesheet.
PDF_CALL_RATIO = 0.8       # a note call or paragraph number is set well below its line's size
PDF_SPACE_GAP = 1.0        # pt between two glyphs that means a space
PDF_HYPHEN = "\u2010"      # WeasyPrint's hyphen at an automatic break
PDF_EDITORIAL_RE = re.compile(r"\[sic\]|\[image\s+not\s+preserved\]")
PDF_VOICES = ("Author.", "Transcriber.", "Editor.")
PDF_MARKER_RE = re.compile(r"^(?:\d+|[a-z]{1,3})\.$")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def words(text: str) -> list[str]:
    """The words of a text: NFC, split at every kind of white space."""
    return [nfc(w) for w in WORD_RE.findall(text)]


# -- expected ---------------------------------------------------------------------

@dataclass(frozen=True)
class Word:
    text: str
    offset: int             # where in the seed it comes from
    edition: bool = False   # a word the edition adds (the omission marker, "Notes")


@dataclass
class Expected:
    """What the reader must read of one text."""

    slug: str
    seed: str
    title: list[Word]
    text: list[Word]
    notes: dict[str, list[Word]] = field(default_factory=dict)   # source note number → its words


def _seed_words(seed: str, lo: int, hi: int, edits: Iterable[tuple[int, int, str]] = ()) -> list[Word]:
    """The words of ``seed[lo:hi]`` with each edit ``(start, end, replacement)``
    applied; a word keeps the seed offset of its first character."""
    parts: list[str] = []
    offsets: list[int] = []
    pos = lo
    for start, end, replacement in sorted(edits):
        if start < pos or end > hi:
            continue
        parts.append(seed[pos:start])
        offsets.extend(range(pos, start))
        parts.append(replacement)
        offsets.extend([start] * len(replacement))
        pos = end
    parts.append(seed[pos:hi])
    offsets.extend(range(pos, hi))
    text = "".join(parts)
    return [Word(nfc(m.group()), offsets[m.start()]) for m in WORD_RE.finditer(text)]


def expected(chapter: Chapter, diplomatic: bool = False) -> Expected:
    """The words of one text as the edition must set them (see the module's docstring)."""
    doc, app, seed = chapter.document, chapter.apparatus, chapter.seed.text
    omitted = app.omitted_blocks()
    emendations = [] if diplomatic else [(e.start, e.end, e.reading) for e in app.emendations]
    called = {m.label for b in doc.blocks for m in b.marks if m.kind is MarkKind.NOTE_REF}

    def block_words(block, start: int | None = None) -> list[Word]:
        edits = [(m.start, m.end, "") for m in block.marks if m.kind is MarkKind.NOTE_REF]
        return _seed_words(seed, block.text_start if start is None else start, block.text_end,
                           edits + emendations)

    title_block = next((b for b in doc.blocks if b.kind is BlockKind.TITLE), None)
    if title_block is not None:
        title = block_words(title_block)
    else:
        title = [Word(w, 0, True) for w in words(chapter.seed.entry.title)]
    text = list(title)
    notes: dict[str, list[Word]] = {}
    orphans = []
    seen_omissions: set[str] = set()
    for block in doc.blocks:
        if block is title_block:
            continue
        omission = omitted.get(block.start)
        if omission is not None:
            if diplomatic:
                # The diplomatic text sets omitted blocks as the seed has them.
                text += _seed_words(seed, block.text_start, block.text_end)
            elif omission.id not in seen_omissions:
                seen_omissions.add(omission.id)
                text.append(Word(OMISSION_MARKER, block.text_start, True))
            continue
        if block.kind is BlockKind.NOTE_BODY:
            if block.source_number in called:
                prefix = f"{block.source_number}. "
                start = block.text_start + (len(prefix) if block.text.startswith(prefix) else 0)
                notes[block.source_number] = block_words(block, start)
            else:
                orphans.append(block)
            continue
        text += block_words(block)
    if orphans:
        text.append(Word(NOTES_HEADING, orphans[0].text_start, True))
        for block in orphans:
            text += block_words(block)
    return Expected(chapter.seed.entry.slug, seed, title, text, notes)


# -- differences ------------------------------------------------------------------

@dataclass(frozen=True)
class Difference:
    fmt: str
    slug: str
    stream: str          # "text" or "note N"
    kind: str            # lost, extra, reordered, changed
    place: str           # line:column in the seed
    expected: tuple[str, ...] = ()
    actual: tuple[str, ...] = ()
    moved_to: str = ""   # reordered: the seed place the words now stand before

    def __str__(self) -> str:
        where = f"seeds/{self.slug}.txt:{self.place}"
        stream = "" if self.stream == "text" else f" ({self.stream})"
        if self.kind == "lost":
            what = f"{_quote(self.expected)} is missing"
        elif self.kind == "extra":
            what = f"{_quote(self.actual)} is not in the seed (before this place)"
        elif self.kind == "reordered":
            what = f"{_quote(self.expected)} stands elsewhere (before {self.moved_to})"
        else:
            what = f"{_quote(self.expected)} reads {_quote(self.actual)}"
        return f"{self.fmt}: {where}: {self.kind}{stream}: {what}"


def _quote(ws: tuple[str, ...], limit: int = 12) -> str:
    shown = " ".join(ws[:limit]) + (" …" if len(ws) > limit else "")
    count = f" ({len(ws)} words)" if len(ws) > limit else ""
    return f"“{shown}”{count}"


def compare(fmt: str, slug: str, stream: str, seed: str, want: list[Word],
            got: list[str]) -> list[Difference]:
    """Align the expected words with the output's and name every difference."""
    a = [w.text for w in want]
    lo = 0
    while lo < len(a) and lo < len(got) and a[lo] == got[lo]:
        lo += 1
    hi_a, hi_b = len(a), len(got)
    while hi_a > lo and hi_b > lo and a[hi_a - 1] == got[hi_b - 1]:
        hi_a -= 1
        hi_b -= 1
    if lo == hi_a and lo == hi_b:
        return []
    matcher = SequenceMatcher(None, a[lo:hi_a], got[lo:hi_b], autojunk=False)
    ops = [(tag, i1 + lo, i2 + lo, j1 + lo, j2 + lo)
           for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]

    def place(i: int) -> str:
        if not want:
            return "1:1"
        return line_col(seed, want[min(i, len(want) - 1)].offset)

    out: list[Difference] = []
    inserts = [op for op in ops if op[0] == "insert"]
    paired: set[tuple] = set()
    for op in ops:
        tag, i1, i2, j1, j2 = op
        if tag == "delete":
            moved = next((ins for ins in inserts if ins not in paired
                          and got[ins[3]:ins[4]] == a[i1:i2]), None)
            if moved is not None:
                paired.add(moved)
                out.append(Difference(fmt, slug, stream, "reordered", place(i1), tuple(a[i1:i2]),
                                      moved_to=place(moved[1])))
                continue
            out.append(Difference(fmt, slug, stream, "lost", place(i1), tuple(a[i1:i2])))
    for op in ops:
        tag, i1, i2, j1, j2 = op
        if tag == "insert" and op not in paired:
            out.append(Difference(fmt, slug, stream, "extra", place(i1), actual=tuple(got[j1:j2])))
        elif tag == "replace":
            out.append(Difference(fmt, slug, stream, "changed", place(i1), tuple(a[i1:i2]),
                                  tuple(got[j1:j2])))
    return out


# -- HTML and EPUB -----------------------------------------------------------------

def html_streams(markup: str | bytes) -> tuple[list[str], dict[str, list[str]]] | None:
    """The words of a chapter page's main content and of each of the source's
    notes (number → words), without the edition's additions; None if the page
    has no main content."""
    import warnings

    from bs4 import BeautifulSoup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # XHTML read with the HTML parser, on purpose
        soup = BeautifulSoup(markup, "lxml")
    main = soup.find(attrs={"role": "main"})
    if main is None:
        return None
    notes: dict[str, list[str]] = {}
    for aside in main.select('[role="doc-footnote"], aside.footnote'):
        number = next((m.group(1) for i in (aside.get("id") or "").split()
                       if (m := SOURCE_NOTE_ID_RE.match(i))), None)
        if number is None:
            continue
        for part in aside.select(NOTE_PARTS):
            part.decompose()
        notes[number] = _text_words(aside)
    for tag in main.select(HTML_ADDITIONS):
        tag.decompose()
    return _text_words(main), notes


def _text_words(tag) -> list[str]:
    # Block elements separate words; inline elements do not.
    for block in tag.find_all(BLOCK_TAGS):
        block.insert_before(" ")
        block.append(" ")
    return words(tag.get_text())


# -- PDF ----------------------------------------------------------------------------

@dataclass
class _Run:
    """Text read off a PDF region: characters, and for each whether it is
    italic and whether it opens a line."""

    text: list[str] = field(default_factory=list)
    italic: list[bool] = field(default_factory=list)
    line_start: list[bool] = field(default_factory=list)

    def add(self, text: str, italic: bool, line_start: bool = False) -> None:
        for i, ch in enumerate(text):
            self.text.append(ch)
            self.italic.append(italic)
            self.line_start.append(line_start and i == 0)

    def extend(self, other: "_Run") -> None:
        if self.text and other.text:
            self.add("\n", False)
        self.text += other.text
        self.italic += other.italic
        self.line_start += other.line_start


@dataclass
class _Page:
    heading_size: float   # the size of a heading that opens the page (0: none)
    title: str            # that heading's text, squashed
    body: _Run
    notes: _Run


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00ad\u2010]+", "", nfc(text))


PDF_UNMAPPED = "\u0001"   # a glyph the PDF draws with no text of its own (see _lines)


def _is_mark(char: dict) -> bool:
    return char["text"] == PDF_UNMAPPED or unicodedata.category(char["text"][:1] or "x").startswith("M")


def _direction(cluster: list[dict]) -> str:
    """"R" (right-to-left letters), "L" (left-to-right), "N" (digits) or
    "" (neutral; "CS", "ES", "ET" for what may join digits)."""
    classes = {unicodedata.bidirectional(ch) for c in cluster for ch in c["text"]}
    if classes & {"R", "AL"}:
        return "R"
    if "L" in classes:
        return "L"
    if classes & {"EN", "AN"}:
        return "N"
    return next((k for k in ("CS", "ES", "ET") if classes == {k}), "")


def _logical(chars: list[dict]) -> list[dict]:
    """A line's glyphs stand on the page in visual order: put them back in
    reading order, undoing the Unicode bidirectional algorithm's reordering.

    A line is read right to left (its paragraph was set right to left) when
    the strong characters at both its ends are right-to-left; else left to
    right, as the book is.  Levels are resolved as the algorithm does, from
    the visual neighbours (which are the logical ones within a run): letters
    by their direction, digits left to right inside right-to-left text,
    neutral characters by the strong characters around them, else by the
    line's direction; the runs are then reversed from the lowest level up
    (the inverse of the algorithm's rule L2).  A base letter keeps its marks
    after it."""
    clusters: list[list[dict]] = []
    for char in chars:
        if clusters and _is_mark(char):
            clusters[-1].append(char)
        else:
            clusters.append([char])
    kinds = [_direction(c) for c in clusters]
    if "R" not in kinds:
        return chars
    strong = [k for k in kinds if k in ("L", "R")]
    base = 1 if strong[0] == strong[-1] == "R" else 0
    levels = _levels(kinds, base)
    order = list(range(len(clusters)))
    for level in range(1, max(levels) + 1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = reversed(order[i:j])
            i = j
    return [c for k in order for c in clusters[k]]


def _levels(kinds: list[str], base: int) -> list[int]:
    """Embedding levels of a line's clusters, from their kinds (_direction)
    and the line's direction (0: left to right, 1: right to left)."""
    n = len(kinds)
    kinds = list(kinds)
    # A separator between digits, and a currency or percent sign beside them, go with the digits.
    for i, kind in enumerate(kinds):
        if kind in ("CS", "ES") and 0 < i < n - 1 and kinds[i - 1] == kinds[i + 1] == "N":
            kinds[i] = "N"
    for i, kind in enumerate(kinds):
        if kind == "ET" and ((i > 0 and kinds[i - 1] == "N") or (i < n - 1 and kinds[i + 1] == "N")):
            kinds[i] = "N"

    def strong_beside(i: int, step: int) -> str:
        """The nearest letter's direction on one side ("R" or "L"; the
        line's direction at its end); in a right-to-left line, digits
        count as right-to-left."""
        i += step
        while 0 <= i < n:
            if kinds[i] in ("L", "R"):
                return kinds[i]
            if kinds[i] == "N" and base == 1:
                return "R"
            i += step
        return "R" if base else "L"

    levels = []
    for i, kind in enumerate(kinds):
        if kind == "R":
            levels.append(1)
        elif kind == "L":
            levels.append(2 if base else 0)
        elif kind == "N":
            inside = base == 1 or strong_beside(i, -1) == strong_beside(i, 1) == "R"
            levels.append(2 if inside else 0)
        else:
            before, after = strong_beside(i, -1), strong_beside(i, 1)
            if before == after:
                levels.append(1 if before == "R" else 2 if base else 0)
            else:
                levels.append(base)
    return levels


def _lines(page, keep, min_size: float) -> list[list[dict]]:
    """The page's lines of the characters ``keep`` selects, top to bottom.
    Characters set much smaller than their line (note calls, paragraph
    numbers), and lines smaller than ``min_size``, are marked ``hidden``: they
    are not read, but still tell whether their neighbours are one word."""
    region = page.filter(lambda o: o.get("object_type") != "char" or keep(o))
    drawn = {id(c): i for i, c in enumerate(page.chars)}   # the order of the content stream
    out = []
    for line in region.extract_text_lines(return_chars=True, x_tolerance=PDF_SPACE_GAP):
        seen: set[int] = set()
        chars = []
        for c in line["chars"]:
            # pdfplumber lists a ligature (“fi”) once per letter it stands for.
            if id(c) not in seen and not c["text"].isspace():
                seen.add(id(c))
                text = "\ufffd" if UNDEFINED_RE.match(c["text"]) else c["text"]
                chars.append(dict(c, text=text, drawn=drawn.get(id(c), 0)))
        if not chars:
            continue
        biggest = max(c["size"] for c in chars)
        out.append([dict(c, hidden=c["size"] < PDF_CALL_RATIO * biggest or biggest < min_size)
                    for c in chars])
    # A glyph drawn with no text of its own (WeasyPrint gives a cluster's
    # text to one of its glyphs: a Devanagari vowel sign, a Hebrew point):
    # pdfplumber leaves it out of the lines, but it fills its place there.
    by_drawn = {c["drawn"]: line for line in out for c in line}
    for c in region.chars:
        if c["text"] == "":
            i = drawn.get(id(c), 0)
            line = next((by_drawn[j] for j in (i - 1, i + 1, i - 2, i + 2) if j in by_drawn), None)
            if line is not None:
                biggest = max(x["size"] for x in line)
                line.append(dict(c, text=PDF_UNMAPPED, drawn=i,
                                 hidden=c["size"] < PDF_CALL_RATIO * biggest or biggest < min_size))
    # A raised note call may make a line of its own: it belongs to the line beside it.
    calls = [c for line in out if not _shown(line) for c in line]
    for line in out:
        shown = _shown(line)
        if shown:
            top, bottom = min(c["top"] for c in shown), max(c["bottom"] for c in shown)
            line += [c for c in calls if c["bottom"] > top and c["top"] < bottom]
        _in_line_order(line)
    return out


def _in_line_order(line: list[dict]) -> None:
    """Left to right; a combining mark right after the letter it was drawn
    with (it may stand at the same place as the next character)."""
    keys: dict[int, tuple] = {}
    drawn = sorted(line, key=lambda c: c["drawn"])
    base: tuple = (0.0, 0)
    marks = 0
    for i, char in enumerate(drawn):
        if not _is_mark(char):
            base, marks = (char["x0"], char["drawn"]), 0
            keys[id(char)] = (*base, 0)
            continue
        # Right-to-left text is drawn in visual order, a letter's marks before it.
        after = next((c for c in drawn[i + 1:] if not _is_mark(c)), None)
        if after is not None and _direction([after]) == "R":
            keys[id(char)] = (after["x0"], after["drawn"], 1)
        else:
            marks += 1
            keys[id(char)] = (*base, marks)
    line.sort(key=lambda c: keys[id(c)])


def _run(lines: list[list[dict]]) -> _Run:
    run = _Run()
    for chars in lines:
        spaced: list[dict] = []
        space = False
        right = None   # the right edge of what is drawn so far (a spacing mark takes room)
        for char in chars:
            if _is_mark(char):
                if not char.get("hidden"):
                    spaced.append(char)
                right = char["x1"] if right is None else max(right, char["x1"])
                continue
            if right is not None and char["x0"] - right > PDF_SPACE_GAP:
                space = True
            right = char["x1"] if right is None else max(right, char["x1"])
            if char.get("hidden"):
                continue
            if space and spaced:
                spaced.append({"text": " ", "fontname": ""})
            space = False
            spaced.append(char)
        if not spaced:
            continue
        if run.text:
            run.add("\n", False)
        for i, char in enumerate(_logical(spaced)):
            font = char.get("fontname", "")
            run.add(char["text"], "Italic" in font or "Oblique" in font, line_start=i == 0)
    return run


def _shown(line: list[dict]) -> list[dict]:
    return [c for c in line if not c.get("hidden")]


def _size(line: list[dict]) -> float:
    return max((c["size"] for c in _shown(line)), default=0.0)


def _mode(values: Iterable[float]) -> float:
    counts = Counter(round(v, 1) for v in values)
    return counts.most_common(1)[0][0] if counts else 0.0


CID_CHAR_RE = re.compile(rb"<([0-9a-fA-F]+)>\s*(\d+)")
CID_RANGE_RE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)")
UNDEFINED_RE = re.compile(r"^\(cid:\d+\)$")
NUMERAL_RE = re.compile(r"^(?:\d+|[ivxlcdm]+)$", re.I)   # a folio


@contextmanager
def _embedded_encodings():
    """Let pdfminer read a font whose encoding is a CMap embedded in the PDF.

    WeasyPrint writes one for a font in which some character had no glyph
    (it maps that character to .notdef, an empty box); pdfminer reads only
    named CMaps and would read no character at all of that font.  Read as
    written, a character drawn as .notdef comes out undefined (U+FFFD here):
    the reader sees a box, not the seed's character, and verify says so."""
    from pdfminer.cmapdb import FileCMap
    from pdfminer.pdffont import PDFCIDFont
    from pdfminer.pdftypes import PDFStream, resolve1

    original = PDFCIDFont.get_cmap_from_spec

    def get_cmap_from_spec(self, spec, strict):
        encoding = resolve1(spec.get("Encoding")) if hasattr(spec, "get") else None
        if isinstance(encoding, PDFStream):
            data = encoding.get_data()
            cmap = FileCMap()
            for body in re.findall(rb"begincidchar(.*?)endcidchar", data, re.S):
                for code, cid in CID_CHAR_RE.findall(body):
                    cmap.add_code2cid(bytes.fromhex(code.decode()).decode("latin-1"), int(cid))
            for body in re.findall(rb"begincidrange(.*?)endcidrange", data, re.S):
                for low, high, cid in CID_RANGE_RE.findall(body):
                    width, low, high = len(low) // 2, int(low, 16), int(high, 16)
                    for offset in range(high - low + 1):
                        code = (low + offset).to_bytes(width, "big").decode("latin-1")
                        cmap.add_code2cid(code, int(cid) + offset)
            if cmap.code2cid:
                return cmap
        return original(self, spec, strict)

    PDFCIDFont.get_cmap_from_spec = get_cmap_from_spec
    try:
        yield
    finally:
        PDFCIDFont.get_cmap_from_spec = original


def _key(char: dict) -> tuple:
    return (round(char["x0"], 2), round(char["top"], 2), char["text"])


def _pdf_pages(path: Path) -> list[_Page]:
    """Each page's heading, running text and note area.

    Measured on the PDF itself, not taken from the stylesheet: the text size
    is the commonest size; a running head is a first line set smaller than
    the text and above all text of that size on any page, a folio a last line
    set smaller that is a number or stands below all such text; a page's note
    area is below the lowest rule that has only smaller text under it; a
    chapter's headnote is the ruled box under its title."""
    import pdfplumber

    pages = []
    with _embedded_encodings(), pdfplumber.open(path) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if not c["text"].isspace()]
        text_size = _mode(c["size"] for c in chars)
        sized = [c for c in chars if abs(c["size"] - text_size) < 0.05]
        text_top = min((c["top"] for c in sized), default=0)
        text_bottom = max((c["bottom"] for c in sized), default=0)
        for page in pdf.pages:
            everything = [ln for ln in _lines(page, lambda o: True, 0) if _shown(ln)]
            margin: set[tuple] = set()
            if everything:
                first, last = everything[0], everything[-1]
                if _size(first) < text_size and max(c["bottom"] for c in _shown(first)) <= text_top + 0.5:
                    margin |= {_key(c) for c in first}
                numeral = "".join(c["text"] for c in _shown(last))
                if _size(last) < text_size and (
                        NUMERAL_RE.match(numeral) or min(c["top"] for c in _shown(last)) >= text_bottom - 0.5):
                    margin |= {_key(c) for c in last}
            content = [c for c in page.chars if not c["text"].isspace() and _key(c) not in margin]
            # The note area: under the lowest rule below which no text is set at the text size.
            note_top = page.height + 1
            for rule in sorted(page.rects, key=lambda r: -r["top"]):
                below = [c for c in content if c["top"] >= rule["top"]]
                if any(c["size"] >= text_size - 0.05 for c in below):
                    break
                if below:
                    note_top = rule["top"]
                    break

            def middle(o: dict) -> float:
                # (By the middle of a glyph: a raised note call may stand out a little.)
                return (o["top"] + o["bottom"]) / 2

            def in_text(o, note_top=note_top, margin=margin):
                return middle(o) < note_top and _key(o) not in margin

            def in_notes(o, note_top=note_top, margin=margin):
                return middle(o) >= note_top and _key(o) not in margin

            lines = [ln for ln in _lines(page, in_text, 0.75 * text_size) if _shown(ln)]
            heading_size = _size(lines[0]) if lines and _size(lines[0]) >= 1.3 * text_size else 0.0
            heading = []
            while heading_size and len(heading) < len(lines) and _size(lines[len(heading)]) >= heading_size - 0.1:
                heading.append(lines[len(heading)])
            title = _squash(_strip_editorial(_run(heading))) if heading else ""
            if heading:
                # The headnote: the ruled box under a chapter's title.
                below = max(c["bottom"] for c in _shown(heading[-1]))
                boxes = sorted((r for r in page.rects if r["top"] >= below - 1 and r["top"] < note_top),
                               key=lambda r: r["top"])
                if boxes:
                    top = boxes[0]["top"]
                    bottom = max(r["bottom"] for r in boxes if r["top"] - top < 2)
                    lines = [ln for ln in lines if not top - 1 <= _shown(ln)[0]["top"] <= bottom + 1]
            note_size = _mode(c["size"] for c in content if middle(c) >= note_top)
            notes = _lines(page, in_notes, 0.75 * note_size) if note_size else []
            pages.append(_Page(heading_size, title, _run(lines), _run(notes)))
    return pages


def pdf_text(path: Path) -> str:
    """A PDF's text as verify reads it: page by page, the running text and
    then the notes, in reading order (right-to-left script included)."""
    return "\n".join("".join(run.text).replace(PDF_UNMAPPED, "")
                     for page in _pdf_pages(path) for run in (page.body, page.notes))


def _not_editorial(run: _Run) -> list[bool]:
    """For each character of the run, whether it is not part of one of the
    edition's italic marks ([sic], [image not preserved])."""
    text = "".join(run.text)
    keep = [True] * len(text)
    for m in PDF_EDITORIAL_RE.finditer(text):
        if all(run.italic[i] for i in range(m.start(), m.end()) if not text[i].isspace()):
            keep[m.start():m.end()] = [False] * (m.end() - m.start())
    return keep


def _strip_editorial(run: _Run) -> str:
    return "".join(ch for ch, keep in zip(run.text, _not_editorial(run)) if keep)


@dataclass
class _Token:
    text: str
    joinable: bool = False    # a line ends after it at a hyphen, dash or other break without space
    line_start: bool = False
    italic: bool = False      # its first character is italic


def _tokens(run: _Run) -> list[_Token]:
    """Words of a run with the PDF's hyphenation undone (U+2010 at a line end)."""
    keep = _not_editorial(run)
    chars = [(ch, run.italic[i], run.line_start[i]) for i, ch in enumerate(run.text) if keep[i]]
    tokens: list[_Token] = []
    current: list[tuple[str, bool, bool]] = []

    def flush(joinable: bool = False) -> None:
        if current:
            tokens.append(_Token(nfc("".join(c[0] for c in current)), joinable,
                                 current[0][2], current[0][1]))
            current.clear()

    i = 0
    while i < len(chars):
        ch = chars[i][0]
        if ch == "\n":
            prev = current[-1][0] if current else ""
            nxt = chars[i + 1][0] if i + 1 < len(chars) else ""
            if prev == PDF_HYPHEN:
                # An automatic hyphenation: the word goes on on the next line.
                current[-1] = ("\u0000", *current[-1][1:])   # marker, resolved by _join
                i += 1
                continue
            flush(joinable=bool(prev) and bool(nxt) and not (prev.isalnum() and nxt.isalnum()))
        elif ch.isspace():
            flush()
        else:
            current.append(chars[i])
        i += 1
    flush()
    return tokens


def _join(tokens: list[_Token], known: set[str]) -> list[str]:
    """Resolve line ends: a hyphenated word is one word (without the hyphen,
    unless the seed has the hyphen there); a word broken after a hyphen or
    dash is one word where the seed has it whole."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i].text
        while tokens[i].joinable and i + 1 < len(tokens) and word + tokens[i + 1].text in known:
            i += 1
            word += tokens[i].text
        if "\u0000" in word:
            plain = word.replace("\u0000", "")
            word = plain if plain in known or word.replace("\u0000", PDF_HYPHEN) not in known \
                else word.replace("\u0000", PDF_HYPHEN)
        if PDF_UNMAPPED in word:
            word = _unmapped(word, known)
        out.append(word)
        i += 1
    return out


def _unmapped(word: str, known: set[str]) -> str:
    """A word with glyphs the PDF draws without text of their own: the
    seed's word of the same letters (those glyphs are its marks, drawn but
    not said in the PDF's text), else the word without them."""
    plain = word.replace(PDF_UNMAPPED, "")
    if plain in known:
        return plain
    letters, marks = _letters_and_marks(plain)
    # The seed's words of these letters with at least the marks the PDF says, fewest others first.
    fits = [(sum((theirs - marks).values()), w) for w in known
            for their_letters, theirs in [_letters_and_marks(w)]
            if their_letters == letters and not marks - theirs]
    return min(fits)[1] if fits else plain


def _letters_and_marks(word: str) -> tuple[str, Counter]:
    chars = unicodedata.normalize("NFD", word)
    return ("".join(ch for ch in chars if not unicodedata.category(ch).startswith("M")),
            Counter(ch for ch in chars if unicodedata.category(ch).startswith("M")))


def _pdf_notes(tokens: list[_Token]) -> dict[str, list[_Token]]:
    """The source's notes in a chapter's note area: number → words after its
    marker and voice, without an editor's bracketed comment at the end."""
    notes: dict[str, list[_Token]] = {}
    current: list[_Token] | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (token.line_start and PDF_MARKER_RE.match(token.text) and i + 1 < len(tokens)
                and tokens[i + 1].text in PDF_VOICES):
            # A note opens: "1. Author.", "a. Editor.".
            current = None if tokens[i + 1].text == "Editor." else notes.setdefault(token.text[:-1], [])
            i += 2
            continue
        if token.italic and token.text.startswith("[Editor:"):
            current = None    # the editor's comment closes a note of the source
        if current is not None:
            current.append(token)
        i += 1
    return notes


# -- verifying ----------------------------------------------------------------------

@dataclass
class Report:
    diplomatic: bool = False
    counts: dict[str, int] = field(default_factory=dict)      # format → words verified
    texts: dict[str, int] = field(default_factory=dict)       # format → texts verified
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def _show(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _missing(path: Path, diplomatic: bool) -> EditionError:
    command = "edition build --diplomatic" if diplomatic else "edition build"
    return EditionError(_show(path), f"missing — run {command}")


def _all(folder: Path, pattern: str, diplomatic: bool) -> list[Path]:
    """The outputs in ``folder``, the shortest name (the book's own) first."""
    found = sorted(folder.glob(pattern), key=lambda p: (len(p.name), p.name))
    if not found:
        raise _missing(folder / pattern, diplomatic)
    return found


def _one(folder: Path, pattern: str, diplomatic: bool) -> Path:
    return _all(folder, pattern, diplomatic)[0]


def _check(report: Report, fmt: str, exp: Expected, text: list[str] | None,
           notes: dict[str, list[str]]) -> None:
    report.texts[fmt] = report.texts.get(fmt, 0) + 1
    if text is None:
        report.differences.append(Difference(fmt, exp.slug, "text", "lost", "1:1",
                                              tuple(w.text for w in exp.text)))
        return
    report.counts[fmt] = report.counts.get(fmt, 0) + len(exp.text) + sum(map(len, exp.notes.values()))
    report.differences += compare(fmt, exp.slug, "text", exp.seed, exp.text, text)
    for number, want in exp.notes.items():
        report.differences += compare(fmt, exp.slug, f"note {number}", exp.seed, want,
                                      notes.get(number, []))


def _require() -> None:
    """The readers verify needs (dependencies of the project: missing only
    from a broken installation)."""
    import importlib.util

    missing = [name for module, name in (("bs4", "beautifulsoup4"), ("lxml", "lxml"),
                                         ("pdfplumber", "pdfplumber"))
               if importlib.util.find_spec(module) is None]
    if missing:
        raise EditionError("edition verify", f"needs {', '.join(missing)}",
                           hint="install the project again: pip install -e .")


def verify(project: Project, *, diplomatic: bool = False,
           formats: Iterable[str] = FORMATS) -> Report:
    """Verify the built outputs of ``formats`` against the seeds and apparatus."""
    _require()
    formats = tuple(formats)
    edition = prepare(project)
    report = Report(diplomatic)
    wanted = [expected(chapter, diplomatic) for chapter in edition.chapters]
    # Every output must be there before anything is compared.
    html_dir = output_dir(project, "html", diplomatic)
    if "html" in formats and not (html_dir / "texts").is_dir():
        raise _missing(html_dir / "texts", diplomatic)
    epub = _one(output_dir(project, "epub", diplomatic), "*.epub", diplomatic) if "epub" in formats else None
    pdfs = _all(output_dir(project, "pdf", diplomatic), "*.pdf", diplomatic) if "pdf" in formats else []

    if "html" in formats:
        for exp in wanted:
            page = html_dir / "texts" / f"{exp.slug}.html"
            streams = html_streams(page.read_bytes()) if page.exists() else None
            _check(report, "html", exp, *(streams or (None, {})))
    if epub is not None:
        try:
            with zipfile.ZipFile(epub) as z:
                names = set(z.namelist())
                pages = {exp.slug: z.read(f"texts/{exp.slug}.xhtml")
                         for exp in wanted if f"texts/{exp.slug}.xhtml" in names}
        except zipfile.BadZipFile as exc:
            raise EditionError(_show(epub), f"not a readable EPUB ({exc})") from None
        for exp in wanted:
            streams = html_streams(pages[exp.slug]) if exp.slug in pages else None
            _check(report, "epub", exp, *(streams or (None, {})))
    for pdf in pdfs:
        # The reading PDF, and any variant built beside it (archival, accessible).
        _verify_pdf(report, pdf, wanted, "pdf" if pdf == pdfs[0] else f"pdf {pdf.name}")
    return report


def _drawn(ws: list[Word]) -> list[Word]:
    out = []
    for w in ws:
        text = "".join(ch for ch in w.text if not never_drawn(ch))
        if text:
            out.append(Word(text, w.offset, w.edition))
    return out


def _verify_pdf(report: Report, path: Path, wanted: list[Expected], fmt: str = "pdf") -> None:
    pages = _pdf_pages(path)
    used: set[int] = set()
    wanted = [Expected(e.slug, e.seed, _drawn(e.title), _drawn(e.text),
                       {n: _drawn(ws) for n, ws in e.notes.items()}) for e in wanted]
    for exp in wanted:
        title = _squash("".join(w.text for w in exp.title))
        start = next((i for i, p in enumerate(pages) if i not in used and p.title == title), None)
        if start is None:
            _check(report, fmt, exp, None, {})
            continue
        used.add(start)
        # The text runs to the next page opened by a heading of its title's rank.
        size = pages[start].heading_size
        end = next((i for i in range(start + 1, len(pages)) if pages[i].heading_size >= size - 0.1),
                   len(pages))
        body, notes = _Run(), _Run()
        for page in pages[start:end]:
            body.extend(page.body)
            notes.extend(page.notes)
        known = {w.text for w in exp.text} | {w.text for ws in exp.notes.values() for w in ws}
        visible = lambda ws: [v for w in ws if (v := "".join(ch for ch in w if not never_drawn(ch)))]
        text = visible(_join(_tokens(body), known))
        note_words = {n: visible(_join(ts, known)) for n, ts in _pdf_notes(_tokens(notes)).items()}
        _check(report, fmt, exp, text, note_words)
