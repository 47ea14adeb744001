"""WeasyPrint's laid-out pages, read and adjusted after the layout: not a
change to its code, but a reading of its boxes (``Page._page_box``), which
are not its public API; each function names the release whose boxes it
knows and does nothing under another.

:func:`numbers_to_the_outer_margin` moves the paragraph numbers of rectos;
:func:`paragraph_lines` says where each paragraph's lines fell, for
copy-fitting (:mod:`edition.copyfit`); :func:`page_starts` where each page
begins in the text, for the EPUB's page list (:mod:`edition.build.pagelist`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

WEASYPRINT_RELEASE = "70.0"
# How far a paragraph number stands off the text, as print.css sets it on the left.
NUMBER_GAP = 2 * 72 / 25.4


def numbers_to_the_outer_margin(document: Any) -> None:
    """Paragraph numbers stand in the outer margin, as a glued book wants
    them: print.css sets them left of the text, which is the outer side of
    a verso; on a recto (the first page and every other after it) each is
    moved to the right of the text block. CSS cannot select a box by the
    side of its page, so this is done on the laid-out pages; the numbers
    are absolutely positioned, so nothing else moves. It reads the boxes of
    WeasyPrint 70's laid-out pages (``Page._page_box``, placeholders'
    ``translate``); under another release the numbers stay on the left.
    Upstream: CSS has no selector for a box by the side of its page.
    """
    import weasyprint

    if weasyprint.__version__ != WEASYPRINT_RELEASE:
        return
    for index, page in enumerate(document.pages):
        if index % 2:
            continue
        page_box = getattr(page, "_page_box", None)
        if page_box is None:
            return
        right = page_box.content_box_x() + page_box.width
        for box in page_box.descendants():
            element = getattr(box, "element", None)
            if (type(box).__name__ == "AbsolutePlaceholder" and element is not None
                    and "para-num" in (element.get("class") or "").split()):
                box.translate(dx=right + NUMBER_GAP - box.position_x)


@dataclass(frozen=True)
class ParagraphLines:
    """Where a paragraph's lines fell: on which pages (0-based), how many,
    and how full its last line is (its text's width over the line's)."""

    name: str               # the value of its naming attribute
    pages: tuple[int, ...]  # every page it has lines on
    lines: int
    last_fill: float        # 0–1
    characters: int         # the characters of its lines (its notes are not in them)
    font_size: float        # CSS px, as the width
    width: float            # the measure: the line's width, CSS px
    begins: str             # its first words
    space_above: float = 0.0  # the space between its first line and the line above it on its page, CSS px
    tag: str = "p"          # p, or a heading's h1–h6


BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6")


def paragraph_lines(document: Any, attribute: str) -> list[ParagraphLines]:
    """Each paragraph (or heading) that carries ``attribute``, in the order of the book,
    as WeasyPrint 70 laid it out (its ``LineBox`` and ``TextBox`` boxes); an
    empty list under another release."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    if weasyprint.__version__ != WEASYPRINT_RELEASE:
        return []
    found: dict[str, dict] = {}
    for index, page in enumerate(document.pages):
        page_box = getattr(page, "_page_box", None)
        if page_box is None:
            return []
        above = None       # the bottom of the last line of the body laid out so far
        for box in _body_boxes(page_box, boxes):
            if isinstance(box, boxes.LineBox):
                above = box.position_y + box.height
                continue
            element = getattr(box, "element", None)
            if not isinstance(box, boxes.BlockBox) or element is None or element.tag not in BLOCKS:
                continue
            name = element.get(attribute)
            if not name or getattr(box, "element_tag", element.tag) != element.tag:
                continue
            lines = [child for child in box.children if isinstance(child, boxes.LineBox)]
            if not lines:
                continue
            seen = found.setdefault(name, {"pages": [], "lines": 0, "characters": 0, "tag": element.tag,
                                           "size": box.style["font_size"], "width": box.width,
                                           "begins": " ".join("".join(
                                               text.text for text in lines[0].descendants()
                                               if isinstance(text, boxes.TextBox)).split()[:6]),
                                           "space": lines[0].position_y - above if above is not None else 0.0})
            if index not in seen["pages"]:
                seen["pages"].append(index)
            seen["lines"] += len(lines)
            seen["characters"] += sum(len(text.text) for line in lines for text in line.descendants()
                                      if isinstance(text, boxes.TextBox))
            last = lines[-1]
            ends = [child.position_x + child.margin_width() for child in last.descendants()
                    if isinstance(child, boxes.TextBox)]
            width = box.width or 1
            seen["fill"] = (max(ends) - box.content_box_x()) / width if ends else 0.0
    return [ParagraphLines(name, tuple(seen["pages"]), seen["lines"], round(seen.get("fill", 0.0), 3),
                           seen["characters"], seen["size"], seen["width"], seen["begins"],
                           round(seen["space"], 2), seen["tag"])
            for name, seen in found.items()]


def _body_boxes(box: Any, boxes: Any):
    """The boxes of a page's body, in the order of the book: not its margin
    boxes, its note area or what is out of the flow (the paragraph numbers,
    the chronology's dates)."""
    for child in getattr(box, "children", ()):
        if (isinstance(child, (boxes.FootnoteAreaBox, boxes.MarginBox))
                or type(child).__name__ == "AbsolutePlaceholder" or child.is_floated()):
            continue
        yield child
        yield from _body_boxes(child, boxes)


# What a page's start is counted in: letters and digits only, so that the
# count does not depend on where lines broke (spaces, hyphens) or on case.
BEGINS = 24          # the letters of a page's start kept, to check its place by
LETTERS = re.compile(r"[^\W_]+")   # runs of what str.isalnum() takes: letters and digits
# Inline elements of the print HTML that are not the text's own words: note
# calls and paragraph numbers (each format marks them in its own way).
NOT_TEXT = frozenset({"note-call", "para-num", "para-num-source"})


@dataclass(frozen=True)
class PageStart:
    """Where a page's body begins in the text: inside the block of id
    ``anchor``, after ``offset`` of its letters and digits (its notes,
    note calls, paragraph numbers and generated text not counted), with
    ``begins``, its next letters, lower-cased. ``anchor`` is empty for a
    page without text (a blank page)."""

    anchor: str
    offset: int
    begins: str


def page_starts(document: Any) -> list[PageStart]:
    """Each page's start, in the order of the pages, as WeasyPrint 70 laid
    them out (its ``TextBox`` boxes in the body of each page); an empty
    list under another release."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    if weasyprint.__version__ != WEASYPRINT_RELEASE:
        return []
    counted: dict[str, int] = {}
    starts: list[PageStart] = []
    for page in document.pages:
        page_box = getattr(page, "_page_box", None)
        if page_box is None:
            return []
        start: dict[str, Any] = {}

        def visit(box: Any, anchors: tuple[str, ...]) -> None:
            for child in getattr(box, "children", ()):
                if isinstance(child, (boxes.FootnoteAreaBox, boxes.MarginBox)) or "::" in (child.element_tag or ""):
                    continue
                element = child.element
                if element is not None and NOT_TEXT & set((element.get("class") or "").split()):
                    continue
                own = anchors
                name = element.get("id") if element is not None else None
                if name and name not in anchors and isinstance(child, boxes.BlockContainerBox):
                    own = anchors + (name,)
                if isinstance(child, boxes.TextBox):
                    letters = "".join(LETTERS.findall(child.text))
                    if letters and not start:
                        start.update(anchor=own[-1] if own else "", offset=counted.get(own[-1], 0) if own else 0,
                                     begins="")
                    if start and len(start["begins"]) < BEGINS:
                        start["begins"] = (start["begins"] + "".join(c.lower()[:1] for c in letters))[:BEGINS]
                    for name in own:
                        counted[name] = counted.get(name, 0) + len(letters)
                else:
                    visit(child, own)

        visit(page_box, ())
        starts.append(PageStart(start["anchor"], start["offset"], start["begins"]) if start
                      else PageStart("", 0, ""))
    return starts
