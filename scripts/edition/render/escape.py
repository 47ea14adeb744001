"""Escaping seed text so that MyST renders it literally, whatever it contains.

CommonMark lets a backslash escape any ASCII punctuation character, and MyST's
syntax extensions (roles, directives, targets, substitutions, math, comments,
block breaks, front matter) all start with ASCII punctuation.  So seed text is
made inert by escaping every character that can open inline syntax anywhere in
a line, and every ASCII punctuation character that opens a line (where block
syntax lives: ``#``, ``>``, ``-``, ``+``, ``%``, ``(label)=``, ``:::``,
``1.``).  Line breaks inside a block become spaces, because the edition sets
paragraphs, not the seed's line layout; trailing spaces (hard breaks) go too.
"""

from __future__ import annotations

import re
import string

# Characters that open inline syntax anywhere in a line (emphasis, code,
# links, HTML, roles, substitutions, math, entities, tables, strikethrough).
_INLINE_SPECIAL = frozenset("\\`*_[]<>{}$&|~^")
_ASCII_PUNCT = frozenset(string.punctuation)
_LINE_BREAK_RE = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")   # what _join_lines does
_BREAK_RE = re.compile(r"\r\n|\r|\n")
_BLANKS_RE = re.compile(r"[ \t]*")
_ORDERED_MARKER_RE = re.compile(r"^(\d{1,9})([.)])")


def escape_text(text: str, *, line_start: bool = True) -> str:
    """Escape ``text`` for use inside a MyST paragraph, heading or link label.

    ``line_start`` says whether the text opens a line of the MyST source (then
    block-level syntax must be neutralised too).
    """
    text = _join_lines(text)
    if line_start:
        # Markdown drops up to three leading spaces and reads four as code:
        # leading blanks at the start of a line are layout, never content.
        text = text.lstrip(" \t")
    out = [f"\\{ch}" if ch in _INLINE_SPECIAL else ch for ch in text]
    escaped = "".join(out)
    if line_start and escaped:
        marker = _ORDERED_MARKER_RE.match(escaped)
        if marker:
            escaped = f"{marker.group(1)}\\{marker.group(2)}{escaped[marker.end():]}"
        elif escaped[0] in _ASCII_PUNCT and escaped[0] != "\\":
            escaped = "\\" + escaped
    return escaped


def _join_lines(text: str) -> str:
    """``_LINE_BREAK_RE.sub(" ", text)``: each line break, with the blanks
    around it, becomes one space.  Done from the line breaks outwards, in
    linear time: the regular expression tries every blank of a long run of
    blanks in turn, which is quadratic (minutes for a seed with a long run)."""
    out: list[str] = []
    pos = 0
    for m in _BREAK_RE.finditer(text):
        out.append(text[pos:m.start()].rstrip(" \t"))
        out.append(" ")
        pos = _BLANKS_RE.match(text, m.end()).end()
    out.append(text[pos:])
    return "".join(out)


def sentence(text: str) -> str:
    """A reason as a sentence of its own: capital first, full stop last."""
    text = text.strip()
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    # A closing quotation mark ends the sentence only after the quotation's
    # own stop (“… chose.”); after a quoted word the stop still follows (“Freeze”.).
    done = text.rstrip("”’") if text.endswith(("”", "’")) else text
    return text if done.endswith((".", "?", "!")) else text + "."
