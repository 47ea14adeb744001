"""The printed pages found in another format's text: where each page of the
PDF's page map (:mod:`edition.pagemap`) begins in an XML tree (the EPUB's
XHTML, the TEI), and its mark put there.

A page is placed in the block of its anchor, after as many letters and
digits as the map counts before it (what the format holds that the print
does not is left out of the count: its notes, note calls, paragraph
numbers), where the map's next letters are found; the nearest place they
are, when the formats count a block's letters a little apart. Its mark goes
before the word the page begins in, or at the very start of the block the
page begins with (never between blocks, where a mark would part two
paragraphs that a style sets as one run).

Places are found in the text as it is, then marked from the last, so that
each text is split after the places still to mark in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, TypeVar

from lxml import etree

from .pagemap import Page

# The letters of a page's start that must follow its mark: enough to tell
# one place from another, few enough that what the print sets after a
# heading (a text's author) and another format does not, is not reached.
CHECKED = 12

T = TypeVar("T")
Slot = tuple[etree._Element, str]                 # an element and "text" or "tail"
Place = tuple[str, etree._Element, int]           # "start", "text" or "tail"; element; index


def anchored(ids: Mapping[str, T], anchor: str) -> T | None:
    """What ``ids`` holds under a page's anchor: the anchor itself, or, for
    an id the PDF made unique in the whole book (``<chapter>--<id>``), the
    id as its own page has it."""
    if not anchor:
        return None
    found = ids.get(anchor)
    return ids.get(anchor.rpartition("--")[2]) if found is None else found


class PageMarkError(Exception):
    """A page's letters are not found where its map places it."""


@dataclass(frozen=True)
class Marking:
    """How one format's tree is read: what is not the text (``excluded``)
    and which elements are blocks a page may begin at the start of."""

    excluded: Callable[[etree._Element], bool]
    blocks: frozenset[str]

    def place(self, page: Page, block: etree._Element, letters: dict) -> Place:
        """Where in ``block`` (the element of the page's anchor) ``page``
        begins; ``letters`` keeps each block's letters once counted."""
        if block not in letters:
            letters[block] = self.letters(block)
        positions, text = letters[block]
        begins = page.begins[:CHECKED]
        here = text[page.offset:page.offset + len(begins)]
        if here and begins.startswith(here):   # (the block may end before the letters checked)
            at = page.offset
        else:
            places = [i for i in range(len(text)) if text.startswith(begins, i)] if begins else []
            if not places:
                raise PageMarkError(f"page {page.folio}: “{page.begins}…” not found in #{page.anchor}")
            at = min(places, key=lambda i: abs(i - page.offset))
        element, kind, index = positions[at]
        slot = getattr(element, kind)
        while index > 0 and not slot[index - 1].isspace():   # the start of the word the page begins in
            index -= 1
        return self._at_start_of_its_block(block, element, kind, index)

    def slots(self, root: etree._Element) -> Iterator[Slot]:
        """The text of ``root`` as the page map counts it, in the order of reading."""
        def walk(element: etree._Element) -> Iterator[Slot]:
            if not isinstance(element.tag, str) or self.excluded(element):
                return
            if element.text:
                yield element, "text"
            for child in element:
                yield from walk(child)
                if child.tail:
                    yield child, "tail"
        yield from walk(root)

    def letters(self, block: etree._Element) -> tuple[list[tuple[etree._Element, str, int]], str]:
        """The letters and digits of ``block``, lower-cased, and where each stands."""
        positions: list[tuple[etree._Element, str, int]] = []
        letters: list[str] = []
        for element, kind in self.slots(block):
            for index, char in enumerate(getattr(element, kind)):
                if char.isalnum():
                    positions.append((element, kind, index))
                    letters.append(char.lower()[:1])
        return positions, "".join(letters)

    def _at_start_of_its_block(self, anchor: etree._Element, element: etree._Element,
                               kind: str, index: int) -> Place:
        node = element if kind == "text" else element.getparent()
        while node is not None and etree.QName(node).localname not in self.blocks and node is not anchor:
            node = node.getparent()
        if node is not None and not self._letters_before(node, element, kind, index):
            return ("start", node, 0)
        return (kind, element, index)

    def _letters_before(self, block: etree._Element, element: etree._Element, kind: str, index: int) -> bool:
        for slot, slot_kind in self.slots(block):
            text = getattr(slot, slot_kind)
            here = slot is element and slot_kind == kind
            if any(char.isalnum() for char in (text[:index] if here else text)):
                return True
            if here:
                return False
        return False


def insert(where: Place, marks: list[etree._Element]) -> None:
    """Put ``marks`` (in order) at ``where``: at a block's start, or inside
    a text slot at an index."""
    kind, element, index = where
    first = marks[0]
    if kind == "start":
        first.tail, element.text = element.text, None
        element.insert(0, first)
    elif kind == "text":
        first.tail = element.text[index:] or None
        element.text = element.text[:index] or None
        element.insert(0, first)
    else:
        first.tail = element.tail[index:] or None
        element.tail = element.tail[:index] or None
        element.addnext(first)
    for previous, mark in zip(marks, marks[1:]):
        mark.tail, previous.tail = previous.tail, None
        previous.addnext(mark)
