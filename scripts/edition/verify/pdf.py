"""Verify, reading the PDF: a chapter's words and its source notes' words.

The PDF is read from the PDF alone (:func:`pdf_text`), measured rather than
assumed: the text size is its commonest size; running heads and folios are
the smaller lines at the top and foot of a page, outside all text of that
size; the note area lies under the lowest rule with only smaller text below
it; note calls and paragraph numbers are set well below the size of their
line; the headnote is the ruled box under the title, and what stands between
them (the byline) is the edition's; a chapter runs from the
page its title opens to the next page opened by a heading as large;
editorial marks are the italic ones; a line is the glyphs on one baseline (a
colour emoji's box stands higher than the letters' beside it).  The PDF's
hyphenation (U+2010 at a line end) is undone, a word broken at a hyphen or
dash at a line end is rejoined where the seed has it whole, right-to-left
script is put back in reading order (a line whose strong characters at both
ends are right to left is read as a right-to-left line), a character drawn
with no glyph of its own (a font without it) reads as U+FFFD, and a glyph
the PDF draws without text of its own (WeasyPrint gives a cluster's text to
one of its glyphs, and a Hebrew point may lose its own) stands for the marks
the seed's word has.  An emoji, though drawn as a picture, is a glyph of Noto
Color Emoji with its text: the whole sequence it draws (a flag's two
letters, a ZWJ sequence, a skin tone, a keycap), read back like any other
character.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..fonts.faces import never_drawn
from ..sphinxext.notes import STREAMS
from ..words import Words, words_for
from .expected import Expected, Word, nfc

# PDF: measured on the PDF (see _pdf_pages), not taken from the stylesheet.
PDF_CALL_RATIO = 0.8       # a note call or paragraph number is set well below its line's size
PDF_SPACE_GAP = 1.0        # pt between two glyphs that means a space
PDF_BASELINE_GAP = 0.5     # pt between two glyphs' baselines that are one baseline
PDF_HYPHEN = "\u2010"      # WeasyPrint's hyphen at an automatic break
PDF_EDITORIAL_RE = re.compile(r"\[sic\]|\[image\s+not\s+preserved\]")
PDF_MARKER_RE = re.compile(r"^(?:\d+|[a-z]{1,3})\.$")


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
    found = []
    for line in region.extract_text_lines(return_chars=True, x_tolerance=PDF_SPACE_GAP):
        seen: set[int] = set()
        chars = []
        for c in line["chars"]:
            # pdfplumber lists a ligature (“fi”) once per letter it stands for.
            if id(c) not in seen and not c["text"].isspace():
                seen.add(id(c))
                text = "\ufffd" if UNDEFINED_RE.match(c["text"]) else c["text"]
                chars.append(dict(c, text=text, drawn=drawn.get(id(c), 0)))
        if chars:
            found.append(chars)
    out = []
    for chars in _on_baselines(found):
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


def _baseline(char: dict) -> float:
    """The height of a glyph's baseline (the origin of its text matrix),
    growing downwards as ``top`` does (from another origin: compare it only
    with another glyph's on the same page)."""
    matrix = char.get("matrix")
    return -matrix[5] if matrix else char["bottom"]


def _on_baselines(lines: list[list[dict]]) -> list[list[dict]]:
    """Lines whose glyphs stand on one baseline are one line (at the place
    of the first).

    pdfplumber makes a line of the glyphs whose boxes stand at about the
    same height, but a glyph's box is measured from its font's ascent and
    descent, not from the line: a colour emoji's box stands wholly above the
    baseline, 0.44 em higher than the letters' beside it, and the emoji of
    a line would make a line of their own, read before it (a paragraph
    number beside the line may bridge the two, so the first line of a
    paragraph is read right).  Only the baselines of glyphs set at about the
    size of their line count: not a raised note call's."""
    out: list[list[dict]] = []
    bases: list[set[float]] = []
    for chars in lines:
        biggest = max(c["size"] for c in chars)
        mine = {round(_baseline(c), 2) for c in chars if c["size"] >= PDF_CALL_RATIO * biggest}
        into = next((i for i in range(len(out))
                     if any(abs(a - b) <= PDF_BASELINE_GAP for a in mine for b in bases[i])), None)
        if into is None:
            out.append(list(chars))
            bases.append(mine)
        else:
            out[into] += chars
            bases[into] |= mine
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
                    # From under the title to the box's foot: the byline (the
                    # edition's, the author's name) and the headnote.
                    top = boxes[0]["top"]
                    bottom = max(r["bottom"] for r in boxes if r["top"] - top < 2)
                    lines = [ln for ln in lines[len(heading):]
                             if not below - 1 <= _shown(ln)[0]["top"] <= bottom + 1]
                    lines = heading + lines
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


def _pdf_notes(tokens: list[_Token], words: Words) -> dict[str, list[_Token]]:
    """The source's notes in a chapter's note area: number → words after its
    marker and voice, without an editor's bracketed comment at the end."""
    # Each voice as the note opens with it ("Author.", "Herausgeber."), in words.
    voices = {voice: f"{words(f'voice.{voice}')}.".split() for voice in STREAMS.values()}
    comment = f"[{words('apparatus.editor-insert')}"   # "[Editor: …]"
    notes: dict[str, list[_Token]] = {}
    current: list[_Token] | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        marker = token.line_start and PDF_MARKER_RE.match(token.text)
        voice = next((v for v, label in voices.items()
                      if [t.text for t in tokens[i + 1:i + 1 + len(label)]] == label), None) \
            if marker else None
        if voice is not None:
            # A note of the source opens: "1. Author.", "2. Transcriber.".
            current = None if voice == "editor" else notes.setdefault(token.text[:-1], [])
            i += 1 + len(voices[voice])
            continue
        if marker and token.italic and token.text[:-1].isalpha():
            # An editor's note opens: its italic letter ("a.") says whose it is.
            current = None
            i += 1
            continue
        if token.italic and token.text.startswith(comment):
            current = None    # the editor's comment closes a note of the source
        if current is not None:
            current.append(token)
        i += 1
    return notes


def _drawn(ws: list[Word]) -> list[Word]:
    out = []
    for w in ws:
        text = "".join(ch for ch in w.text if not never_drawn(ch))
        if text:
            out.append(Word(text, w.offset, w.edition))
    return out


def as_drawn(exp: Expected) -> Expected:
    """What the PDF can show of a text: its words without the characters
    no font draws (they never stand in a PDF's text)."""
    return Expected(exp.slug, exp.seed, _drawn(exp.title), _drawn(exp.text),
                    {n: _drawn(ws) for n, ws in exp.notes.items()})


def pdf_streams(path: Path, wanted: list[Expected],
                words: Words = words_for(None)) -> dict[str, tuple[list[str], dict[str, list[str]]]]:
    """Slug → the words of the text's pages in the PDF and of each of its
    source notes, for each text of ``wanted`` (already :func:`as_drawn`)
    whose title opens a page; a text not found is left out. ``words``: the
    book's, whose voices open its notes."""
    pages = _pdf_pages(path)
    used: set[int] = set()
    found = {}
    for exp in wanted:
        title = _squash("".join(w.text for w in exp.title))
        start = next((i for i, p in enumerate(pages) if i not in used and p.title == title), None)
        if start is None:
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
        text = _visible(_join(_without_textual_notes(_tokens(body), words), known))
        note_words = {n: _visible(_join(ts, known)) for n, ts in _pdf_notes(_tokens(notes), words).items()}
        found[exp.slug] = (text, note_words)
    return found


def _without_textual_notes(tokens: list[_Token], words: Words) -> list[_Token]:
    """The text's words without the textual notes that follow it: up to the
    last line that is their heading alone (the text's own words can only come
    before it, so a line of the text that reads the same cuts it short and is
    reported, never hidden)."""
    heading = words("textual.title").split()
    n = len(heading)
    for i in range(len(tokens) - n, -1, -1):
        if (tokens[i].line_start and [t.text for t in tokens[i:i + n]] == heading
                and (i + n == len(tokens) or tokens[i + n].line_start)):
            return tokens[:i]
    return tokens


def _visible(ws: list[str]) -> list[str]:
    return [v for w in ws if (v := "".join(ch for ch in w if not never_drawn(ch)))]
