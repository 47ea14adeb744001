"""Stage 2, structure: a seed's plain text → a lossless :class:`Document`.

Takes the decoded seed text and the editor's structure overrides (from the
apparatus: "this block is a byline"); gives an ordered list of pieces that tile
the seed exactly.  A :class:`Block` is a unit of the text (title, heading,
paragraph with its source number, block quotation, note body, comment…) with
its character span; a :class:`Gap` is layout the edition does not reproduce
(blank lines, indentation), recorded rather than dropped, so that joining
every piece's ``raw`` text gives back the seed byte for byte.

A list is a run of list items, one block each: lines that open with the
next marker (``2.`` after ``1.``, ``b)`` after ``a)``, the same bullet), on
consecutive lines or in consecutive blocks.  Like a quotation, a list belongs
to the paragraph before it and has no number of its own.

The recogniser knows the conventions of plain-text web and archive copies, not
any one seed: where it cannot decide, the apparatus says what a block is.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import ApparatusError


class BlockKind(StrEnum):
    TITLE = "title"
    BYLINE = "byline"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    BLOCK_QUOTE = "block-quote"
    SOURCE_HEADER = "source-header"
    NOTE_BODY = "note-body"
    LIST_ITEM = "list-item"
    COMMENTS_HEADING = "comments-heading"
    COMMENT = "comment"
    IMAGE_CAPTION = "image-caption"
    BOILERPLATE = "boilerplate"


class MarkKind(StrEnum):
    NOTE_REF = "note-ref"            # "[1]": a call of one of the source's own notes
    MEDIA_MENTION = "media-mention"  # a sentence that points at a video or image of the page


@dataclass(frozen=True)
class Mark:
    """A recognised span inside a block (offsets in the seed)."""

    kind: MarkKind
    start: int
    end: int
    label: str = ""


@dataclass
class Gap:
    """Layout between or before blocks: whitespace the edition does not reproduce."""

    start: int
    end: int
    raw: str
    reason: str = "layout whitespace"


@dataclass
class Block:
    """A unit of the text.  ``start``/``end`` span the block including its
    indentation; ``text_start``/``text_end`` span the content."""

    kind: BlockKind
    start: int
    end: int
    text_start: int
    text_end: int
    raw: str
    source_number: str | None = None   # the source's own paragraph or item number
    paragraph: str | None = None       # the paragraph this block belongs to (for anchors)
    marks: list[Mark] = field(default_factory=list)

    @property
    def indent(self) -> str:
        return self.raw[: self.text_start - self.start]

    @property
    def text(self) -> str:
        return self.raw[self.text_start - self.start : self.text_end - self.start]


Piece = Block | Gap


@dataclass
class Document:
    slug: str
    text: str
    pieces: list[Piece]

    @property
    def blocks(self) -> list[Block]:
        return [p for p in self.pieces if isinstance(p, Block)]

    def block_at(self, offset: int) -> Block | None:
        for block in self.blocks:
            if block.start <= offset < block.end:
                return block
        return None

    def reconstruct(self) -> str:
        return "".join(p.raw for p in self.pieces)


@dataclass(frozen=True)
class StructureOverride:
    """The editor's word on a block the heuristics get wrong: the block that
    contains ``offset`` is of ``kind``.  ``path`` and ``place`` name the
    apparatus entry, for errors."""

    offset: int
    kind: BlockKind
    path: Path | str = ""
    place: str = ""

    def refuse(self, message: str, hint: str = "") -> ApparatusError:
        return ApparatusError(self.path, message, self.place, hint)


# --- recognition rules ---------------------------------------------------------

# Blank for layout purposes: ordinary white space and no-break spaces.
_SPACE = " \t\u00a0\u2007\u202f\u3000"
_LEADING_SPACE_RE = re.compile(f"[{_SPACE}]*")
_BLANK_RE = re.compile(f"^[{_SPACE}]*$")
_NUMBER_RE = re.compile(r"^(\d{1,3})\.\s")
_DIALOGUE_RE = re.compile(r"^[—–―]\s")   # a turn of a dialogue, as French and others print it
# The markers of an unordered list (not the en dash: it opens the lines of a dialogue).
BULLETS = ("-", "*", "•")
_LIST_RE = re.compile(r"^(?:(\d{1,3})([.)])|([a-zA-Z])\)|([" + re.escape("".join(BULLETS)) + r"]))\s")
LIST_MARKERS = "“1.”, “1)”, “a)”, “-”, “*”, “•”"   # for messages
_SOURCE_HEADER_RE = re.compile(
    r"^(?:Source|First published|Published|Written|Transcribed|Translated|"
    r"Transcription|Proofread|HTML Markup|Copyleft|Public Domain|Online Version):"
)
_COMMENTS_HEADING_RE = re.compile(
    r"^(?:\d+|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)\s+"
    r"(?:thoughts?|comments?|responses?|replies|reply)\s+(?:on|to)\b",
    re.IGNORECASE,
)
# The comment form and sharing widgets that web captures drag along.
_FORM_START_RE = re.compile(r"^(?:Leave a (?:Reply|Comment)|Post a Comment)\b", re.I)
_WEB_DEBRIS_RE = re.compile(
    r"^(?:Featured Image\b|Share this:|Like this:|Related$|Fill in your details\b|"
    r"You are commenting using\b|(?:Twitter|Facebook|Google) (?:picture|photo)$|"
    r"Connecting to %s$|Notify me of\b)",
    re.I,
)
# An image file name as content systems write it, standing for a missing image.
_IMAGE_CAPTION_RE = re.compile(
    r"^(?:\d{6,}[-_][\w-]+|[\w-]+\.(?:jpe?g|png|gif|webp))(?=\s|$)", re.I
)
_NOTE_REF_RE = re.compile(r"\[(\d{1,3})\]")
# A sentence pointing the reader at a video or image that the capture lost.
_MEDIA_MENTION_RE = re.compile(
    r"\b(?:Below|Above|The following|This|Here)\b[^.!?]*?"
    r"\b(?:videos?|footage|images?|photo(?:graph)?s?|pictures?)\b[^.!?]*[.!?]",
    re.I,
)
# Its parts, for _media_mentions.
_MEDIA_START_RE = re.compile(r"\b(?:Below|Above|The following|This|Here)\b", re.I)
_MEDIA_WORD_RE = re.compile(r"\b(?:videos?|footage|images?|photo(?:graph)?s?|pictures?)\b", re.I)
_SENTENCE_END_RE = re.compile(r"[.!?]")
_HEADING_END = tuple(".,;:”\")'’")


def _lines(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, content end, end including the line break) of every line."""
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl + 1
        content_end = nl if nl >= 0 else len(text)
        if content_end > pos and text[content_end - 1] == "\r":
            content_end -= 1
        yield pos, content_end, end
        pos = end


def _groups(text: str) -> list[list[tuple[int, int]]]:
    """Runs of non-blank lines, as (start, content end) per line."""
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for start, content_end, _ in _lines(text):
        if _BLANK_RE.match(text[start:content_end]):
            if current:
                groups.append(current)
                current = []
        else:
            current.append((start, content_end))
    if current:
        groups.append(current)
    return groups


@dataclass(frozen=True)
class _Marker:
    """The list marker opening a line: its family ("1.", "1)", "a)", "A)" or
    the bullet) and its place in the sequence (0 for a bullet)."""

    family: str
    ordinal: int

    def followed_by(self, other: "_Marker | None") -> bool:
        """Whether ``other`` is the next item's marker: the next number or
        letter, the same bullet."""
        return other is not None and other.family == self.family and (
            other.ordinal == self.ordinal + 1 or not self.ordinal)


def _marker(line: str) -> _Marker | None:
    m = _LIST_RE.match(line)
    if m is None:
        return None
    number, delimiter, letter, bullet = m.groups()
    if number:
        return _Marker(f"1{delimiter}", int(number))
    if letter:
        return _Marker("a)" if letter.islower() else "A)", ord(letter.lower()) - ord("a") + 1)
    return _Marker(bullet, 0)


def _item_lines(text: str, block: Block) -> list[list[tuple[int, int]]]:
    """The block's lines (start, content end) grouped into list items: a new
    item at each line that opens with the marker after the current item's;
    the other lines continue it.  Empty if the block opens with no marker."""
    lines = [(block.start + s, block.start + e) for s, e, _ in _lines(block.raw)]
    current = _marker(block.text)
    if current is None:
        return []
    items = [[lines[0]]]
    for start, end in lines[1:]:
        marker = _marker(text[start:end].lstrip(_SPACE))
        if current.followed_by(marker):
            items.append([])
            current = marker
        items[-1].append((start, end))
    return items


def continues_list(previous: Block, block: Block) -> bool:
    """Whether list item ``block`` is the item after ``previous`` in one list
    (not the first of another list that happens to follow it)."""
    marker = _marker(previous.text)
    return marker is not None and marker.followed_by(_marker(block.text))


def _last_marker(text: str, block: Block) -> _Marker | None:
    items = _item_lines(text, block)
    if not items:
        return None
    start, end = items[-1][0]
    return _marker(text[start:end].lstrip(_SPACE))


def _looks_like_heading(content: str) -> bool:
    words = content.split()
    return (
        0 < len(words) <= 12
        and len(content) <= 90
        and not content.rstrip().endswith(_HEADING_END)
        and not _NUMBER_RE.match(content)
        and not _DIALOGUE_RE.match(content)   # a turn of a dialogue
    )


def _candidate_spans(text: str) -> list[tuple[int, int]]:
    """Block spans: a group of lines is one block, except that consecutive
    source-header lines are a block each, and so are the turns of a dialogue
    (lines opening with a dash, where two or more do: one such line may be a
    wrapped sentence's)."""
    spans: list[tuple[int, int]] = []
    for group in _groups(text):
        contents = [text[s:e].lstrip(_SPACE) for s, e in group]
        turns = [i for i, c in enumerate(contents) if i and _DIALOGUE_RE.match(c)]
        if len(group) > 1 and all(_SOURCE_HEADER_RE.match(c) for c in contents):
            spans.extend(group)
        elif len(turns) >= 2 or (turns and _DIALOGUE_RE.match(contents[0])):
            for first, last in zip([0, *turns], [*turns, len(group)]):
                spans.append((group[first][0], group[last - 1][1]))
        else:
            spans.append((group[0][0], group[-1][1]))
    return spans


def _make_block(text: str, start: int, end: int) -> Block:
    lead = _LEADING_SPACE_RE.match(text, start).end()
    text_end = end
    while text_end > lead and text[text_end - 1] in _SPACE:
        text_end -= 1
    return Block(BlockKind.PARAGRAPH, start, end, lead, text_end, text[start:end])


def recognise(slug: str, text: str,
              overrides: Iterable[StructureOverride] = ()) -> Document:
    """Recognise the blocks of ``text``; ``overrides`` have the last word."""
    blocks = [_make_block(text, s, e) for s, e in _candidate_spans(text)]
    _classify(text, blocks)
    _override(text, blocks, overrides)
    blocks = [item for block in blocks for item in _list_items(text, block)]
    _number(blocks)
    _mark(blocks, text)
    pieces: list[Piece] = []
    pos = 0
    for block in blocks:
        if block.start > pos:
            pieces.append(Gap(pos, block.start, text[pos:block.start]))
        pieces.append(block)
        pos = block.end
    if pos < len(text):
        pieces.append(Gap(pos, len(text), text[pos:]))
    return Document(slug=slug, text=text, pieces=pieces)


def _override(text: str, blocks: list[Block], overrides: Iterable[StructureOverride]) -> None:
    """Apply the editor's overrides to the recognised blocks (before lists
    are split into items, so that an override names a whole list).  An
    override that changes nothing or cannot apply is an error: the entry
    would mislead whoever reads the apparatus."""
    done: dict[int, StructureOverride] = {}
    for override in overrides:
        block = next((b for b in blocks if b.start <= override.offset < b.end), None)
        if block is None:
            raise override.refuse("the anchor is not inside a block of the text",
                                  "anchor the entry on the block's words")
        if block.start in done:
            raise override.refuse(f"the block is already made {done[block.start].kind.value!r} "
                                  f"by {done[block.start].place}", "keep one entry per block")
        if block.kind is override.kind:
            raise override.refuse(f"changes nothing: the block is already {block.kind.value!r}",
                                  "remove the entry")
        if override.kind is BlockKind.LIST_ITEM and not _item_lines(text, block):
            raise override.refuse(f"{override.kind.value!r} cannot apply: the block opens with no list marker",
                                  f"a list item opens with {LIST_MARKERS}")
        if override.kind is BlockKind.NOTE_BODY:
            number = _NUMBER_RE.match(block.text)
            if number is None:
                raise override.refuse(f"{override.kind.value!r} cannot apply: the block opens with "
                                      "no note number", "a note of the source opens with its number: “1. …”")
            block.source_number = number.group(1)
        block.kind = override.kind
        done[block.start] = override


def _list_items(text: str, block: Block) -> list[Block]:
    """A list-item block of several items (on consecutive lines) as one
    block per item; any other block as it is."""
    if block.kind is not BlockKind.LIST_ITEM:
        return [block]
    items = _item_lines(text, block)
    if len(items) < 2:
        return [block]
    out = []
    for lines in items:
        item = _make_block(text, lines[0][0], lines[-1][1])
        item.kind = BlockKind.LIST_ITEM
        out.append(item)
    return out


def _list_runs(text: str, blocks: list[Block], contents: list[str],
               lo: int, hi: int, skip: set[int]) -> set[int]:
    """The blocks from ``lo`` to ``hi`` that are list items: a block of
    several items, and runs of blocks that each open with the marker after
    the last of the block before.  A run of "1.", "2."… is a list only when
    a paragraph introduces it and the text's paragraphs do not carry its
    numbering on: texts that number their paragraphs (as Furr's "32.") are
    runs of numbered blocks too."""
    first = [_marker(c) for c in contents]
    last = [_last_marker(text, b) if m else None for b, m in zip(blocks, first)]
    several = {i for i in range(lo, hi) if first[i] and len(_item_lines(text, blocks[i])) > 1}
    listed: set[int] = set()
    i = lo
    while i < hi:
        if i in skip or first[i] is None:
            i += 1
            continue
        j = i
        while j + 1 < hi and j + 1 not in skip and last[j].followed_by(first[j + 1]):
            j += 1
        run = range(i, j + 1)
        if several.intersection(run) or (len(run) > 1 and _is_list(contents, i, j, first, last, hi)):
            listed.update(run)
        i = j + 1
    return listed


def _is_list(contents: list[str], i: int, j: int, first: list[_Marker | None],
             last: list[_Marker | None], hi: int) -> bool:
    """Whether the run of single-item blocks ``i``…``j`` is a list."""
    if not first[i].ordinal:
        return True                      # bullets
    if first[i].ordinal != 1:
        return False                     # a list counts from 1 (or a)
    if first[i].family != "1.":
        return True
    before = contents[i - 1] if i > 1 else ""
    introduced = bool(before) and not (_SOURCE_HEADER_RE.match(before) or _looks_like_heading(before))
    carried_on = str(last[j].ordinal + 1) in {
        m.group(1) for c in contents[j + 1:hi] if (m := _NUMBER_RE.match(c))}
    return introduced and not carried_on


def _classify(text: str, blocks: list[Block]) -> None:
    contents = [b.text for b in blocks]
    note_refs = {m.group(1) for m in _NOTE_REF_RE.finditer(text)}
    # Does the author number the paragraphs?  Count numbered blocks before any
    # comment list (whose items are numbered too) and outside the note bodies.
    body_end = next(
        (i for i, c in enumerate(contents)
         if _COMMENTS_HEADING_RE.match(c) or _FORM_START_RE.match(c)),
        len(contents),
    )

    # Trailing numbered blocks whose numbers the text calls as "[n]" are note bodies.
    note_bodies: set[int] = set()
    for i in range(len(blocks) - 1, 0, -1):
        m = _NUMBER_RE.match(contents[i])
        if m and m.group(1) in note_refs:
            note_bodies.add(i)
        else:
            break

    listed = _list_runs(text, blocks, contents, 1, body_end, note_bodies)
    numbered_text = sum(
        1 for i, c in enumerate(contents[:body_end])
        if _NUMBER_RE.match(c) and i not in note_bodies and i not in listed
    ) >= 3

    in_comments = in_form = False
    previous: Block | None = None
    for i, block in enumerate(blocks):
        content = contents[i]
        number = _NUMBER_RE.match(content)
        if i == 0:
            kind = BlockKind.TITLE
        elif in_form or _FORM_START_RE.match(content):
            in_form = True
            kind = BlockKind.BOILERPLATE
        elif _WEB_DEBRIS_RE.match(content):
            kind = BlockKind.BOILERPLATE
        elif i in note_bodies:
            kind = BlockKind.NOTE_BODY
            block.source_number = number.group(1)
        elif _COMMENTS_HEADING_RE.match(content):
            in_comments = True
            kind = BlockKind.COMMENTS_HEADING
        elif in_comments:
            kind = BlockKind.COMMENT
            item = _LIST_RE.match(content)
            if item and item.group(1):
                block.source_number = item.group(1)
        elif _SOURCE_HEADER_RE.match(content):
            kind = BlockKind.SOURCE_HEADER
        elif _IMAGE_CAPTION_RE.match(content):
            kind = BlockKind.IMAGE_CAPTION
        elif i in listed:
            kind = BlockKind.LIST_ITEM
        elif numbered_text and number:
            kind = BlockKind.PARAGRAPH
            block.source_number = number.group(1)
        elif block.indent and _LIST_RE.match(content):
            kind = BlockKind.LIST_ITEM
        elif _looks_like_heading(content):
            kind = BlockKind.HEADING
        elif numbered_text and previous is not None and previous.kind in (
            BlockKind.PARAGRAPH, BlockKind.BLOCK_QUOTE
        ):
            # In a text that numbers its paragraphs, an unnumbered block inside
            # a numbered paragraph is a quotation (indented or introduced).
            kind = BlockKind.BLOCK_QUOTE
        elif previous is not None and previous.kind is BlockKind.PARAGRAPH and (
            previous.text.rstrip().endswith(":")
        ):
            kind = BlockKind.BLOCK_QUOTE  # a quotation introduced on its own line
        else:
            kind = BlockKind.PARAGRAPH
        block.kind = kind
        previous = block


def _number(blocks: list[Block]) -> None:
    """Give every block the number of the paragraph it belongs to: the source's
    own number where it numbers paragraphs, else the edition's count."""
    source_numbered = any(
        b.kind is BlockKind.PARAGRAPH and b.source_number for b in blocks
    )
    count = 0
    current: str | None = None
    for block in blocks:
        if block.kind is BlockKind.PARAGRAPH:
            if source_numbered and block.source_number:
                current = block.source_number
            else:
                count += 1
                current = str(count) if not source_numbered else f"{current}+"
            block.paragraph = current
        elif block.kind in (BlockKind.BLOCK_QUOTE, BlockKind.LIST_ITEM):
            block.paragraph = current
        elif block.kind in (BlockKind.COMMENT, BlockKind.NOTE_BODY):
            block.paragraph = None
        else:
            current = None if block.kind is BlockKind.HEADING and source_numbered else current


def _mark(blocks: list[Block], text: str) -> None:
    note_numbers = {b.source_number for b in blocks if b.kind is BlockKind.NOTE_BODY}
    for block in blocks:
        if block.kind in (BlockKind.NOTE_BODY, BlockKind.BOILERPLATE):
            continue
        for m in _NOTE_REF_RE.finditer(text, block.text_start, block.text_end):
            if m.group(1) in note_numbers:
                block.marks.append(Mark(MarkKind.NOTE_REF, m.start(), m.end(), m.group(1)))
        if block.kind is BlockKind.PARAGRAPH:
            for start, end in _media_mentions(text, block.text_start, block.text_end):
                block.marks.append(Mark(MarkKind.MEDIA_MENTION, start, end))
        block.marks.sort(key=lambda m: m.start)


def _media_mentions(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """The spans ``_MEDIA_MENTION_RE.finditer(text, lo, hi)`` finds, in
    O(n log n): that expression backtracks over every pairing of an opening
    word with a media word when no sentence ends (hours for a long paragraph
    of "This video…" without a full stop).  A match is an opening word, then
    — before the sentence ends — a media word, and runs to the end of the
    sentence; the next search starts after it."""
    words = [(m.start(), m.end()) for m in _MEDIA_WORD_RE.finditer(text, lo, hi)]
    word_starts = [start for start, _ in words]
    ends = [m.start() for m in _SENTENCE_END_RE.finditer(text, lo, hi)]
    pos = lo
    for m in _MEDIA_START_RE.finditer(text, lo, hi):
        if m.start() < pos:
            continue   # inside the previous mention
        i = bisect.bisect_left(ends, m.end())
        if i == len(ends):
            break      # no sentence ends after it: nor after any later one
        j = bisect.bisect_left(word_starts, m.end())
        if j < len(words) and words[j][1] <= ends[i]:
            yield m.start(), ends[i] + 1
            pos = ends[i] + 1
