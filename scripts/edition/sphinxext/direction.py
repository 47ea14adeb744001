"""Text direction: each block of text takes the direction of its own words.

A seed may hold right-to-left script (Hebrew, Arabic).  A paragraph written
in it must be set right to left — its first word at the right, its full stop
at the left end — and a paragraph of English quoting a Hebrew word left to
right.  HTML's ``dir="auto"`` says exactly that: the block takes the
direction of its first strong character.  The HTML and EPUB translators
write it on paragraphs, headings, list items, definitions and notes
(:class:`AutoDirection`).

WeasyPrint does not resolve ``dir="auto"`` (it sets every block in the
stylesheet's direction), so the print translator resolves it as a browser
would and writes ``dir="rtl"`` on a block whose first strong character is
right-to-left (:class:`ResolvedDirection`, :func:`direction_of`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from docutils import nodes

# The blocks of text that take their own direction (with the tags they are
# written as; a title may also be a caption's <p>).
TEXT_BLOCKS = (nodes.paragraph, nodes.title, nodes.footnote, nodes.list_item,
               nodes.term, nodes.definition, nodes.line)


class AutoDirection:
    """A mixin for an HTML5 translator: ``dir="auto"`` on every block of text."""

    def starttag(self, node: nodes.Node, tagname: str, suffix: str = "\n", empty: bool = False,
                 **attributes: Any) -> str:
        if isinstance(node, TEXT_BLOCKS) and "dir" not in attributes:
            direction = self.direction(node)
            if direction:
                attributes["dir"] = direction
        return super().starttag(node, tagname, suffix, empty, **attributes)  # type: ignore[misc]

    def direction(self, node: nodes.Element) -> str:
        return "auto"


class ResolvedDirection(AutoDirection):
    """For a renderer that does not resolve ``dir="auto"`` (WeasyPrint):
    ``dir="rtl"`` where the block's words start right to left, nothing
    (the book's left to right) elsewhere."""

    def direction(self, node: nodes.Element) -> str:
        return "rtl" if direction_of(node) == "rtl" else ""


def direction_of(node: nodes.Element) -> str:
    """``rtl`` or ``ltr`` as HTML resolves ``dir="auto"``: from the first
    strong character of the block's own text (not its note calls' labels),
    ``ltr`` when it has none."""
    for text in _own_text(node):
        for ch in text:
            kind = unicodedata.bidirectional(ch)
            if kind == "L":
                return "ltr"
            if kind in ("R", "AL"):
                return "rtl"
    return "ltr"


def _own_text(node: nodes.Element):
    for child in node.children:
        if isinstance(child, nodes.Text):
            yield child
        elif isinstance(child, nodes.Element) and not isinstance(child, nodes.footnote_reference):
            yield from _own_text(child)
