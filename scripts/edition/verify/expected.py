"""Verify, the expected words: what the reader must read of each text.

**Expected** (:func:`expected`), per text: the words of the seed's blocks in
the order the edition sets them, with exactly the differences the edition
declares —

* the title block is set first, as the chapter's heading (a text without one
  is headed by its catalogue title, an edition word);
* an emendation's or regularisation's seed reading is replaced by the
  edition's reading (critical edition only; the diplomatic edition keeps the
  seed's reading);
* an omitted run of blocks is replaced by the omission marker ``[…]``
  (critical; the diplomatic edition keeps the blocks);
* a call of one of the source's own notes (``[1]``) is set as a note call, and
  that note's text (without its number) is a note of its own, verified as a
  separate stream ``note N``; notes the text never calls follow the text under
  the edition's heading "Notes";
* the textual notes after a text are the edition's, not the text's: they are
  not read.

**Normalised**: Unicode NFC, and every kind of white space (U+00A0 included)
separates words.  Nothing else: the note on the text says that quotation
marks, apostrophes, dashes and hyphens are printed as the sources have them,
so a changed quote or dash is a difference.  In the PDF only, Unicode's
default-ignorable characters (joiners, variation selectors, the soft
hyphen, direction marks), which are never drawn, are not compared.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from ..render.chapters import Chapter
from ..sources.structure import BlockKind, MarkKind
from ..words import Words, words_for

OMISSION_MARKER = "[…]"
WORD_RE = re.compile(r"\S+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def words(text: str) -> list[str]:
    """The words of a text: NFC, split at every kind of white space."""
    return [nfc(w) for w in WORD_RE.findall(text)]



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


def expected(chapter: Chapter, diplomatic: bool = False, book_words: Words = words_for(None)) -> Expected:
    """The words of one text as the edition must set them (see the module's docstring)."""
    doc, app, seed = chapter.document, chapter.apparatus, chapter.seed.text
    omitted = app.omitted_blocks()
    emendations = [] if diplomatic else [(c.start, c.end, c.reading) for c in app.changes()]
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
        text.append(Word(book_words("notes"), orphans[0].text_start, True))
        for block in orphans:
            text += block_words(block)
    return Expected(chapter.seed.entry.slug, seed, title, text, notes)

